import { ConfigError } from '../errors.js';
import type { BackendName } from '../types.js';

// checkKeys and strictKeys live beside checkInteger (data/sequences.ts), where data/ can use them too.
export { checkKeys, strictKeys } from '../data/sequences.js';
import { checkKeys } from '../data/sequences.js';

/** Load options of a saved model: only `backend` (the file decides the rest). */
export function loadOptions(options: unknown): { backend?: BackendName } {
  checkKeys('options', options, ['backend']);
  return options as { backend?: BackendName };
}
