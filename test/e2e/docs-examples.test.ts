// Every `@example` in src/ is a fenced ts block that runs and type-checks as a user's file importing
// `elman-rnn` (helpers/snippets.ts: the built package, resolved through its exports map), and every
// main export (MAIN) carries one. TypeDoc shows these blocks on the export's page.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { makeProject, root, runNode, toModule, typeCheck } from '../helpers/snippets.js';

/** The exports a user starts from: each must show an example on its page. */
const MAIN = [
  'init', 'LinearRNN', 'ElmanRNN', 'RNN', 'train', 'trainSync', 'gradCheck', 'adam', 'RandomState', 'countOnes', 'binaryAddition',
  'windows', 'splitByTime', 'Scaler', 'noisySignal', 'fromTfjs', 'toTfjs', 'loadTfjs', 'saveTfjs', 'tfjsFiles', 'Predictor',
  'lossSurface', 'scan', 'renderSvg', 'lossCurveSpec',
];

interface Example {
  /** The export the doc comment belongs to. */
  name: string;
  /** Where the comment is, file:line. */
  where: string;
  /** The code of the fenced block, or undefined when the @example has none. */
  code: string | undefined;
}

/** The @example sections of every doc comment in src/, with the export each documents. */
function examples(): Example[] {
  const found: Example[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts')) {
        const text = readFileSync(join(root, path), 'utf8');
        for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\/\s*export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|interface|type|const|let)\s+(\w+)/g)) {
          const body = m[1]!.split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n');
          const line = text.slice(0, m.index).split('\n').length;
          for (const section of body.split(/^@example\b/m).slice(1)) {
            const fence = /```ts\n([\s\S]*?)\n```/.exec(section.split(/^@\w+/m)[0]!);
            found.push({ name: m[2]!, where: `${path}:${line}`, code: fence?.[1] });
          }
        }
      }
    }
  };
  walk('src');
  return found;
}

describe('the @example of every main export runs', () => {
  const all = examples();
  let dir = '';
  beforeAll(() => {
    dir = makeProject('docs-examples');
  });

  test('every main export has an @example, and every @example is a fenced ts block', () => {
    expect(MAIN.filter((name) => !all.some((e) => e.name === name && e.code))).toEqual([]);
    expect(all.filter((e) => !e.code).map((e) => e.where)).toEqual([]);
  });

  const runnable = all.filter((e) => e.code).map((e, i) => ({ ...e, file: `example-${i}-${e.name}` }));
  test('they type-check in a strict NodeNext project against the built declarations', () => {
    for (const e of runnable) writeFileSync(join(dir, `${e.file}.ts`), `${e.code}\nexport {};\n`);
    expect(typeCheck(dir, runnable.map((e) => `${e.file}.ts`))).toBe('');
  }, 120_000);

  test.each(runnable.map((e) => [e.name, e.where, e] as const))('%s (%s)', async (_name, _where, e) => {
    writeFileSync(join(dir, `${e.file}.mjs`), toModule(e.code!));
    const out = await runNode(dir, `${e.file}.mjs`);
    expect(out).not.toMatch(/Error/);
  }, 120_000);
});
