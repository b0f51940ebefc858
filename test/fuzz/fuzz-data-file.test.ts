// Fuzz: the parser of `elman train --data` files. Each case ends in a table equal to what was written
// (the truth is the generated rows, written here with their own quoting) or in one FileError line
// naming the file and a row; never another exception. The CLI's own runs are in cli-data.test.ts.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { ElmanError } from '../../src/errors.js';
import { numbers, parseData } from '../../src/cli/data-file.js';

/** A CSV field as a writer quotes it: quoted (inner quotes doubled) when it holds a comma or a quote, or at random. */
const field = (s: string, quote: boolean) => (quote || /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

test('a table written as CSV, JSON or JSON lines parses back to the same names and numbers', () => {
  const name = fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !/[\n\r]/.test(s) && s.trim() === s && s.trim() !== '');
  fc.assert(
    fc.property(
      fc.uniqueArray(name, { minLength: 1, maxLength: 4 }).chain((names) =>
        fc.tuple(fc.constant(names), fc.array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: names.length, maxLength: names.length }), { minLength: 1, maxLength: 12 }), fc.boolean(), fc.constantFrom('csv', 'json', 'jsonl'))),
      ([names, rows, quote, kind]) => {
        const text = kind === 'csv'
          ? [names.map((n) => field(n, quote)).join(','), ...rows.map((r) => r.map((v) => field(String(v), quote)).join(','))].join(quote ? '\r\n' : '\n')
          : kind === 'json'
            ? JSON.stringify(rows.map((r) => Object.fromEntries(names.map((n, j) => [n, r[j]]))))
            : rows.map((r) => JSON.stringify(Object.fromEntries(names.map((n, j) => [n, r[j]])))).join('\n');
        // A JSON object row with keys "x" and "y" (x an array) is a labelled row; numbers never are.
        const table = parseData(`f.${kind}`, text);
        expect(table.kind).toBe('table');
        if (table.kind !== 'table') return;
        // A CSV keeps the header's order; a JSON object lists integer-like keys ("0") first, as JavaScript does.
        if (kind === 'csv') expect(table.names).toEqual(names);
        else expect([...table.names].sort()).toEqual([...names].sort());
        names.forEach((n, j) => expect(numbers(table, table.names.indexOf(n))).toEqual(rows.map((r) => (Object.is(r[j], -0) ? 0 : r[j]))));
      },
    ),
    { numRuns: 300 },
  );
});

test('any text is a table, labelled rows, or one FileError line naming the file and a row', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.array(fc.constantFrom('a', 'b', ',', '"', '\n', '1', '2.5', '-', 'e', ' ', '{', '}', '[', ']', ':', 'x', 'y', 'null'), { maxLength: 40 }).map((a) => a.join('')),
    // Nearly a CSV: rows of two cells, now and then one more or fewer, a bad number, a quote.
    fc.array(fc.array(fc.constantFrom('1', '2.5', '-3e2', ' 4 ', 'x', '', '"a,b"', '"', 'NaN', '0x10'), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 })
      .map((rows) => ['a,b', ...rows.map((r) => r.join(','))].join('\n')),
  );
  let failures = 0;
  let parsed = 0;
  fc.assert(
    fc.property(text, fc.constantFrom('f.csv', 'f.json', 'f.jsonl', '-'), (t, file) => {
      try {
        const d = parseData(file, t);
        parsed++;
        if (d.kind === 'table') d.names.forEach((_, j) => {
          try {
            numbers(d, j);
          } catch (error) {
            expect(error).toBeInstanceOf(ElmanError);
            expect((error as Error).message).toMatch(/^(f\.\w+|stdin) row \d+, column \d+ "/);
          }
        });
      } catch (error) {
        failures++;
        expect(error).toBeInstanceOf(ElmanError);
        expect((error as Error).message).toMatch(/^(f\.\w+|stdin) row \d+(, column .+?)?: /);
        expect((error as Error).message).not.toContain('\n');
      }
    }),
    { numRuns: 2000 },
  );
  // Both outcomes occur: a property that only ever rejects (or only accepts) would test little.
  expect(failures).toBeGreaterThan(100);
  expect(parsed).toBeGreaterThan(40);
});
