// README.md and docs/*.md say only what is true of the built package:
//  1. every API name they use exists: each name the rule of helpers/doc-names.ts finds (imports from the
//     package, free calls and constructions, `Name.member` statics, a span that is one capitalised
//     identifier) is exported by the package's entries `.` or `./plots` (read from their built
//     declarations), and a `Name.member` has that member. Design guides that describe the source
//     (DESIGN_DOCS) may also name an internal declared in src/ or assembly/, never a name declared nowhere.
//  2. every ts/js block of README.md and docs/*.md runs, in a project that resolves `elman-rnn` as users
//     do (helpers/snippets.ts), type-checks there under strict NodeNext, and imports only `elman-rnn[/…]`
//     (a block whose first line says `// workerd only` is type-checked by no one here: Node cannot
//     import a .wasm module; test/e2e/runtimes-every.test.ts runs that path under miniflare);
//  3. every sh block of README.md made of `npx elman …` lines runs the built CLI and exits 0; the
//     tutorial's log block appears line for line in `npx elman train`'s output; the clone's two commands
//     stay as they are.
// Blocks run in a folder holding `series.csv`, a 240-row monthly series this test writes, standing in
// for the user's own file that the README's "first model" reads.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { apiNames, packageImports, type DocName } from '../helpers/doc-names.js';
import { docFiles, exportedNames, fencedBlocks, inlineSpans, makeProject, PACKAGE, root, runNode, runShell, toModule, typeCheck } from '../helpers/snippets.js';

/** Guides about how the code is built, which may name internals declared in the source. */
const DESIGN_DOCS = new Set(['docs/architecture.md', 'docs/performance.md', 'docs/precision.md', 'docs/threads.md']);

const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** Every API name of one markdown file, with where it is. */
function namesOf(file: string): DocName[] {
  const text = read(file);
  const found: DocName[] = [];
  for (const block of fencedBlocks(text)) if (/^(ts|js|mjs|typescript|javascript)$/.test(block.lang)) found.push(...apiNames(block.code, `${file}:${block.line}`, false));
  for (const span of inlineSpans(text)) found.push(...apiNames(span, `${file}: \`${span}\``, true));
  return found;
}

