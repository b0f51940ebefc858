// Node, Deno and Bun run this against the built package, imported by name as a user would (a package
// may import itself through its own "exports" map): init() with its default source, then the tutorial.
// The plain SIMD core everywhere (relaxedSimd: false): runtimes with relaxed SIMD (Deno) would otherwise
// load the relaxed core, whose fused multiply-adds move the GRU/LSTM run's bits (test/core-relaxed).
import * as elman from 'elman-rnn';
import { tutorialRuns } from './tutorial.mjs';

await elman.init(undefined, { relaxedSimd: false });
console.log(JSON.stringify(tutorialRuns(elman)));
