import { ConfigError } from '../errors.js';
import type { BackendName } from '../types.js';

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

/** Load options of a saved model: only `backend` (the file decides the rest). */
export function loadOptions(options: unknown): { backend?: BackendName } {
  checkKeys('options', options, ['backend']);
  return options as { backend?: BackendName };
}
