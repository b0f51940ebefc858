// Node, Deno and Bun run this against the built package: init() with its default, then the tutorial.
import * as elman from '../../dist/index.js';
import { tutorialRuns } from './tutorial.mjs';

await elman.init();
console.log(JSON.stringify(tutorialRuns(elman)));
