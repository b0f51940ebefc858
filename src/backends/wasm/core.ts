import { InitError } from '../../errors.js';
import { Arena } from './arena.js';
import { exportsMismatch, type CoreExports } from './exports.js';

/** One instantiated core: its exports and the allocator that owns its memory. */
export interface Core {
  readonly exports: CoreExports;
  readonly arena: Arena;
}

/** Where the compiled core can come from: a precompiled module (workerd), bytes, or a URL to fetch or read. */
export type WasmSource = WebAssembly.Module | BufferSource | URL | string | Response;

let ready: Core | undefined;
let pending: Promise<Core> | undefined;

/** Where the core ships: build/elman.wasm at the package root, from src/ and dist/ alike. */
export const defaultWasmUrl = (): URL => new URL('../../../build/elman.wasm', import.meta.url);

// The workerd entry (dist/workerd.js) imports the .wasm as a module and registers it here.
let bundled: WebAssembly.Module | undefined;

/** Make `module` what `init()` loads when given no source; the workerd entry calls it with its imported `.wasm`. */
export function setDefaultModule(module: WebAssembly.Module): void {
  if (!(module instanceof WebAssembly.Module)) throw new InitError(`setDefaultModule needs a WebAssembly.Module, got ${typeof module}`, module);
  bundled = module;
}

/** True in Cloudflare's workerd, which refuses to compile WebAssembly from bytes at run time. */
const inWorkerd = (): boolean => (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers';

/**
 * What `init()` loads by default: the registered module (workerd entry); else the file next to the
 * package, read with node:fs in Node, Deno and Bun (file: URL) and fetched in browsers (http: URL).
 */
function defaultSource(): WasmSource {
  if (bundled) return bundled;
  if (inWorkerd()) {
    throw new InitError(
      "workerd cannot compile WebAssembly from bytes: import the core as a module and pass it, `import wasm from 'elman/elman.wasm'; await init(wasm);` (or import 'elman' with the \"workerd\" export condition, as wrangler does)",
    );
  }
  return defaultWasmUrl();
}

function checkSource(source: unknown): WasmSource {
  const ok =
    source instanceof WebAssembly.Module ||
    source instanceof ArrayBuffer ||
    ArrayBuffer.isView(source) ||
    source instanceof URL ||
    typeof source === 'string' ||
    (typeof Response !== 'undefined' && source instanceof Response);
  if (!ok) throw new InitError(`init(source) needs a WebAssembly.Module, bytes, a URL, a string or a Response, got ${source === null ? 'null' : typeof source}`, source);
  return source as WasmSource;
}

/**
 * Load the WebAssembly core once; later calls return the same promise.
 * Pass a `WebAssembly.Module` where compiling bytes at run time is forbidden (Cloudflare workerd).
 */
export function init(source?: WasmSource): Promise<Core> {
  if (ready) return Promise.resolve(ready);
  let chosen: WasmSource;
  try {
    chosen = source === undefined ? defaultSource() : checkSource(source);
  } catch (error) {
    return Promise.reject(error);
  }
  pending ??= compile(chosen).then(
    (module) => instantiate(module),
    (error: unknown) => {
      pending = undefined;
      throw new InitError(`could not load the elman WebAssembly core: ${String(error)}`, source);
    },
  );
  return pending;
}

/** Synchronous init from a module or bytes (small module, so synchronous compilation is allowed). */
export function initSync(source: WebAssembly.Module | BufferSource): Core {
  if (ready) return ready;
  return instantiate(source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source));
}

/** The loaded core, or an InitError telling the caller to await `init()` first. */
export function core(): Core {
  if (!ready) throw new InitError("the WebAssembly core is not loaded: call `await init()` first (or use backend: 'js')");
  return ready;
}

/** True once `init()` has finished. */
export function isInitialized(): boolean {
  return ready !== undefined;
}

function instantiate(module: WebAssembly.Module): Core {
  const instance = new WebAssembly.Instance(module, {});
  const mismatch = exportsMismatch(instance.exports);
  if (mismatch) throw new InitError(`this is not the elman core this version expects (${mismatch}): rebuild it with \`npm run build:wasm\``, module);
  const exports = instance.exports as unknown as CoreExports;
  ready = { exports, arena: new Arena(exports.memory, exports.heapBase()) };
  return ready;
}

async function compile(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  if (typeof Response !== 'undefined' && source instanceof Response) return compileResponse(source);
  const url = new URL(String(source), typeof location === 'undefined' ? undefined : location.href);
  if (url.protocol === 'file:') {
    // Node, Deno and Bun all read files through node:fs; the specifier is hidden from bundlers.
    const fs = 'node:fs/promises';
    const { readFile } = (await import(/* @vite-ignore */ fs)) as typeof import('node:fs/promises');
    return WebAssembly.compile(await readFile(url));
  }
  return compileResponse(await fetch(url));
}

async function compileResponse(response: Response): Promise<WebAssembly.Module> {
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${response.url}`);
  // Streaming compilation needs the application/wasm MIME type; fall back to bytes when a server omits it.
  if (response.headers.get('content-type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}
