// A bench row whose calls run in bench/plain/worker.js (that file says why): `sample(calls)` is
// timed there (CPU time of the process while this thread waits), `run()` is one call.
import { Worker } from 'node:worker_threads';

/** { key: 'plain', name, run, sample, final, dispose } for the yardstick `kind` with `args` (structured-cloned once). */
export function plainRow(kind, args) {
  let last;
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { kind, ...args } });
  const sample = (calls) =>
    new Promise((resolve, reject) => {
      worker.once('message', (r) => {
        worker.off('error', reject);
        last = r.final;
        resolve(r);
      });
      worker.once('error', reject);
      worker.postMessage(calls);
    });
  return { key: 'plain', name: 'plain JS', run: () => sample(1), sample, final: () => last, dispose: () => void worker.terminate() };
}
