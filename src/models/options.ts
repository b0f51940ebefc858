import { ConfigError } from '../errors.js';

/** Refuse anything but an object whose own keys are all in `keys`: an unknown key is an error naming it, not a silent default. */
export function checkKeys(name: string, value: unknown, keys: readonly string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(name, value, 'an options object');
  for (const k of Object.keys(value)) {
    if (!keys.includes(k)) throw new ConfigError(`${name}.${k}`, (value as Record<string, unknown>)[k], `absent: ${name} takes ${keys.join(', ')}`);
  }
}
