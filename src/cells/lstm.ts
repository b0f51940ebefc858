// LSTM, Keras's gate order [i f c o], with a cell state. Kernels: assembly/lstm.ts, src/backends/js/lstm.ts.
import { CELL_LSTM } from '../abi/cells.js';
import { lstmBackward, lstmForward, lstmStep } from '../backends/js/lstm.js';
import { up4, type CellSpec } from './spec.js';

export const lstm: CellSpec = {
  code: CELL_LSTM,
  gates: 4,
  cellState: true,
  gated: true,
  options: ['unitForgetBias'],
  forgetGate: 1,
  // gates f32[T][B][4H], u f32[T][B][H]; backward D f32[T][B][4H], carry_h, carry_c f32[B][H], Rᵀ f32[4H][H], Kᵀ f32[4H][I]
  work: (B, T, I, H) => 2 * up4(T * B * 4 * H) + up4(T * B * H) + 2 * up4(B * H) + up4(4 * H * H) + up4(4 * H * I),
  carry: (B, T, H, a) => ({ h: 2 * a(4 * T * B * H) + a(T * B * H), c: 2 * a(4 * T * B * H) + a(T * B * H) + a(B * H) }),
  keras: { className: 'LSTM', config: (l) => ({ recurrent_activation: l.recurrentActivation, unit_forget_bias: false }) },
  js: { forward: lstmForward, backward: lstmBackward, step: lstmStep },
};
