import { ConfigError, ElmanError } from '../index.js';

/** A command-line mistake: reported as one line naming the flag, exit code 2. */
export class UsageError extends ConfigError {}

/** A library error raised by a flag's value, re-told with the flag's name (`--test-samples`, not `samples`). */
export function asFlag(flag: string, value: unknown, error: unknown): unknown {
  if (!(error instanceof ElmanError) || error.name === 'DivergenceError') return error;
  const expected = /must (?:be )?(.*), got /.exec(error.message)?.[1];
  return new UsageError(flag, value, expected ?? `accepted: ${error.message}`);
}

/** Which flag (and its value as typed) each library argument name comes from, e.g. `{ samples: ['--test-samples', '1e12'] }`. */
export type FlagMap = Readonly<Record<string, readonly [flag: string, value: unknown]>>;

/**
 * Run `make`; an ElmanError about an argument in `flags` is re-told with the flag's name, so
 * `--test-samples` is named rather than `samples`. Other errors pass unchanged (still one line).
 */
export async function withFlags<T>(flags: FlagMap, make: () => T | Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (error) {
    const key = error instanceof ElmanError ? error.argument.split('.').pop()! : '';
    const entry = Object.hasOwn(flags, key) ? flags[key] : undefined;
    throw entry ? asFlag(entry[0], entry[1], error) : error;
  }
}

// Plain decimal numbers only: no hex (0x10), binary, octal, Infinity or surrounding blanks.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Parse a numeric flag value written in decimal, naming the flag when it is not a finite number. */
export function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = DECIMAL.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(v)) throw new UsageError(`--${flag}`, value, 'a finite decimal number');
  return v;
}

/** Parse an integer flag value in [min, max]. */
export function int(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = num(flag, value);
  if (v !== undefined && (!Number.isInteger(v) || v < min || v > max)) {
    throw new UsageError(`--${flag}`, value, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`);
  }
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
  const parts = value.split(',').map((s) => (DECIMAL.test(s) ? Number(s) : NaN));
  if (parts.length !== 2 || !parts.every(Number.isFinite)) throw new UsageError(`--${flag}`, value, 'two finite numbers "wx,wrec"');
  return [parts[0]!, parts[1]!];
}

/** printf's %8.4f: fixed 4 decimals, right-aligned in 8 columns. */
export function f84(v: number): string {
  return v.toFixed(4).padStart(8);
}

/** Largest --epochs: the run's history (loss and weights per epoch) stays well within memory. */
export const MAX_EPOCHS = 10_000_000;

/** The tutorial's line for the `epoch`-th update (counted from 1): the loss that update computed. */
export function epochLine(epoch: number, what: string, cost: number): string {
  return `epoch[${String(epoch).padStart(5)}] : ${what} =${f84(cost)}`;
}
