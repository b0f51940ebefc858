// The plain-JS counter yardstick, run in a worker thread: its own V8 isolate. In the bench's main
// isolate, any WebAssembly memory.grow (elman's rows, TF.js's, the bandwidth probe) detaches an
// ArrayBuffer, and from then on V8 checks for detached buffers on every typed-array access of
// optimised code: a plain-JS loop there ran ~30% slower at the tutorial size than in a program that
// never used WebAssembly. A user's own loop would not pay that, so the yardstick is timed here.
// Each message is a sample: `calls` calls after a young-generation GC (as every row gets), timed here.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { trainCounter } from './counter.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const { data, w0, epochs, lr } = workerData;

parentPort.on('message', (calls) => {
  gc({ type: 'minor' });
  let final;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) final = trainCounter(data, w0, { epochs, lr });
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  parentPort.postMessage({ wall: wall / calls, cpu: (c.user + c.system) / 1e3 / calls, final });
});
