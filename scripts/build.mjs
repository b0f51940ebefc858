// `npm run build` (and build:wasm, build:ts): the cores compiled by AssemblyScript, as many at a time as
// there are cores (each is one single-threaded binaryen run), then embedded, then tsc. Each step says
// what it does and how long it took, so a first `npm start` is not a minute of silence.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const cores = [
  ['build/elman.wasm', 'release, SIMD', ['--config', 'asconfig.json', '--target', 'release']],
  ['build/elman.relaxed.wasm', 'release, relaxed SIMD', ['--config', 'asconfig.relaxed.json', '--target', 'release']],
  ['build/elman.threads.wasm', 'release, SIMD and threads', ['--config', 'asconfig.threads.json', '--target', 'release']],
  ['build/elman.debug.wasm', 'debug, with a source map', ['--config', 'asconfig.json', '--target', 'debug']],
];
const seconds = (t0) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

/** Run a Node script from the repository root; reject with its exit code. */
const node = (script, args) =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`${script} ${args.join(' ')} exited ${code}`))));
  });

async function wasm() {
  const asc = fileURLToPath(import.meta.resolve('assemblyscript/bin/asc.js'));
  const t0 = performance.now();
  console.log(`build: compiling ${cores.length} WebAssembly cores with AssemblyScript, ${Math.min(availableParallelism(), cores.length)} at a time (binaryen -O3: the slow part)`);
  const queue = [...cores];
  const worker = async () => {
    for (let core = queue.shift(); core; core = queue.shift()) {
      const [out, what, args] = core;
      const t = performance.now();
      await node(asc, args);
      console.log(`  ${out} (${what}) in ${seconds(t)}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), cores.length) }, worker));
  await node('scripts/embed-wasm.mjs', []);
  console.log(`build: cores done in ${seconds(t0)}`);
}

async function ts() {
  const t0 = performance.now();
  console.log('build: tsc compiles src/ to dist/ (JavaScript and declarations)');
  await node(require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.json']);
  console.log(`build: dist/ done in ${seconds(t0)}`);
}

const step = process.argv[2];
if (step !== 'ts') await wasm();
if (step !== 'wasm') await ts();
