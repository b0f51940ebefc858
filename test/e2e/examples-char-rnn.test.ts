// examples/char-rnn/ runs as a user runs it (node on the .mjs, `import 'elman-rnn'` resolved to the
// built package) for 2,000 iterations (the default is 4,000), and reaches the loss numpy's
// min-char-rnn reaches in as many iterations (test/fixtures/make_min_char_rnn.py), from other
// starting weights: within 5% of its mean over its last 200 iterations.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, test } from 'vitest';
import fixture from '../fixtures/min-char-rnn.json' with { type: 'json' };

const root = resolve(import.meta.dirname, '../..');
const { iterations, meanOfLast200 } = fixture.reference;
let lines: string[] = [];
beforeAll(async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['examples/char-rnn/char-rnn.mjs', '--iterations', String(iterations), '--length', '200'], { cwd: root });
  lines = stdout.split('\n');
}, 240_000);

const losses = () => lines.filter((l) => l.startsWith('iteration')).map((l) => Number(/loss per chunk ([\d.]+)/.exec(l)![1]));

test(`after ${iterations} iterations the loss per chunk is within 5% of numpy min-char-rnn's`, () => {
  const got = losses();
  // One line per 200 iterations; the first from near the uniform guess, 25 · ln 72 = 106.9.
  expect(got).toHaveLength(iterations / 200);
  expect(got[0]).toBeLessThan(25 * Math.log(72));
  expect(got.at(-1)!).toBeLessThan(meanOfLast200 * 1.05);
  expect(got.at(-1)!).toBeLessThan(got[0]! * 0.75);
});

test('it draws three texts of 200 characters of the text’s vocabulary, spaced like words', () => {
  const text = readFileSync(resolve(root, 'examples/char-rnn/pride-and-prejudice.txt'), 'utf8');
  const marks = lines.flatMap((l, i) => (l === '----' ? [i] : []));
  expect(marks).toHaveLength(4);
  const drawn = marks.slice(0, 3).map((at, k) => lines.slice(at + 1, marks[k + 1]).join('\n'));
  for (const d of drawn) {
    expect([...d]).toHaveLength(200);
    for (const c of d) expect(text.includes(c)).toBe(true);
  }
  // A trained model spaces its letters as English does (about one character in six is a space); a
  // uniform draw would give 1 in 72. Counted over the three draws: one may loop on a rare character.
  const spaces = drawn.join('').split(' ').length - 1;
  expect(spaces).toBeGreaterThan(600 / 40);
});
