import './globals.js';
import { InitError } from '../../errors.js';
import { Arena } from './arena.js';
import { exportsMismatch, NO_EPOCH_END, type CoreExports, type EpochEnd } from './exports.js';

/** One instantiated core: its exports and the allocator that owns its memory. */
export interface Core {
  readonly exports: CoreExports;
  readonly arena: Arena;
  /**
   * Where the core's epochEnd calls go: set by the run that asked for them (src/backends/wasm/linear.ts)
   * for its length, and restored after it, so a run started inside a handler has its own.
   */
  epochEnd: EpochEnd;
}

/**
 * Where the compiled core can come from: a precompiled `WebAssembly.Module` (what workerd needs),
 * the bytes of `elman.wasm`, or a URL (object or string) or `Response` to fetch or read it from.
 */
export type WasmSource = WebAssembly.Module | ArrayBuffer | ArrayBufferView | URL | string | Response;

let ready: Core | undefined;
let pending: Promise<Core> | undefined;

// The workerd entry (dist/workerd.js) imports the .wasm as a module and registers it here.
let registered: WebAssembly.Module | undefined;

/** Internal: make `module` what `init()` loads when given no source; the workerd entry calls it with its imported `.wasm`. */
export function setDefaultModule(module: WebAssembly.Module): void {
  if (!(module instanceof WebAssembly.Module)) throw new InitError(`setDefaultModule needs a WebAssembly.Module, got ${typeof module}`, module);
  registered = module;
}

