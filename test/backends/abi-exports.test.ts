import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CORE_FUNCTIONS, CORE_IMPORTS, exportsMismatch, NO_EPOCH_END } from '../../src/backends/wasm/exports.js';
import { InitError } from '../../src/errors.js';

const root = join(import.meta.dirname, '../..');
const built = () => new WebAssembly.Module(readFileSync(join(root, 'build/elman.wasm')));

test('the built core exports exactly the declared functions, each with its declared parameter count, and a memory, and imports only the declared epochEnd', () => {
  const module = built();
  const exported = WebAssembly.Module.exports(module);
  expect(exported.filter((e) => e.kind === 'memory').map((e) => e.name)).toEqual(['memory']);
  expect(exported.filter((e) => e.kind === 'function').map((e) => e.name).sort()).toEqual(Object.keys(CORE_FUNCTIONS).sort());
  expect(() => new WebAssembly.Instance(module, {})).toThrow(/elman/); // without its import it does not instantiate
  const instance = new WebAssembly.Instance(module, NO_EPOCH_END);
  for (const [name, arity] of Object.entries(CORE_FUNCTIONS)) expect([name, (instance.exports[name] as (...a: number[]) => unknown).length]).toEqual([name, arity]);
  expect(exportsMismatch(instance.exports)).toBeUndefined();
  expect(WebAssembly.Module.imports(module)).toEqual(CORE_IMPORTS);
});

test('a module that does not match is named precisely (the check can fail)', () => {
  const instance = new WebAssembly.Instance(built(), NO_EPOCH_END);
  const { linearTrain: _dropped, ...rest } = instance.exports;
  expect(exportsMismatch(rest)).toBe('missing linearTrain');
  expect(exportsMismatch({ ...instance.exports, extra: () => 0 })).toBe('undeclared export extra');
  expect(exportsMismatch({ ...instance.exports, powi: (b: number) => b })).toBe('powi takes 1 parameters, expected 2');
});

test('init refuses a core whose exports do not match, with an InitError', async () => {
  // A valid module exporting only a memory: it compiles and instantiates, but is not the elman core.
  const bytes = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 0, 1, 7, 10, 1, 6, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 2, 0);
  const { initSync } = await import('../../src/backends/wasm/core.js?stale' as string);
  expect(() => initSync(bytes)).toThrow(InitError);
  expect(() => initSync(bytes)).toThrow(/missing heapBase/);
});

test('every file of src/abi/ holds only integer constants, so AssemblyScript and TypeScript read the same values', () => {
  const dir = join(root, 'src/abi');
  for (const name of readdirSync(dir)) {
    const code = readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.trim().startsWith('//') && !line.trim().startsWith('/**') && !line.trim().startsWith('*'));
    for (const line of code) expect([name, line]).toEqual([name, expect.stringMatching(/^export const [A-Z][A-Z0-9_]* = -?\d+;$/)]);
  }
});

test('the built threads core exports exactly the core, threadRun and threadReduce, each with its declared parameter count, over an imported shared memory', async () => {
  const { THREADS_FUNCTIONS } = await import('../../src/backends/threads/exports.js');
  const module = new WebAssembly.Module(readFileSync(join(root, 'build/elman.threads.wasm')));
  const exported = WebAssembly.Module.exports(module);
  expect(exported.filter((e) => e.kind === 'function').map((e) => e.name).sort()).toEqual(Object.keys(THREADS_FUNCTIONS).sort());
  expect(Object.keys(THREADS_FUNCTIONS).filter((name) => !Object.hasOwn(CORE_FUNCTIONS, name)).sort()).toEqual(['threadReduce', 'threadRun']);
  expect(WebAssembly.Module.imports(module)).toEqual([...CORE_IMPORTS, { module: 'env', name: 'memory', kind: 'memory' }]);
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
  const instance = new WebAssembly.Instance(module, { env: { memory }, elman: NO_EPOCH_END.elman });
  expect(exportsMismatch(instance.exports, THREADS_FUNCTIONS)).toBeUndefined();
  expect(exportsMismatch(instance.exports)).toBe('undeclared export threadRun; undeclared export threadReduce');
  const { threadRun: _dropped, ...rest } = instance.exports;
  expect(exportsMismatch(rest, THREADS_FUNCTIONS)).toBe('missing threadRun');
});

test('the host declares exactly what assembly/index.ts and assembly/threads.ts export (the build step npm run build:wasm runs first), and a stale declaration is named', async () => {
  // @ts-expect-error: a plain ESM script without types
  const { check, coreExports } = (await import('../../scripts/check-exports.mjs')) as { check: (o?: { wasmExports?: string }) => { problems: string[] }; coreExports: (f: string) => Record<string, number> };
  expect(check().problems).toEqual([]);
  expect(coreExports(join(root, 'assembly/index.ts'))).toEqual(CORE_FUNCTIONS);
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const stale = join(mkdtempSync(join(tmpdir(), 'elman-exports-')), 'exports.ts');
  writeFileSync(stale, readFileSync(join(root, 'src/backends/wasm/exports.ts'), 'utf8').replace('  powi: 2,\n', '  powi: 1,\n  elmanLossGrad: 1,\n'));
  expect(check({ wasmExports: stale }).problems).toEqual([
    'CORE_FUNCTIONS (src/backends/wasm/exports.ts) gives powi 1 parameters; the core\'s takes 2',
    'CORE_FUNCTIONS (src/backends/wasm/exports.ts) declares elmanLossGrad, which the core does not export',
  ]);
});

test('NO_EPOCH_END is frozen: a library that adds to the imports it is given (as @assemblyscript/loader adds env) cannot change it for later instances', async () => {
  const { instantiateSync } = await import('@assemblyscript/loader');
  expect(() => instantiateSync(built(), NO_EPOCH_END)).toThrow(TypeError);
  expect(Object.keys(NO_EPOCH_END)).toEqual(['elman']);
  expect(Object.keys(NO_EPOCH_END.elman)).toEqual(['epochEnd']);
  expect(() => NO_EPOCH_END.elman.epochEnd(0, 0, 0)).toThrow(/no run to report to/);
  // Given a fresh object, the loader instantiates the core.
  const { exports } = instantiateSync(built(), { elman: NO_EPOCH_END.elman }) as unknown as { exports: { heapBase(): number } };
  expect(exports.heapBase()).toBeGreaterThan(0);
});
