// The plain-JS yardsticks, run in a worker thread: their own V8 isolate. In the bench's main
// isolate, any WebAssembly memory.grow (elman's rows, TF.js's, the bandwidth probe) detaches an
// ArrayBuffer, and from then on V8 checks for detached buffers on every typed-array access of
// optimised code: a plain-JS loop there ran ~30% slower at the tutorial size than in a program that
// never used WebAssembly. A user's own loop would not pay that, so the yardsticks are timed here.
// Each message is a sample: `calls` calls after a young-generation GC (as every row gets), timed here
// by this thread's CPU clock (bench/rounds.js), as the rows in the main thread are by theirs.
import { parentPort, workerData } from 'node:worker_threads';
import { collectYoung, threadCpuMs } from '../rounds.js';
import { trainCounter } from './counter.js';
import { makeElman, trainElman } from './elman.js';
import { makeGRU, trainGRU } from './gru.js';
import { makeLSTM, trainLSTM } from './lstm.js';


/** One call of each yardstick; `net` is made afresh per call, as the rows in the main isolate did. */
const YARDSTICKS = {
  counter: ({ data, w0, epochs, lr }) => trainCounter(data, w0, { epochs, lr }),
  elman: ({ data, net, train }) => trainElman(data, makeElman(net), train),
  gru: ({ data, net, train }) => trainGRU(data, makeGRU(net), train),
  lstm: ({ data, net, train }) => trainLSTM(data, makeLSTM(net), train),
};
const { kind, ...args } = workerData;
const call = YARDSTICKS[kind];

parentPort.on('message', (calls) => {
  collectYoung();
  let final;
  const c0 = threadCpuMs();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) final = call(args);
  const wall = performance.now() - t0;
  parentPort.postMessage({ wall: wall / calls, cpu: (threadCpuMs() - c0) / calls, final: kind === 'counter' ? final : undefined });
});
