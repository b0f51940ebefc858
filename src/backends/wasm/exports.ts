// The core's exports as the TypeScript side calls them, declared once and checked against the
// built module when it is instantiated (and by test/backends/abi-exports.test.ts), so a stale or foreign
// .wasm fails at init with a message instead of computing garbage.

/** The raw exports of build/elman.wasm: functions over byte offsets into `memory`. */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  /** What this build can do, as bits: 1 = relaxed SIMD (build/elman.relaxed.wasm). */
  features(): number;
  linearStates(x: number, n: number, T: number, wx: number, wRec: number, s: number): void;
  linearStatesBytes(x: number, n: number, T: number, wx: number, wRec: number, s: number): void;
  linearLossGrad(x: number, t: number, n: number, T: number, wx: number, wRec: number, c: number, scratch: number, out: number): void;
  linearLossGradScalar(x: number, t: number, n: number, T: number, wx: number, wRec: number, c: number, scratch: number, out: number): void;
  linearLossGradBytesScalar(x: number, t: number, n: number, T: number, wx: number, wRec: number, c: number, scratch: number, out: number): void;
  linearPackBytes(src: number, dst: number, count: number): number;
  /** The group-major twins (assembly/linear.ts): states, the SIMD fused epoch, and packing one step's inputs from sample i0. */
  linearStatesGroups(x: number, n: number, T: number, wx: number, wRec: number, s: number): void;
  linearLossGradGroups(x: number, t: number, n: number, T: number, wx: number, wRec: number, c: number, scratch: number, out: number): void;
  linearPackGroups(src: number, dst: number, T: number, k: number, i0: number, count: number): number;
  /** Index of the first NaN or ±∞ among `count` f32 values at p, or −1. */
  firstNonFinite(p: number, count: number): number;
  /** Epochs of the counter inside the core; the job block is laid out in src/abi/linear.ts. */
  linearTrain(job: number): number;
  linearSurface(x: number, t: number, n: number, T: number, wx: number, nx: number, wRec: number, nr: number, scale: number, out: number): void;
  optimizerStep(rule: number, p: number, g: number, P: number, hyper: number, slots: number, t: number, keep: number): number;
  /** A batch's checked update (assembly/in-core.ts): STATUS_OK or the check that failed. */
  updateChecked(p: number, g: number, lastGood: number, P: number, rule: number, hyper: number, slots: number, t: number, clip: number): number;
  powi(b: number, t: number): number;
  // Layer stacks (assembly/head.ts, cells.ts): one block of words laid out in src/abi/gated.ts.
  headWorkFloats(H: number, O: number): number;
  headForward(blk: number): void;
  headLossGrad(blk: number): void;
  /** The cell's kernels by code (src/abi/cells.ts); an unknown code traps. */
  cellForward(cell: number, blk: number): void;
  cellStep(cell: number, blk: number): void;
  cellBackward(cell: number, blk: number): void;
  /** The copies between layers of RepeatVector and Bidirectional (assembly/wiring.ts). */
  biMerge(y: number, hf: number, hb: number, T: number, B: number, H: number, concat: number): void;
  biSplit(dy: number, dhf: number, dhb: number, T: number, B: number, H: number, concat: number): void;
  addReversed(dst: number, src: number, T: number, n: number): void;
  sumSteps(dst: number, src: number, T: number, n: number): void;
  /** The embedding's gather and scatter-add (assembly/embedding.ts). */
  embeddingForward(x: number, xs: number, B: number, T: number, E: number, V: number, D: number, e: number): void;
  embeddingBackward(x: number, xs: number, B: number, T: number, gE: number, V: number, D: number, de: number): void;
}

type Functions = Exclude<keyof CoreExports, 'memory'>;

/**
 * linearTrain's call out of the core after an epoch it was asked to report (assembly/in-core.ts):
 * `job`, the run's job block, the epoch's index in the run and its loss; nonzero stops the run after it.
 */
export type EpochEnd = (job: number, epoch: number, loss: number) => number;

/** The core's one import, under module `elman`: what every instance is given (src/backends/wasm/core.ts, the threads pool). */
export const CORE_IMPORTS = [{ module: 'elman', name: 'epochEnd', kind: 'function' }] as const;

/**
 * The imports for an instance that never reports epochs (a threads worker): a call traps, as a
 * dispatch with no handler must. Frozen: an instantiating library that adds to the object it is
 * given (as @assemblyscript/loader adds `env`) would otherwise change it for every later instance.
 */
export const NO_EPOCH_END: { readonly elman: { readonly epochEnd: EpochEnd } } = Object.freeze({
  elman: Object.freeze({
    epochEnd: (): number => {
      throw new Error('elman core: epochEnd with no run to report to');
    },
  }),
});

/** Every exported function and its parameter count: the contract `checkExports` holds the module to. */
export const CORE_FUNCTIONS: Readonly<Record<Functions, number>> = {
  heapBase: 0,
  features: 0,
  linearStates: 6,
  linearStatesBytes: 6,
  linearLossGrad: 9,
  linearLossGradScalar: 9,
  linearLossGradBytesScalar: 9,
  linearPackBytes: 3,
  linearStatesGroups: 6,
  linearLossGradGroups: 9,
  linearPackGroups: 6,
  firstNonFinite: 2,
  linearTrain: 1,
  linearSurface: 10,
  optimizerStep: 8,
  updateChecked: 9,
  powi: 2,
  headWorkFloats: 2,
  headForward: 1,
  headLossGrad: 1,
  cellForward: 2,
  cellStep: 2,
  cellBackward: 2,
  biMerge: 7,
  biSplit: 7,
  addReversed: 4,
  sumSteps: 4,
  embeddingForward: 8,
  embeddingBackward: 8,
};

/**
 * What is wrong with an instance's exports against a contract (CORE_FUNCTIONS unless given) and the
 * memory, or undefined when they match exactly: every declared function present with its parameter
 * count, nothing undeclared.
 */
export function exportsMismatch(exports: Readonly<Record<string, unknown>>, functions: Readonly<Record<string, number>> = CORE_FUNCTIONS): string | undefined {
  const problems: string[] = [];
  if (!(exports.memory instanceof WebAssembly.Memory)) problems.push('no exported memory');
  for (const [name, arity] of Object.entries(functions)) {
    const f = exports[name];
    if (typeof f !== 'function') problems.push(`missing ${name}`);
    else if (f.length !== arity) problems.push(`${name} takes ${f.length} parameters, expected ${arity}`);
  }
  for (const name of Object.keys(exports)) {
    if (name !== 'memory' && !Object.hasOwn(functions, name)) problems.push(`undeclared export ${name}`);
  }
  return problems.length ? problems.join('; ') : undefined;
}
