import { expect, test } from 'vitest';
import { core, init, initSync, isInitialized } from '../../src/backends/wasm/core.js';
import { InitError } from '../../src/errors.js';
import { LinearRNN } from '../../src/models/linear.js';

// One file = one fresh core. initSync's failures, then the embedded default, then init and initSync mixed.

test('initSync wraps a compile failure and a wrong kind of source in InitError, and loads nothing', () => {
  expect(() => initSync(new Uint8Array([1, 2, 3]))).toThrow(InitError);
  expect(() => initSync(new Uint8Array([1, 2, 3]))).toThrow(/^could not load the elman WebAssembly core: CompileError/);
  expect(() => initSync('elman.wasm' as never)).toThrow(/^initSync\(source\) needs a WebAssembly.Module or bytes/);
  expect(() => initSync({} as never)).toThrow(InitError);
  expect(isInitialized()).toBe(false);
});

test('init() pending, then initSync(): one core, the one initSync built', async () => {
  const pending = init(); // the embedded core, no file read
  initSync(); // the embedded core, synchronously
  const first = core();
  await pending;
  expect(core()).toBe(first);
  await init();
  initSync();
  expect(core()).toBe(first);
  expect(new LinearRNN({ wx: 1, wRec: 1 }).predict([1, 1, 1])).toBe(3);
});
