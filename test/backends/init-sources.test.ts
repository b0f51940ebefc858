import { readFileSync } from 'node:fs';
import { afterEach, expect, test, vi } from 'vitest';
import { init, isInitialized } from '../../src/backends/wasm/core.js';
import { InitError } from '../../src/errors.js';
import { LinearRNN } from '../../src/models/linear.js';

// One file = one fresh core: the failures run before the success that caches the instance.
const bytes = readFileSync(new URL('../../build/elman.wasm', import.meta.url));
// (module (import "m" "f" (func))): compiles, but cannot be instantiated without imports.
const needsImports = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 7, 1, 1, 0x6d, 1, 0x66, 0, 0]);
// (module): instantiates, but is not the elman core.
const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
afterEach(() => vi.unstubAllGlobals());

test('a source of the wrong kind is an InitError naming what it got, before any loading', async () => {
  const error = await init(42 as never).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InitError);
  expect((error as InitError).message).toBe('init(source) needs a WebAssembly.Module, bytes, a URL, a string or a Response, got number');
  expect(isInitialized()).toBe(false);
});

test('in workerd the default is refused with the way to pass a module', async () => {
  vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
  const error = await init().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InitError);
  expect((error as InitError).message).toContain("import wasm from 'elman-rnn/elman.wasm'; await init(wasm);");
  expect(isInitialized()).toBe(false);
});

test('a missing file is an InitError that keeps the source, and a later init can still succeed', async () => {
  const missing = new URL('../../build/no-such.wasm', import.meta.url);
  const error = await init(missing).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InitError);
  expect((error as InitError).value).toBe(missing);
  expect(isInitialized()).toBe(false);
});

test('bytes that are not WebAssembly are an InitError, not a raw CompileError', async () => {
  const error = await init(new Uint8Array([1, 2, 3])).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InitError);
  expect((error as InitError).message).toMatch(/^could not load the elman WebAssembly core: CompileError/);
});

test('a module that compiles but cannot be instantiated is an InitError, and leaves init usable', async () => {
  const error = await init(needsImports).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InitError);
  expect((error as InitError).message).toMatch(/Import #0/);
  expect(isInitialized()).toBe(false);
});

test('a module that instantiates but is not the core is refused, and leaves init usable', async () => {
  const error = await init(empty).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InitError);
  expect((error as InitError).message).toMatch(/^this is not the elman core this version expects/);
  expect(isInitialized()).toBe(false);
});

test('after every failure above, a precompiled WebAssembly.Module loads (the workerd path) and the core computes', async () => {
  await init(new WebAssembly.Module(bytes));
  expect(isInitialized()).toBe(true);
  // s = [0, 1, 1+1, 2+1] for x = 1,1,1 at wx = wRec = 1: y = 3.
  expect(new LinearRNN({ wx: 1, wRec: 1 }).predict([1, 1, 1])).toBe(3);
});
