import { ConfigError, ShapeError } from '../errors.js';
import { fromTfjs, toTfjs, type Exportable, type FromTfjsOptions, type InteropModel, type ToTfjsOptions } from './tfjs.js';
import { isObject, weightBytes, type TfjsArtifacts, type TfjsModelJson } from './tfjs-format.js';

/**
 * Where a TF.js model can come from: artifacts in memory, a URL of its model.json (http(s): or file:), or a file path.
 * @category Interop and serving
 */
export type TfjsSource = TfjsArtifacts | URL | string;

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
export async function loadTfjs(source: TfjsSource, options: FromTfjsOptions = {}): Promise<{ model: InteropModel; metadata: Record<string, unknown> | undefined }> {
  if (isObject(source) && !(source instanceof URL)) return fromTfjs(source as unknown as TfjsArtifacts, options);
  if (!(source instanceof URL) && typeof source !== 'string') throw new ConfigError('source', source, 'TF.js artifacts, a URL of model.json or a file path');
  const url = toUrl(source);
  return fromModelJson(new TextDecoder().decode(await read(url)), url, options);
}

/** A model.json's text read from `url`, its weight files fetched or read beside it. */
export async function fromModelJson(text: string, url: URL, options: FromTfjsOptions = {}): Promise<{ model: InteropModel; metadata: Record<string, unknown> | undefined }> {
  const json = parseModelJson(text, url.href);
  const weightData: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) for (const path of group.paths) weightData.push(await read(new URL(path, url)));
  return fromTfjs({ ...json, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }, options);
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
  if (source instanceof URL) return source;
  if (/^(https?|file):/i.test(source)) return new URL(source);
  if (source.trim() === '') throw new ConfigError('source', source, 'a URL or a file path');
  const cwd = typeof process !== 'undefined' && typeof process.cwd === 'function' ? process.cwd() : undefined;
  if (source.startsWith('/')) return new URL(`file://${encodePath(source)}`);
  if (cwd === undefined) return new URL(source, (globalThis as { location?: { href: string } }).location?.href);
  return new URL(encodePath(source), `file://${encodePath(cwd)}/`);
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The bytes at `url`: node:fs for file: URLs, fetch otherwise. */
export async function read(url: URL): Promise<ArrayBuffer> {
  if (url.protocol === 'file:') {
    const fsName = 'node:fs/promises';
    const { readFile } = (await import(/* @vite-ignore */ /* webpackIgnore: true */ fsName)) as typeof import('node:fs/promises');
    const bytes = await readFile(url);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  const response = await fetch(url);
  if (!response.ok) throw new ConfigError('source', url.href, `a reachable URL (HTTP ${response.status})`);
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
