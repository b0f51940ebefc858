// The mini-batch binding shared by the models that train in batches (ElmanRNN, RNN): the schedule
// from the bind options, a workspace per binding, checked shuffles, and release of what it placed.

import { checkInteger } from '../checks.js';
import type { Holdings } from './bindings.js';
import { DataError, DisposedError, ShapeError } from '../errors.js';
import type { LossSpec } from '../losses.js';
import type { StateFlow } from '../stack-spec.js';
import { STATUS_BAD_LOSS, STATUS_BAD_WEIGHTS, STATUS_OK } from '../abi/codes.js';
import type { BatchJob, BatchOutcome, ResidentWork } from '../backends/backend.js';
import { Placement, type BindOptions, type Binding, type PlacedData } from './model.js';

/** A binding that runs mini-batch i per call, and can reorder its samples unless their order carries state. */
export interface BatchBinding extends Binding {
  /** Samples per batch (the last batch may hold fewer). */
  readonly batchSize: number;
  /** Reorder the samples for the following batches: a permutation of 0..samples−1, or null for the original order; absent when batches continue streams in order. */
  shuffle?(order: Uint32Array | null): void;
}

/** What a batch runs on: a backend workspace for batches of up to B samples. */
export interface BatchWork {
  /** Fused forward, loss and BPTT for samples [n0, n0 + B) of the current order; writes grads, returns the loss. */
  lossGrad(n0: number, B: number, kind: LossSpec, scale: number, window: number, params: Float32Array, grads: Float32Array, flow?: StateFlow): number;
  /** Release the workspace's memory. */
  dispose(): void;
  /** @internal Capability (the core's workspaces): batches with the params and the optimizer's slots kept in the workspace. */
  readonly resident?: ResidentWork;
}

/** Batches of `B` samples and a truncated-BPTT window from bind options (checked), for `n` samples of `steps` steps. */
export function schedule(options: BindOptions, n: number, steps: number): { B: number; batches: number; window: number } {
  const batchSize = options.batchSize === undefined ? n : checkInteger('batchSize', options.batchSize, 1);
  const truncate = options.truncate === undefined ? 0 : checkInteger('truncate', options.truncate, 1);
  const B = Math.min(batchSize, n);
  // A window as long as the sequences is full BPTT; clamping also keeps the core's i32 from wrapping.
  return { B, batches: Math.ceil(n / B), window: truncate >= steps ? 0 : truncate };
}

/** Throw unless `order` is a Uint32Array permutation of 0..n−1 (no duplicate, none out of range). */
export function checkPermutation(order: Uint32Array, n: number): void {
  if (!(order instanceof Uint32Array) || order.length !== n) throw new ShapeError('order', order, `be a Uint32Array of length ${n} or null`);
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = order[i]!;
    if (v >= n || seen[v]) throw new DataError('order', v, i, v >= n ? `a sample index below ${n}` : 'an index not already in the order (a permutation)');
    seen[v] = 1;
  }
}

/**
 * Bind placed data to a schedule: the workspace is made here (a failure releases the placement when
 * the binding owned it), each batch's loss is scaled by `scale(b)` for its b samples.
 */
export function batchBinding(p: {
  placed: PlacedData & { backend: { shuffle(order: Uint32Array | null): void; readonly threads?: number } | undefined };
  /** True when the binding placed the data itself and must release it. */
  owns: boolean;
  plan: { B: number; batches: number; window: number };
  work: () => BatchWork;
  kind: LossSpec;
  scale: (b: number) => number;
  params: Float32Array;
  grads: Float32Array;
  /** The model's own check (DisposedError once the model is disposed). */
  check: () => void;
  /** How each batch of b samples' states start and end (stateful streams, a learned initial state), and what to do with ∂L/∂h[0] after. */
  states?: ((b: number) => { flow: StateFlow; after?: (grads: Float32Array) => void }) | undefined;
  /** False when sample i of batch j + 1 continues sample i of batch j (stateful streams): the binding offers no shuffle. */
  reorders?: boolean;
  /** False when a batch's states need TypeScript after it (a learned initial state's gradient): no batches in the core. */
  inCore?: boolean;
  /** The model's holdings: the binding joins them (and the placement's, for data placed before), so either's dispose frees its scratch. */
  holdings: Holdings<{ dispose(): void }>;
}): BatchBinding {
  const { placed, owns, plan, kind, params, grads } = p;
  const { B, batches, window } = plan;
  const n = placed.samples;
  let work: BatchWork;
  try {
    work = p.work();
  } catch (error) {
    if (owns) placed.dispose();
    throw error;
  }
  const backend = placed.backend!;
  const placement = placed instanceof Placement ? placed : undefined;
  const length = (i: number) => Math.min(B, n - i * B);
  let live = true;
  const check = () => {
    if (!live) throw new DisposedError('binding');
    p.check();
  };
  const binding: BatchBinding = {
    samples: n,
    steps: placed.steps,
    ...(backend.threads !== undefined && { threads: backend.threads }),
    batches,
    batchSize: B,
    batchLength: (i) => length(checkInteger('batch', i, 0, batches - 1)),
    lossAndGrad: (i = 0) => {
      check();
      checkInteger('batch', i, 0, batches - 1);
      const b = length(i);
      if (!p.states) return work.lossGrad(i * B, b, kind, p.scale(b), window, params, grads);
      const { flow, after } = p.states(b);
      const L = work.lossGrad(i * B, b, kind, p.scale(b), window, params, grads, flow);
      after?.(grads);
      return L;
    },
    dispose: () => {
      if (!live) return;
      live = false;
      p.holdings.forget(binding);
      if (!owns) placement?.detach(binding);
      work.dispose();
      if (owns) placed.dispose();
    },
  };
  const resident = p.inCore !== false ? work.resident : undefined;
  if (resident) {
    // The loop of `lossAndGrad` + train.ts's checks and optimizer step, with the params and slots in the core.
    const outcome: BatchOutcome = { batches: 0, status: STATUS_OK };
    binding.trainBatches = (job: BatchJob) => {
      check();
      resident.enter(job);
      let done = 0, status = STATUS_OK;
      try {
        for (; done < job.count; done++) {
          const i = job.first + done, b = length(i);
          const L = resident.pass(i * B, b, kind, p.scale(b), window, p.states?.(b).flow);
          job.losses[done] = L;
          // Judged in float32, the core's precision, as train.ts judges it.
          if (!Number.isFinite(Math.fround(L))) status = STATUS_BAD_LOSS;
          else status = resident.update(job, job.step + done + 1);
          if (status !== STATUS_OK) break;
          if (performance.now() > job.deadline) {
            done++;
            break;
          }
        }
      } finally {
        resident.leave(job, done > 0 || status === STATUS_BAD_WEIGHTS);
      }
      outcome.batches = done;
      outcome.status = status;
      return outcome;
    };
  }
  // Reordering is a capability: the training loop refuses `shuffle` by name where it is absent.
  if (p.reorders !== false) {
    binding.shuffle = (order) => {
      check();
      if (order !== null) checkPermutation(order, n);
      backend.shuffle(order);
    };
  }
  p.holdings.add(binding);
  if (!owns) placement?.attach(binding);
  return binding;
}
