// What ships, and what it depends on: checked against npm itself, not against our own file lists.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = (...args: string[]) => execFileSync('npm', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
  exports: Record<string, unknown>;
};

test('npm pack ships the .wasm, the compiled API with types, the README and the license, and nothing else', () => {
  const [packed] = JSON.parse(npm('pack', '--dry-run', '--json', '--ignore-scripts')) as Array<{ files: Array<{ path: string }> }>;
  const files = packed!.files.map((f) => f.path);
  for (const needed of ['build/elman.wasm', 'build/elman.relaxed.wasm', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'dist/plots/index.js', 'dist/backends/wasm/core-bytes.js', 'dist/backends/wasm/core-bytes-relaxed.js', 'dist/backends/threads/core-bytes.js']) {
    expect(files).toContain(needed);
  }
  const stray = files.filter((f) => /^(test|src|assembly|bench|playground|\.ci)\//.test(f) || f.endsWith('.map') || f.includes('fixtures'));
  expect(stray).toEqual([]);
  // Every compiled module has its declaration file beside it.
  for (const js of files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'))) expect(files).toContain(js.replace(/\.js$/, '.d.ts'));
});

test('no declaration file that ships repeats an embedded core (base64 of the wasm magic, "AGFzbQ")', () => {
  const [packed] = JSON.parse(npm('pack', '--dry-run', '--json', '--ignore-scripts')) as Array<{ files: Array<{ path: string; size: number }> }>;
  const types = packed!.files.filter((f) => f.path.endsWith('.d.ts'));
  expect(types.map((f) => f.path)).toContain('dist/backends/wasm/core-bytes.d.ts');
  const withCore = types.filter((f) => readFileSync(`${root}/${f.path}`, 'utf8').includes('AGFzbQ'));
  expect(withCore.map((f) => `${f.path} (${f.size} bytes)`)).toEqual([]);
});

test('runtime dependencies are each justified in the README; dev dependencies are pinned exactly', () => {
  const readme = readFileSync(`${root}/README.md`, 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Dependencies')) ?? '';
  for (const name of Object.keys(pkg.dependencies ?? {})) expect(section, `README "Dependencies" must justify ${name}`).toContain(`\`${name}\``);
  for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) expect(range, name).toMatch(/^\d+\.\d+\.\d+$/);
});

test("the test-only package (test/package.json) pins exactly, and shares no package with the clone's main install", () => {
  const tests = JSON.parse(readFileSync(`${root}/test/package.json`, 'utf8')) as { devDependencies: Record<string, string>; config: { node: string[] } };
  for (const [name, range] of Object.entries(tests.devDependencies)) expect(range, name).toMatch(name === 'elman-rnn' ? /^file:\.\.$/ : /^(npm:[a-z@/.-]+@)?\d+\.\d+\.\d+$/);
  for (const version of tests.config.node) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  const main = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  expect(Object.keys(tests.devDependencies).filter((name) => main.includes(name))).toEqual([]);
});

test('the exports map lists types first for every entry that has them', () => {
  for (const target of Object.values(pkg.exports)) {
    if (typeof target === 'object' && target !== null && 'types' in target) expect(Object.keys(target)[0]).toBe('types');
  }
});

test('npm audit finds no known vulnerability in what ships (--omit=dev)', () => {
  const report = JSON.parse(npm('audit', '--omit=dev', '--json')) as { metadata: { vulnerabilities: { total: number } } };
  expect(report.metadata.vulnerabilities.total).toBe(0);
});
