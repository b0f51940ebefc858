import { ConfigError } from '../errors.js';

/** A command-line mistake: reported as one line naming the flag, exit code 2. */
export class UsageError extends ConfigError {}

/** Parse a numeric flag value, naming the flag when it is not a number. */
export function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(v)) throw new UsageError(`--${flag}`, value, 'a finite number');
  return v;
}

/** Parse an integer flag value >= min. */
export function int(flag: string, value: string | undefined, min: number): number | undefined {
  const v = num(flag, value);
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new UsageError(`--${flag}`, value, `an integer >= ${min}`);
  return v;
}

/** Parse a flag whose value must be one of `choices`. */
export function oneOf<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`--${flag}`, value, `one of ${choices.join(', ')}`);
  return value as T;
}

/** Parse `a,b` into two finite numbers. */
export function pair(flag: string, value: string | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (parts.length !== 2 || !parts.every(Number.isFinite)) throw new UsageError(`--${flag}`, value, 'two finite numbers "wx,wrec"');
  return [parts[0]!, parts[1]!];
}

/** printf's %8.4f: fixed 4 decimals, right-aligned in 8 columns. */
export function f84(v: number): string {
  return v.toFixed(4).padStart(8);
}
