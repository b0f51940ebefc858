// The source of a pool's worker, as a string: run by Node as `new Worker(src, { eval: true })` and by
// browsers from a Blob URL, so it needs no file beside the package's code and no bundler rule. It is
// sent the compiled threads core, the shared memory and its control words; each time the generation
// word changes it runs its share of the round's task (the core's dispatcher) and counts itself done.
// A failure is flagged in the memory: the waiting thread cannot hear an 'error' event while it waits.

/** Int32 indices of the control words at a pool's `ctrl`. */
export const GEN = 0, CMD = 1, DONE = 2, FAILED = 3, TASK = 4;
/** Commands at CMD. */
export const RUN = 1, STOP = 2;

/** What the worker is sent. */
export interface WorkerStart {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly ctrl: number;
  readonly index: number;
}

// Plain ES2017 written as a string (not a compiled function's text): minifiers cannot rename what it
// relies on, and it is the same under every bundler. The bootstrap is chosen by the host (Bun's Web
// Workers also have `require`, so the worker cannot tell by itself).
const BODY = `'use strict';
function start(d, post) {
  var core = new WebAssembly.Instance(d.module, { env: { memory: d.memory }, elman: { epochEnd: function () { throw new Error('elman core: epochEnd in a worker'); } } }).exports;
  var ctrl = new Int32Array(d.memory.buffer, d.ctrl, 5);
  var seen = Atomics.load(ctrl, ${GEN});
  post('ready');
  for (;;) {
    Atomics.wait(ctrl, ${GEN}, seen);
    seen = Atomics.load(ctrl, ${GEN});
    if (Atomics.load(ctrl, ${CMD}) === ${STOP}) break;
    try { core.threadRun(Atomics.load(ctrl, ${TASK}), d.index); } catch (e) { Atomics.store(ctrl, ${FAILED}, 1); }
    Atomics.add(ctrl, ${DONE}, 1);
    Atomics.notify(ctrl, ${DONE});
  }
}
`;

/** The worker's source for worker_threads in Node and Deno (`eval: true`, the start in workerData). */
export const NODE_WORKER_SOURCE = `${BODY}var wt = require('node:worker_threads');
start(wt.workerData, function (m) { wt.parentPort.postMessage(m); });
`;

/** The worker's source for Web Workers (browsers, Bun, a Deno without worker_threads: the start in the first message). */
export const WEB_WORKER_SOURCE = `${BODY}self.onmessage = function (e) { self.onmessage = null; start(e.data, function (m) { self.postMessage(m); }); self.close(); };
`;
