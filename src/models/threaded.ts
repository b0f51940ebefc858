// What every model's `placeThreaded` shares: the options' checks, the thread count, the fallback to
// an ordinary placement, and a pool started by a dynamic import that the model then holds.
import { checkKeys } from '../checks.js';
import type { BackendName } from '../backends/backend.js';
import { checkThreads, isStartFailure, threadPlan } from '../backends/threads/support.js';
import { ConfigError } from '../errors.js';
import { holdPlacement, type Placement } from './model.js';

/**
 * Options of `placeThreaded`.
 * @category Models
 */
export interface ThreadOptions {
  /**
   * Threads computing each loss and gradient: an integer from 1 to 64, or `'auto'` (default): 2 when
   * the process has two CPUs or more and the work per call is large enough to pay for a round (the
   * counter: 2^18 sample-steps per epoch; the Elman network and stacks: 2^21 multiply-adds per
   * sweep), else 1. Threads run in Node
   * and Deno (worker_threads), Bun (Web Workers) and cross-origin isolated browser pages (Web
   * Workers); elsewhere (pages without COOP/COEP headers, workerd) any count falls back to one
   * ordinary thread, and `history.threads` says 1. The `js` backend takes only `'auto'` (one thread).
   */
  threads?: number | 'auto';
}

/**
 * Check `options` (before the data: `checkData` runs next), then place on `threads` threads with
 * `start`, or ordinarily with `ordinary` when the plan is one ordinary thread. `work` is the size
 * 'auto' compares with `autoFrom`. What `start` made becomes a placement of `owner` held by
 * `holdings` (holdPlacement); when the model was disposed meanwhile, the workers are stopped and
 * DisposedError thrown.
 */
export async function placeOnThreads<B extends { dispose(): void }, P>(p: {
  options: ThreadOptions;
  backend: BackendName;
  checkData: () => void;
  work: () => number;
  autoFrom: number;
  ordinary: () => P;
  start: (threads: number) => Promise<B>;
  data: { samples: number; steps: number };
  owner: object;
  holdings: Parameters<typeof holdPlacement<B>>[0];
}): Promise<P | Placement<B>> {
  checkKeys('options', p.options, ['threads']);
  const t = checkThreads(p.options.threads);
  if (t !== 'auto' && p.backend !== 'wasm') throw new ConfigError('threads', t, "'auto' with backend 'js' (threads run the WebAssembly core)");
  p.checkData();
  const threads = p.backend === 'wasm' ? threadPlan(t, p.work(), p.autoFrom) : 0;
  if (threads === 0) return p.ordinary();
  let backend: B;
  try {
    backend = await p.start(threads);
  } catch (error) {
    // 'auto' promises one thread where threads cannot run: a pool the runtime refused to start is that case.
    if (t === 'auto' && isStartFailure(error)) return p.ordinary();
    throw error;
  }
  try {
    return holdPlacement(p.holdings, p.owner, backend, p.data);
  } catch (error) {
    backend.dispose();
    throw error;
  }
}
