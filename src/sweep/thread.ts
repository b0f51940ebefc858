// A sweep pool's worker thread: loads the core once, then trains the runs it is sent, one at a time,
// posting each logged epoch and each result back.

import { parentPort } from 'node:worker_threads';
import { init } from '../backends/wasm/embedded.js';
import { runOne } from './run.js';
import type { RunSpec } from './spec.js';

const port = parentPort!;
await init();
port.on('message', async (message: { run: RunSpec; progress: boolean }) => {
  const { run, progress } = message;
  const result = await runOne(run, progress ? (epoch) => port.postMessage({ epoch }) : undefined);
  port.postMessage({ result });
});
port.postMessage({ ready: true });
