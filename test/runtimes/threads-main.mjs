// Node, Deno and Bun run this against the built package: threads from the package's own entry.
import * as elman from 'elman-rnn';
import { threadRuns } from './threads.mjs';

await elman.init();
console.log(JSON.stringify(await threadRuns(elman)));
