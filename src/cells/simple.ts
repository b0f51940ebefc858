// Keras SimpleRNN: h[k] = act(x[k]·K + h[k-1]·R + b). Kernels: assembly/simple.ts, src/backends/js/simple.ts.
import { CELL_SIMPLE } from '../abi/cells.js';
import { simpleBackward, simpleForward, simpleStep } from '../backends/js/simple.js';
import { up4, type CellSpec } from './spec.js';

export const simple: CellSpec = {
  code: CELL_SIMPLE,
  gates: 1,
  cellState: false,
  gated: false,
  options: [],
  // da f32[T][B][H], carry f32[B][H], Rᵀ f32[H][H], Kᵀ f32[H][I], panels f32[H][H] (R's or Rᵀ's, assembly/matmul.ts packPanels; then mmTPacked's chunks)
  work: (B, T, I, H) => up4(T * B * H) + up4(B * H) + up4(H * H) + up4(H * I) + up4(H * H),
  carry: (B, T, H, a) => ({ h: a(T * B * H) }),
  keras: { className: 'SimpleRNN', config: () => ({}) },
  js: { forward: simpleForward, backward: simpleBackward, step: simpleStep },
};
