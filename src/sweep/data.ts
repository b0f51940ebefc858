// A run's data, opened where the run runs: inline values as they are, a reference (file, URL, Redis
// key) read then; a series cut into windows, its end held out and the scaler fitted on the rest.

import { readFile } from 'node:fs/promises';
import { Scaler } from '../data/scaler.js';
import type { Sequences } from '../data/sequences.js';
import { splitByTime, windows } from '../data/windows.js';
import { ConfigError } from '../errors.js';
import type { DataSource, DataSpec } from './spec.js';

/** Reads a Redis key's value (the Redis path supplies one; the embedded runner has none). */
export type KeyReader = (key: string) => Promise<string | null>;

/** A run's training data and, when the spec holds some out, its held-out part. */
export interface RunData {
  train: Sequences;
  validation: Sequences | undefined;
}

// Referenced data read recently, by reference: runs of a grid over one file read it once per worker.
const recent = new Map<string, Promise<DataSource>>();
const RECENT = 8;

async function fetchSource(ref: string, open: () => Promise<string | null>, argument: string): Promise<DataSource> {
  const text = await open();
  if (text === null) throw new ConfigError(argument, ref, 'a reference to existing data');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(argument, ref, 'JSON holding { series } or { sequences }');
  }
  const source = Array.isArray(parsed) ? { series: parsed as number[] } : (parsed as DataSource);
  if (typeof source !== 'object' || source === null || (source.series === undefined && source.sequences === undefined)) throw new ConfigError(argument, ref, 'JSON holding { series } or { sequences }');
  return source;
}

/** The inline source of a spec: itself, or what its file, URL or key holds. */
function resolve(spec: DataSpec, readKey: KeyReader | undefined): Promise<DataSource> | DataSource {
  if (spec.series !== undefined || spec.sequences !== undefined) return spec;
  const [kind, ref] = spec.file !== undefined ? ['file', spec.file] : spec.url !== undefined ? ['url', spec.url] : ['key', spec.key!];
  const id = `${kind}:${ref}`;
  let hit = recent.get(id);
  if (hit === undefined) {
    const argument = `data.${kind}`;
    const open =
      kind === 'file'
        ? () => readFile(ref, 'utf8')
        : kind === 'url'
          ? async () => {
              const response = await fetch(ref);
              if (!response.ok) throw new ConfigError(argument, ref, `a URL that answers (HTTP ${response.status})`);
              return response.text();
            }
          : () => {
              if (!readKey) throw new ConfigError(argument, ref, 'a file or URL: Redis keys are read by Redis workers only');
              return readKey(ref);
            };
    hit = fetchSource(ref, open, argument);
    hit.catch(() => recent.delete(id)); // a failed read is tried again by the next run
    recent.set(id, hit);
    if (recent.size > RECENT) recent.delete(recent.keys().next().value!);
  }
  return hit;
}

/** Open a run's data: sequences as given, or a series windowed (scaled on its training part, its end held out). */
export async function openData(spec: DataSpec, readKey?: KeyReader): Promise<RunData> {
  const source = await resolve(spec, readKey);
  if (source.sequences !== undefined) {
    const s = source.sequences;
    if (!Array.isArray(s.x) || !Array.isArray(s.targets)) throw new ConfigError('data.sequences', s, 'x and targets as arrays of numbers');
    return { train: { ...s, x: Float32Array.from(s.x), targets: Float32Array.from(s.targets) }, validation: undefined };
  }
  const { lookback, horizon = 1, stride = 1, validation = 0, scale = true } = spec;
  if (lookback === undefined) throw new ConfigError('data.lookback', lookback, 'an integer >= 1 (steps per window of a series)');
  if (!(typeof validation === 'number' && validation >= 0 && validation < 1)) throw new ConfigError('data.validation', validation, 'a fraction in [0, 1)');
  const rows = (Array.isArray(source.series![0]) ? source.series : [source.series]) as number[][];
  const { train: past, test: future } = validation > 0 ? splitByTime(rows, 1 - validation, lookback) : { train: rows, test: undefined };
  const scaler = scale ? Scaler.fit(past) : undefined;
  const cut = (part: number[][]) => windows(scaler ? scaler.transform(part) : part, { lookback, horizon, stride });
  return { train: cut(past), validation: future && cut(future) };
}