/** All TypeScript of src/ and assembly/, for names a design guide may cite. */
function sourceText(): string {
  const all: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${dir}/${e.name}`);
      else if (e.name.endsWith('.ts')) all.push(read(`${dir}/${e.name}`));
    }
  };
  walk('src');
  walk('assembly');
  return all.join('\n');
}

describe('every API name README.md and docs/*.md use is exported', () => {
  const { exports: exported, members } = exportedNames();
  const source = sourceText();
  const declared = (name: string) => new RegExp(`\\b(?:function|class|interface|type|const|let|enum)\\s+${name}\\b|^\\s*(?:export\\s+)?(?:async\\s+)?(?:static\\s+)?${name}\\s*\\(`, 'm').test(source);

  test.each(docFiles())('%s', async (file) => {
    const index = await import(join(root, 'dist/index.js'));
    const plots = await import(join(root, 'dist/plots/index.js'));
    const sweep = existsSync(join(root, 'dist/sweep/index.js')) ? await import(join(root, 'dist/sweep/index.js')) : {};
    const values: Record<string, unknown> = { ...index, ...plots, ...sweep };
    // Methods and statics of the exported classes: what a span like `toJSON()` may name.
    const methods = new Set<string>();
    for (const value of Object.values(values)) {
      if (typeof value !== 'function' || !value.prototype) continue;
      for (const owner of [value, value.prototype]) for (const key of Object.getOwnPropertyNames(owner)) methods.add(key);
    }
    const wrong: string[] = [];
    for (const { name, member, where, span } of namesOf(file)) {
      if (!exported.has(name)) {
        const method = span && /^[a-z]/.test(name) && (methods.has(name) || members.has(name));
        if (!method && !(DESIGN_DOCS.has(file) && declared(name))) wrong.push(`${where}: ${name} is not exported by an entry of ${PACKAGE}${span && /^[a-z]/.test(name) ? ', nor a method of an exported class' : ''}`);
        continue;
      }
      if (member !== undefined && name in values && !(member in (values[name] as object))) wrong.push(`${where}: ${name}.${member} does not exist`);
    }
    expect(wrong).toEqual([]);
  });

  test('the rule finds names: the README uses at least 20, among them train, RNN and fromJSON on a class', () => {
    const names = namesOf('README.md');
    expect(new Set(names.map((n) => n.name)).size).toBeGreaterThanOrEqual(20);
    expect(names.map((n) => n.name)).toEqual(expect.arrayContaining(['train', 'RNN', 'ElmanRNN', 'windows']));
    expect(names.some((n) => n.member === 'fromJSON')).toBe(true);
  });

  test('the rule catches a name that does not exist, in a call, an import, a static and a lone span', () => {
    const fake = [
      ...apiNames('const m = rnnFromTfjs(artifacts);', 'x', false),
      ...apiNames("import { importTfjs } from 'elman-rnn';", 'x', false),
      ...apiNames('RNN.fromTfjsFile', 'x', true),
      ...apiNames('ElmanCell', 'x', true),
    ];
    expect(fake.map((n) => n.member ?? n.name)).toEqual(['rnnFromTfjs', 'importTfjs', 'fromTfjsFile', 'ElmanCell']);
    expect(fake.filter((n) => !exported.has(n.name)).map((n) => n.name)).toEqual(['rnnFromTfjs', 'importTfjs', 'ElmanCell']);
  });
});

describe('README.md and docs/*.md: every code block runs as a user runs it', () => {
  const readme = read('README.md');
  const blocks = fencedBlocks(readme);
  let dir = '';

  beforeAll(() => {
    dir = makeProject('docs-readme');
    // The user's own file: monthly values with a trend, a yearly season and noise (LCG, fixed seed).
    let seed = 12345;
    const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 6;
    const rows = Array.from({ length: 240 }, (_, t) => `${2000 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')},${(100 + 0.2 * t + 15 * Math.sin((2 * Math.PI * t) / 12) + noise()).toFixed(2)}`);
    writeFileSync(join(dir, 'series.csv'), `month,value\n${rows.join('\n')}\n`);
  });

  // Every ts/js block of every doc, but those written for workerd (a .wasm module import, which Node
  // cannot load; test/e2e/runtimes-every.test.ts runs that path under miniflare).
  const all = docFiles().flatMap((file) => fencedBlocks(read(file)).filter((b) => /^(ts|js|mjs)$/.test(b.lang)).map((b) => ({ ...b, file, name: `${file.replace(/\W/g, '-')}-${b.line}` })));
  const code = all.filter((b) => !/^\/\/ workerd only/.test(b.code));
  test('there are ts/js blocks, each importing the package only as elman-rnn; only one is workerd-only', () => {
    expect(code.filter((b) => b.file === 'README.md').length).toBeGreaterThanOrEqual(3);
    expect(all.length - code.length).toBeLessThanOrEqual(1);
    for (const block of all) {
      const imports = packageImports(block.code);
      expect(imports.length, `${block.file}:${block.line} imports the package`).toBeGreaterThan(0);
      for (const { from } of imports) expect(from, `${block.file}:${block.line}`).toMatch(/^elman-rnn(\/plots|\/sweep|\/elman\.wasm|\/elman\.relaxed\.wasm)?$/);
    }
  });

  test('the ts blocks type-check in a strict NodeNext project against the built declarations', () => {
    const files = code.map((block) => {
      writeFileSync(join(dir, `${block.name}.ts`), `${block.code}\nexport {};\n`);
      return `${block.name}.ts`;
    });
    expect(typeCheck(dir, files)).toBe('');
  }, 120_000);

  test.each(code.map((b) => [`${b.file}:${b.line}`, b] as const))('the block at %s runs', async (_where, block) => {
    writeFileSync(join(dir, `${block.name}.mjs`), toModule(block.code));
    const out = await runNode(dir, `${block.name}.mjs`);
    expect(out).not.toMatch(/Error/);
  }, 240_000);

  test('the clone\'s two commands stay: npm install && npm start, then npm test', () => {
    const sh = blocks.filter((b) => b.lang === 'sh').map((b) => b.code).join('\n');
    expect(sh).toMatch(/^npm install elman-rnn\s*$/m);
    expect(sh).toMatch(/^npm install && npm start\b/m);
    expect(sh).toMatch(/^npm test\b/m);
  });

  const cli = blocks.filter((b) => b.lang === 'sh' && b.code.split('\n').some((l) => l.startsWith('npx elman')));
  test('every sh block is either the install commands or npx elman lines', () => {
    for (const block of blocks.filter((b) => b.lang === 'sh')) {
      const lines = block.code.split('\n').filter((l) => l.trim());
      const isCli = lines.every((l) => l.startsWith('npx elman '));
      const isInstall = lines.every((l) => /^npm (install|test)\b/.test(l));
      expect(isCli || isInstall, `README.md:${block.line}`).toBe(true);
    }
    expect(cli.length).toBeGreaterThanOrEqual(2);
  });

  test.each(cli.flatMap((b) => b.code.split('\n').filter((l) => l.startsWith('npx elman')).map((l) => [l.replace(/\s+#.*$/, '')])))('%s exits 0', async (line) => {
    const out = await runShell(dir, line);
    expect(out.length).toBeGreaterThan(0);
  }, 240_000);

  test("the tutorial's log block is what npx elman train prints", async () => {
    const log = blocks.find((b) => b.lang === '' && b.code.includes('Initial weights'));
    expect(log).toBeDefined();
    const out = await runShell(dir, 'npx elman train');
    for (const line of log!.code.split('\n').filter((l) => l.trim() !== '...')) expect(out.split('\n')).toContain(line);
  }, 120_000);
});
