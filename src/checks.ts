// The checks every layer runs on what users hand it (options, saved files, arguments), in one module
// at the bottom of the layers: each names the argument and says what it must be, in a typed error,
// before any work. Model options are declared as data (OptionSpec) and read by `readOptions`, so the
// checks, messages and defaults of an option live in one place.

import { ConfigError, DataError } from './errors.js';

/** Refuse anything but an object whose own keys are all in `keys`: an unknown key is an error naming it, not a silent default. */
export function checkKeys(name: string, value: unknown, keys: readonly string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(name, value, 'an options object');
  for (const k of Object.keys(value)) {
    if (!keys.includes(k)) throw new ConfigError(`${name}.${k}`, (value as Record<string, unknown>)[k], `absent: ${name} takes ${keys.join(', ')}`);
  }
}

/** A saved file's object: exactly the own keys `keys`, each present (a missing key is not defaulted, an extra one not ignored). */
export function strictKeys(name: string, value: unknown, keys: readonly string[]): void {
  checkKeys(name, value, keys);
  for (const k of keys) if (!Object.hasOwn(value as object, k)) throw new ConfigError(`${name}.${k}`, undefined, `present: ${name} needs ${keys.join(', ')}`);
}

/** Throw ConfigError unless `value` is an integer in [min, max]. */
export function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, value, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`);
  }
  return value;
}

/** The value if it is one of `choices`, else a ConfigError naming the argument and the choices. */
export function oneOf<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (!(choices as readonly unknown[]).includes(value)) throw new ConfigError(name, value, `one of ${choices.join(', ')}`);
  return value as T;
}

/** An object that is not an array. */
export function plainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value that stays finite in float32 (a finite double can still round to ±Infinity). */
export function finite32(name: string, v: unknown, i: number): number {
  if (typeof v !== 'number' || !Number.isFinite(Math.fround(v))) throw new DataError(name, v, i, 'a finite float32 number (|v| < 3.4e38)');
  return v;
}

/** A boolean, or a ConfigError naming the argument. */
export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(name, value, 'a boolean');
  return value;
}

/** One option of a constructor, declared once: how it is checked, its default, and what it is. */
export type OptionSpec =
  | { readonly kind: 'integer'; readonly min: number; readonly max?: number; readonly default?: number; readonly doc: string }
  | { readonly kind: 'oneOf'; readonly choices: readonly string[]; readonly default?: string; readonly doc: string }
  | { readonly kind: 'boolean'; readonly default?: boolean; readonly doc: string }
  | { readonly kind: 'any'; readonly doc: string };

/** The checked value of each option of `specs` in `options` (its default when absent; required without one); unknown keys refused. */
export function readOptions<S extends Record<string, OptionSpec>>(name: string, options: unknown, specs: S, prefix = ''): { [K in keyof S]: any } {
  if (!plainObject(options)) throw new ConfigError(name, options, `an object { ${Object.keys(specs).join(', ')} }`);
  checkKeys(name, options, Object.keys(specs));
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const arg = `${prefix}${key}`;
    const v = options[key] === undefined && 'default' in spec ? spec.default : options[key];
    if (spec.kind === 'integer') out[key] = checkInteger(arg, v, spec.min, spec.max);
    else if (spec.kind === 'oneOf') out[key] = oneOf(arg, v, spec.choices);
    else if (spec.kind === 'boolean') out[key] = checkBoolean(arg, v);
    else out[key] = v;
  }
  return out as { [K in keyof S]: any };
}
