// What a recurrent cell is, declared once (src/cells/<cell>.ts) and read by everything that handles
// layers: the flat parameter layout (src/stack-spec.ts), the js/wasm/threads stacks, TF.js interop,
// the model's options and the CLI. Adding a cell: its core kernels (assembly/<cell>.ts), its code
// (a line in src/abi/cells.ts: the core's dispatch, assembly/cells.ts, is generated from it), its js
// twin, its spec and one registry line (src/cells/index.ts): five files.

import type { LayerCall } from '../backends/js/layer.js';

/**
 * One recurrent cell: its shape, its kernels on each backend, its Keras/TF.js form.
 * @category Models
 */
export interface CellSpec {
  /** The kernel code the core dispatches on (src/abi/cells.ts). */
  readonly code: number;
  /** Gate blocks per unit: the column blocks of kernel and recurrentKernel ([in][gates·units]). */
  readonly gates: number;
  /** True when the cell carries a cell state beside h (LSTM's c), zeroed with h at the start of a sequence. */
  readonly cellState: boolean;
  /** True when the cell reads `recurrentActivation` (its gates' activation). */
  readonly gated: boolean;
  /** The layer options only this cell reads (resetAfter: bias [2][gates·H]; unitForgetBias: the forget gate's bias starts at 1); others resolve to false. */
  readonly options: readonly ('resetAfter' | 'unitForgetBias')[];
  /** With unitForgetBias: the gate block of the forget gate. */
  readonly forgetGate?: number;
  /**
   * Floats of scratch one layer of B samples, T steps, I inputs and H units needs, kept from forward
   * to backward: the only place it is computed (the wasm kernel lays its blocks out in it, the js twin
   * uses a part of it). Computed in float64, exact far beyond 2^32, so sizes are checked before allocating.
   */
  work(B: number, T: number, I: number, H: number): number;
  /**
   * Where, in floats from the scratch's start, the backward kernels leave their carry after step 1:
   * ∂L/∂h[0] [B][H] (and ∂L/∂c[0] for a cell state), zero when a truncation window ends there.
   * `a` rounds each block: up4 for the core's 16-byte aligned blocks, the identity for the js twin.
   */
  carry(B: number, T: number, H: number, a: (n: number) => number): { h: number; c?: number };
  /**
   * The Keras / TF.js layer class, where there is one (a cell without one cannot be exported to TF.js),
   * and the Keras config keys its options map to when exported (TF.js defaults for the rest). Its
   * weights are kernel [in][gates·H], recurrent_kernel [H][gates·H], bias [gates·H] (or [2][gates·H] with resetAfter).
   */
  readonly keras?: { readonly className: string; config(l: { readonly recurrentActivation: string }): Record<string, unknown> };
  /** The plain-TypeScript twin of the core's kernels, float64. */
  readonly js: {
    forward(c: LayerCall): void;
    backward(c: LayerCall): void;
    step(c: LayerCall): void;
  };
}

/** n rounded up to a multiple of 4 floats (every scratch block of the core starts 16-byte aligned). */
export function up4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
