import { expect, test } from 'vitest';
// @ts-expect-error: a plain ESM script without types
import { check } from '../scripts/check-imports.mjs';

test('src/ has no import cycle (type-only imports included) and every import points down the layers', () => {
  // The same check as `node scripts/check-imports.mjs`.
  const { files, problems } = check() as { files: number; problems: string[] };
  expect(files).toBeGreaterThan(40);
  expect(problems).toEqual([]);
});

test('the CLI and the playground import only the public entries (the face), and the check can fail', () => {
  const { entryFiles, problems } = check() as { entryFiles: number; problems: string[] };
  expect(entryFiles).toBeGreaterThan(15);
  expect(problems).toEqual([]);
  // src/models as if it were an entry: its imports of src/backends are below the face, and named.
  const wrong = (check({ entries: ['src/models'] }) as { problems: string[] }).problems;
  expect(wrong.some((p) => /^src\/models\/recurrent\.ts imports src\/backends\/.* below the face/.test(p))).toBe(true);
});
