import { ConfigError, ShapeError } from '../errors.js';
import { checkKeys } from '../checks.js';
import { oneOf } from '../checks.js';
import { fromTfjs, toTfjs, type Exportable, type FromTfjsOptions, type InteropModel, type ToTfjsOptions } from './tfjs.js';
import { isObject, weightBytes, type TfjsArtifacts, type TfjsModelJson } from './tfjs-format.js';

/**
 * Where a TF.js model can come from: artifacts in memory, a URL of its model.json (http(s): or file:), or a file path.
 * @category Interop and serving
 */
export type TfjsSource = TfjsArtifacts | URL | string;

/**
 * Options of `loadTfjs`: `fromTfjs`'s, and where a model.json read from a file may find its weight files.
 * @category Interop and serving
 */
export interface LoadTfjsOptions extends FromTfjsOptions {
  /**
   * 'beside' (default): a model.json file's weight paths stay in its folder (no `..`, no absolute path,
   * no other scheme); 'anywhere': any local path. A remote model.json may only name paths on its own origin, always.
   */
  weightPaths?: 'beside' | 'anywhere';
}

// model.json files larger than this are refused before they are parsed.
const MAX_JSON_BYTES = 64 * 2 ** 20;

/**
 * Load a TF.js Layers model into elman: from artifacts (`tf.io.ModelArtifacts`), from the URL of its
 * model.json (fetched, weight files resolved beside it) or from a file path (node:fs, in Node, Deno, Bun).
 * @example
 * ```ts
 * import { init, ElmanRNN, saveTfjs, loadTfjs } from 'elman-rnn';
 *
 * await init();
 * const model = new ElmanRNN({ inputSize: 1, hiddenSize: 4, outputSize: 1, seed: 1 });
 * await saveTfjs(model, 'my-model/');                               // my-model/model.json + weights.bin
 * const { model: loaded } = await loadTfjs('my-model/model.json');  // a path, a URL, or tf.io artifacts
 * ```
 * @category Interop and serving
 */
export async function loadTfjs(source: TfjsSource, options: LoadTfjsOptions = {}): Promise<{ model: InteropModel; metadata: Record<string, unknown> | undefined }> {
  checkKeys('options', options, ['backend', 'weightPaths']);
  const { weightPaths, ...rest } = options;
  oneOf('options.weightPaths', weightPaths ?? 'beside', ['beside', 'anywhere'] as const);
  if (isObject(source) && !(source instanceof URL)) return fromTfjs(source as unknown as TfjsArtifacts, rest);
  if (!(source instanceof URL) && typeof source !== 'string') throw new ConfigError('source', source, 'TF.js artifacts, a URL of model.json or a file path');
  const url = toUrl(source);
  return fromModelJson(new TextDecoder().decode(await read(url)), url, rest, weightPaths === 'anywhere');
}

/** A model.json's text read from `url`, its weight files fetched or read beside it. */
export async function fromModelJson(text: string, url: URL, options: FromTfjsOptions = {}, anywhere = false): Promise<{ model: InteropModel; metadata: Record<string, unknown> | undefined }> {
  const json = parseModelJson(text, url.href);
  const urls = json.weightsManifest.flatMap((group, g) => group.paths.map((path, i) => weightUrl(path, url, `weightsManifest[${g}].paths[${i}]`, anywhere)));
  const weightData: ArrayBuffer[] = [];
  for (const at of urls) weightData.push(await read(at, 'a weight file'));
  return fromTfjs({ ...json, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }, options);
}

/**
 * Where a manifest's weight path points, judged before anything is read: a remote model.json only
 * names files on its own origin; a local one only files in its own folder, unless `anywhere`.
 */
function weightUrl(path: string, base: URL, name: string, anywhere: boolean): URL {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.test(path);
  let at: URL;
  try {
    at = new URL(path, base);
  } catch {
    throw new ConfigError(name, path, 'a relative path of a weight file');
  }
  if (base.protocol !== 'file:') {
    if (scheme || path.startsWith('//') || at.origin !== base.origin) throw new ConfigError(name, path, `a relative path on the model's origin ${base.origin}`);
    return at;
  }
  if (anywhere && at.protocol === 'file:') return at;
  const folder = base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.split(/[?#]/)[0]!);
  } catch {
    throw new ConfigError(name, path, 'a path beside model.json, percent-encoded correctly');
  }
  const parts = decoded.split(/[\\/]/);
  if (scheme || path.startsWith('/') || path.startsWith('\\') || parts.includes('..') || at.protocol !== 'file:' || !at.pathname.startsWith(folder)) {
    throw new ConfigError(name, path, "a path beside model.json (no '..', no absolute path; loadTfjs's weightPaths: 'anywhere' allows one)");
  }
  return at;
}

/**
 * The files TF.js reads for a model: model.json (naming weights.bin) and weights.bin, as a browser download or a worker would ship them.
 * @example
 * ```ts
 * import { init, ElmanRNN, tfjsFiles } from 'elman-rnn';
 *
 * await init();
 * const files = tfjsFiles(new ElmanRNN({ inputSize: 1, hiddenSize: 4, outputSize: 1, seed: 1 }));
 * console.log(Object.keys(files));   // ['model.json', 'weights.bin']: serve or upload them
 * ```
 * @category Interop and serving
 */
export function tfjsFiles(model: Exportable, options: ToTfjsOptions = {}): { 'model.json': string; 'weights.bin': Uint8Array } {
  const a = toTfjs(model, options);
  const { weightSpecs, weightData, ...rest } = a;
  const json: TfjsModelJson = { ...rest, weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }] };
  return { 'model.json': JSON.stringify(json), 'weights.bin': new Uint8Array(weightBytes(weightData)) };
}