/** True in Cloudflare's workerd, which refuses to compile WebAssembly from bytes at run time. */
const inWorkerd = (): boolean => (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers';

// The default entry's init() registers the embedded core here (./embedded.ts); the workerd entry
// does not import it, so bundles for workerd leave the base64 bytes out.
let embedded: (() => Uint8Array) | undefined;

/** Internal: make the embedded core's bytes what `init()` loads when given no source and no module is registered. */
export function setEmbeddedCore(bytes: () => Uint8Array): void {
  embedded = bytes;
}

/**
 * What `init()` loads by default: the registered module (workerd entry); else the embedded bytes,
 * which need no file, fetch or bundler rule in any runtime that may compile WebAssembly.
 */
function defaultSource(): WasmSource {
  if (registered) return registered;
  if (inWorkerd()) {
    throw new InitError(
      "workerd cannot compile WebAssembly from bytes: import the core as a module and pass it, `import wasm from 'elman-rnn/elman.wasm'; await init(wasm);` (or import 'elman-rnn' with the \"workerd\" export condition, as wrangler does)",
    );
  }
  if (!embedded) throw new InitError("no core to load: pass init() a source, or import init from 'elman-rnn', whose default entry embeds the core");
  return embedded();
}

const isBytes = (source: unknown): source is ArrayBuffer | ArrayBufferView => source instanceof ArrayBuffer || ArrayBuffer.isView(source);

function checkSource(source: unknown): WasmSource {
  const ok =
    source instanceof WebAssembly.Module ||
    isBytes(source) ||
    source instanceof URL ||
    typeof source === 'string' ||
    (typeof Response !== 'undefined' && source instanceof Response);
  if (!ok) throw new InitError(`init(source) needs a WebAssembly.Module, bytes, a URL, a string or a Response, got ${source === null ? 'null' : typeof source}`, source);
  return source as WasmSource;
}

/** Every failure to load leaves as an InitError that keeps the source it was given. */
function loadError(error: unknown, source: unknown): InitError {
  if (error instanceof InitError) return error;
  return new InitError(`could not load the elman WebAssembly core: ${String(error)}`, source);
}

/**
 * Load the WebAssembly core (once per process: later calls, and `initSync`, reuse it).
 * With no argument it loads the core embedded in the package; pass a `WebAssembly.Module` where
 * compiling bytes at run time is forbidden (Cloudflare workerd). Rejects with `InitError`; a failed
 * call leaves nothing behind, so a later call with a good source succeeds.
 */
export async function init(source?: WasmSource): Promise<void> {
  await loadCore(source);
}

/** Internal: `init()`, resolving to the core. Concurrent calls share one load. */
export function loadCore(source?: WasmSource): Promise<Core> {
  if (ready) return Promise.resolve(ready);
  if (pending) return pending;
  let chosen: WasmSource;
  try {
    chosen = source === undefined ? defaultSource() : checkSource(source);
  } catch (error) {
    return Promise.reject(loadError(error, source));
  }
  const attempt = compile(chosen).then(
    (module) => {
      pending = undefined;
      return instantiate(module);
    },
    (error: unknown) => {
      pending = undefined;
      throw error;
    },
  );
  pending = attempt.catch((error: unknown) => {
    throw loadError(error, source);
  });
  return pending;
}

/**
 * Load the core synchronously from a `WebAssembly.Module` or bytes (the embedded core when given
 * none). Returns at once if a core is already loaded; throws `InitError` on failure.
 */
export function initSync(source?: WebAssembly.Module | ArrayBuffer | ArrayBufferView): void {
  if (ready) return;
  try {
    const chosen = source === undefined ? defaultSource() : checkSource(source);
    if (!(chosen instanceof WebAssembly.Module) && !isBytes(chosen)) {
      throw new InitError(`initSync(source) needs a WebAssembly.Module or bytes (use init() for a URL or Response), got ${typeof chosen}`, source);
    }
    instantiate(chosen instanceof WebAssembly.Module ? chosen : new WebAssembly.Module(chosen as BufferSource));
  } catch (error) {
    throw loadError(error, source);
  }
}

/** The loaded core, or an InitError telling the caller to await `init()` first. */
export function core(): Core {
  if (!ready) throw new InitError("the WebAssembly core is not loaded: call `await init()` first (or use backend: 'js')");
  return ready;
}

/** What the loaded core can do: which build of it is live. */
export interface CoreFeatures {
  /**
   * True when the live core is the relaxed-SIMD build (`elman.relaxed.wasm`): its matrix products
   * use `f32x4.relaxed_madd`, which the engine may fuse (one rounding) or not (two), so results
   * differ from the plain SIMD core's by float32 rounding (see docs/precision.md).
   */
  readonly relaxedSimd: boolean;
}

/** Which core is live; throws InitError before `init()`. */
export function coreFeatures(): CoreFeatures {
  return { relaxedSimd: (core().exports.features() & 1) !== 0 };
}

/** Internal: bytes from base64 (atob: Node, Deno, Bun, browsers and workers all have it). */
export function fromBase64(text: string): Uint8Array {
  const chars = atob(text);
  const bytes = new Uint8Array(chars.length);
  for (let i = 0; i < chars.length; i++) bytes[i] = chars.charCodeAt(i);
  return bytes;
}

// The smallest module using relaxed SIMD: one function computing f32x4.relaxed_madd of three zero
// vectors and dropping it (82 bytes).
const RELAXED_PROBE = 'AGFzbQEAAAABBAFgAAADAgEACj4BPAD9DAAAAAAAAAAAAAAAAAAAAAD9DAAAAAAAAAAAAAAAAAAAAAD9DAAAAAAAAAAAAAAAAAAAAAD9hQIaCw==';
let relaxed: boolean | undefined;

/** Internal: whether this runtime validates relaxed SIMD (Chromium 114+, Deno; Node 20 only with `--experimental-wasm-relaxed-simd`). */
export function relaxedSimdSupported(): boolean {
  relaxed ??= WebAssembly.validate(fromBase64(RELAXED_PROBE) as BufferSource);
  return relaxed;
}

/** True once `init()` or `initSync()` has loaded the core. */
export function isInitialized(): boolean {
  return ready !== undefined;
}

/** Instantiate `module` as the process's one core, unless one is already loaded (then that one wins). */
function instantiate(module: WebAssembly.Module): Core {
  if (ready) return ready;
  let made: Core | undefined;
  const instance = new WebAssembly.Instance(module, { elman: { epochEnd: (job: number, epoch: number, loss: number) => made!.epochEnd(job, epoch, loss) } });
  const mismatch = exportsMismatch(instance.exports);
  if (mismatch) throw new InitError(`this is not the elman core this version expects (${mismatch}): rebuild it with \`npm run build:wasm\``, module);
  const exports = instance.exports as unknown as CoreExports;
  made = { exports, arena: new Arena(exports.memory, exports.heapBase()), epochEnd: NO_EPOCH_END.elman.epochEnd };
  ready = made;
  return ready;
}

async function compile(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (isBytes(source)) return WebAssembly.compile(source as BufferSource);
  if (typeof Response !== 'undefined' && source instanceof Response) return compileResponse(source);
  const url = new URL(String(source), typeof location === 'undefined' ? undefined : location.href);
  if (url.protocol === 'file:') {
    // Node, Deno and Bun all read files through node:fs; the specifier is hidden from bundlers.
    const fs = 'node:fs/promises';
    const { readFile } = (await import(/* @vite-ignore */ /* webpackIgnore: true */ fs)) as typeof import('node:fs/promises');
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
