// The minimal gated unit (Zhou et al. 2016): one gate f, h′ = (1 − f) ⊙ h + f ⊙ act(x·Kn + (f ⊙ h)·Rn + bn).
// Gate blocks [f n]. Kernels: assembly/mgu.ts, src/backends/js/mgu.ts. Keras and TF.js have no MGU layer.
import { CELL_MGU } from '../abi/cells.js';
import { mguBackward, mguForward, mguStep } from '../backends/js/mgu.js';
import { up4, type CellSpec } from './spec.js';

export const mgu: CellSpec = {
  code: CELL_MGU,
  gates: 2,
  cellState: false,
  gated: true,
  options: [],
  // F, N, Q f32[T][B][H]; D f32[T][B][2H]; g, s, carry f32[B][H]; Rᵀ f32[2H][H]; Kᵀ f32[2H][I]
  work: (B, T, I, H) => 3 * up4(T * B * H) + up4(2 * T * B * H) + 3 * up4(B * H) + up4(2 * H * H) + up4(2 * H * I),
  carry: (B, T, H, a) => ({ h: 3 * a(T * B * H) + a(2 * T * B * H) + 2 * a(B * H) }),
  js: { forward: mguForward, backward: mguBackward, step: mguStep },
};