/**
 * Write model.json and weights.bin into directory `dir` (created if missing), as TF.js's file:// handler does.
 * @example
 * ```ts
 * import { init, ElmanRNN, saveTfjs, loadTfjs } from 'elman-rnn';
 *
 * await init();
 * const model = new ElmanRNN({ inputSize: 1, hiddenSize: 4, outputSize: 1, seed: 1 });
 * await saveTfjs(model, 'my-model/');                               // my-model/model.json + weights.bin
 * const { model: loaded } = await loadTfjs('my-model/model.json');  // a path, a URL, or tf.io artifacts
 * ```
 * @category Interop and serving
 */
export async function saveTfjs(model: Exportable, dir: string | URL, options: ToTfjsOptions = {}): Promise<void> {
  if (!(dir instanceof URL) && (typeof dir !== 'string' || dir.trim() === '')) throw new ConfigError('dir', dir, 'a folder path or file: URL');
  if (dir instanceof URL && dir.protocol !== 'file:') throw new ConfigError('dir', dir.href, 'a folder path or file: URL');
  const files = tfjsFiles(model, options);
  // node:fs, named through a variable so that bundlers for browsers and workers leave it alone.
  const fsName = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ fsName)) as typeof import('node:fs/promises');
  const base = dir instanceof URL ? dir : toUrl(String(dir).endsWith('/') ? String(dir) : `${String(dir)}/`);
  await fs.mkdir(base, { recursive: true });
  await fs.writeFile(new URL('model.json', base), files['model.json']);
  await fs.writeFile(new URL('weights.bin', base), files['weights.bin']);
}

/** A file path (absolute, or relative to the working directory) or URL text as a URL. */
export function toUrl(source: string | URL): URL {
  if (source instanceof URL) return checkScheme(source);
  if (/^(https?|file):/i.test(source)) return checkScheme(new URL(source));
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(source)) throw new ConfigError('source', source, 'an http:, https: or file: URL, or a file path');
  if (source.trim() === '') throw new ConfigError('source', source, 'a URL or a file path');
  const cwd = typeof process !== 'undefined' && typeof process.cwd === 'function' ? process.cwd() : undefined;
  if (source.startsWith('/')) return new URL(`file://${encodePath(source)}`);
  if (cwd === undefined) return new URL(source, (globalThis as { location?: { href: string } }).location?.href);
  return new URL(encodePath(source), `file://${encodePath(cwd)}/`);
}

function checkScheme(url: URL): URL {
  if (!['http:', 'https:', 'file:'].includes(url.protocol)) throw new ConfigError('source', url.href, 'an http:, https: or file: URL, or a file path');
  return url;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

// A file larger than this (model.json or weights) is refused before it is read: 2^28 float32 weights.
const MAX_FILE_BYTES = 2 ** 30;

/** The bytes at `url` (`what` names it in errors): node:fs for file: URLs (regular files only), fetch otherwise. */
export async function read(url: URL, what = 'source'): Promise<ArrayBuffer> {
  const name = what === 'source' ? 'source' : `${what} ${url.href}`;
  if (url.protocol === 'file:') {
    const fsName = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ fsName)) as typeof import('node:fs/promises');
    // Judged before reading: a folder or a device (/dev/zero never ends) is not a model file.
    const info = await fs.stat(url).catch((error: Error & { code?: string }) => {
      throw new ConfigError(name, url.href, `an existing, readable file (${error.code ?? error.message})`);
    });
    if (!info.isFile()) throw new ConfigError(name, url.href, `a regular file, not ${info.isDirectory() ? 'a folder' : 'a device or socket'}`);
    if (info.size > MAX_FILE_BYTES) throw new ConfigError(name, url.href, `a file of at most ${MAX_FILE_BYTES} bytes (it has ${info.size})`);
    const bytes = await fs.readFile(url).catch((error: Error & { code?: string }) => {
      throw new ConfigError(name, url.href, `a readable file (${error.code ?? error.message})`);
    });
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  checkScheme(url);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ConfigError(name, url.href, `a reachable URL (${cause?.code ?? cause?.message ?? (error as Error).message})`);
  }
  if (!response.ok) throw new ConfigError(name, url.href, `a reachable URL (HTTP ${response.status})`);
  return response.arrayBuffer();
}

function parseModelJson(text: string, where: string): TfjsModelJson {
  if (text.length > MAX_JSON_BYTES) throw new ShapeError('model.json', where, `be at most ${MAX_JSON_BYTES} bytes`, `${text.length}`);
  const json = parseJson(text, where);
  if (!isObject(json) || !isObject(json.modelTopology) || !Array.isArray(json.weightsManifest)) throw new ConfigError('model.json', where, 'a TF.js Layers model.json with modelTopology and weightsManifest');
  json.weightsManifest.forEach((g: unknown, i) => {
    if (!isObject(g) || !Array.isArray(g.paths) || !g.paths.every((p) => typeof p === 'string') || !Array.isArray(g.weights)) throw new ConfigError(`weightsManifest[${i}]`, g, 'a group { paths: string[], weights: [...] }');
  });
  return json as unknown as TfjsModelJson;
}

/** JSON.parse, its SyntaxError turned into a ConfigError naming the file. */
export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError('model file', where, `valid JSON (${(error as Error).message})`);
  }
}
