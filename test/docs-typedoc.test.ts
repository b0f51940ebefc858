// `npm run docs` builds the API reference without a warning: every type a public signature uses is
// exported (or named internal in typedoc.json), no broken {@link}, and internals stay out.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '..');

test('TypeDoc over elman and elman/plots reports no warning, and no internal leaks into the API', async () => {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['node_modules/typedoc/bin/typedoc', '--emit', 'none', '--logLevel', 'Warn'], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
  expect((stdout + stderr).trim()).toBe('');
  const index = await import('../src/index.js');
  for (const internal of ['setDefaultModule', 'trainInCore', 'loadCore', 'core', 'renderSvg']) expect(Object.keys(index)).not.toContain(internal);
}, 180_000);
