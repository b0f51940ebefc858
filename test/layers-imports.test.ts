import { expect, test } from 'vitest';
// @ts-expect-error: a plain ESM script without types
import { check } from '../scripts/check-imports.mjs';

test('src/ has no import cycle (type-only imports included) and every import points down the layers', () => {
  // The same check as `node scripts/check-imports.mjs`.
  const { files, problems } = check() as { files: number; problems: string[] };
  expect(files).toBeGreaterThan(40);
  expect(problems).toEqual([]);
});
