// GRU, Keras's gate order [z r h], reset_after optional. Kernels: assembly/gru.ts, src/backends/js/gru.ts.
import { CELL_GRU } from '../abi/cells.js';
import { gruBackward, gruForward, gruStep } from '../backends/js/gru.js';
import { up4, type CellSpec } from './spec.js';

export const gru: CellSpec = {
  code: CELL_GRU,
  gates: 3,
  cellState: false,
  gated: true,
  options: ['resetAfter'],
  // gates f32[T][B][3H], a f32[T][B][H]; backward D f32[T][B][3H], e f32[T][B][H], carry, q f32[B][H], Rᵀ f32[3H][H], Kᵀ f32[3H][I]
  work: (B, T, I, H) => 2 * up4(T * B * 3 * H) + 2 * up4(T * B * H) + 2 * up4(B * H) + up4(3 * H * H) + up4(3 * H * I),
  carry: (B, T, H, a) => ({ h: 2 * a(3 * T * B * H) + 2 * a(T * B * H) }),
  keras: { className: 'GRU', config: (l) => ({ recurrent_activation: l.recurrentActivation, reset_after: false }) },
  js: { forward: gruForward, backward: gruBackward, step: gruStep },
};
