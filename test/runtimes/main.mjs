// Node, Deno and Bun run this against the built package, imported by name as a user would (a package
// may import itself through its own "exports" map): init() with its default, then the tutorial.
import * as elman from 'elman';
import { tutorialRuns } from './tutorial.mjs';

await elman.init();
console.log(JSON.stringify(tutorialRuns(elman)));
