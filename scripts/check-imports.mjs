#!/usr/bin/env node
// The import graph of src/, type-only imports included, checked for cycles and for arrows that run
// up the layers below; and the entries (the CLI, the playground) checked to go through the face: they
// import what users import (the package's public entries), never src/models, src/backends, ….
// Prints each problem and exits 1, or prints a one-line summary and exits 0.
// Usage: node scripts/check-imports.mjs   (npm test runs it through test/layers-imports.test.ts)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

/** Layers from the bottom up: a file may import its own layer or any layer below it, never above. */
export const LAYERS = [
  ['abi/', 'errors.ts', 'types.ts', 'checks.ts'],
  ['random.ts', 'data/', 'losses.ts', 'sizes.ts'],
  ['optimizers/'],
  ['backends/', 'cells/', 'stack-spec.ts', 'stack-wiring.ts'],
  ['models/'],
  ['training/', 'scan.ts', 'analysis/', 'interop/', 'inference/'],
  ['plots/'],
  ['sweep/'],
  ['index.ts', 'workerd.ts', 'cli/'],
];

/** The package's public entries (package.json exports): what users import. */
export const FACE = ['src/index.ts', 'src/plots/index.ts', 'src/sweep/index.ts'];

/** Entries that must go through the face: each may import its own folder, the face, and nothing else of src/. */
export const ENTRIES = ['src/cli', 'playground'];

function layerOf(file) {
  const rel = relative(src, file).replaceAll('\\', '/');
  const i = LAYERS.findIndex((layer) => layer.some((p) => (p.endsWith('/') ? rel.startsWith(p) : rel === p)));
  return i < 0 ? undefined : i;
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every relative import, export-from and import() of a file, type-only ones included, resolved to .ts files. */
function importsOf(file) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out = [];
  const visit = (node) => {
    let spec;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) spec = node.moduleSpecifier.text;
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) spec = node.argument.literal.text;
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) spec = node.arguments[0].text;
    if (spec?.startsWith('.')) out.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export function check({ entries = ENTRIES } = {}) {
  const all = files(src);
  const graph = new Map(all.map((f) => [f, importsOf(f)]));
  const problems = [];
  for (const [from, tos] of graph) {
    const lf = layerOf(from);
    if (lf === undefined) problems.push(`${relative(root, from)} is in no layer of scripts/check-imports.mjs`);
    for (const to of tos) {
      const lt = layerOf(to);
      if (lf !== undefined && lt !== undefined && lt > lf) problems.push(`${relative(root, from)} imports ${relative(root, to)}, a layer above it`);
    }
  }
  // Cycles: depth-first search, reporting each back edge's cycle once.
  const state = new Map();
  const stack = [];
  const seen = new Set();
  const dfs = (f) => {
    state.set(f, 1);
    stack.push(f);
    for (const to of graph.get(f) ?? []) {
      if (!graph.has(to)) continue;
      if (state.get(to) === 1) {
        const cycle = stack.slice(stack.indexOf(to)).map((p) => relative(root, p));
        const key = [...cycle].sort().join(' ');
        if (!seen.has(key)) {
          seen.add(key);
          problems.push(`import cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
        }
      } else if (!state.has(to)) dfs(to);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of all) if (!state.has(f)) dfs(f);
  // Entries through the face.
  const face = FACE.map((f) => join(root, f));
  let entryFiles = 0;
  for (const entry of entries) {
    const dir = join(root, entry);
    for (const from of files(dir)) {
      entryFiles++;
      for (const to of importsOf(from)) {
        const inSrc = !relative(src, to).startsWith('..');
        const own = !relative(dir, to).startsWith('..');
        if (inSrc && !own && !face.includes(to)) problems.push(`${relative(root, from)} imports ${relative(root, to)}, below the face (import it from ${FACE.join(' or ')})`);
      }
    }
  }
  return { files: all.length, edges: [...graph.values()].reduce((a, b) => a + b.length, 0), entryFiles, problems };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files: n, edges, entryFiles, problems } = check();
  for (const p of problems) console.log(p);
  console.log(`${n} files, ${edges} imports (type-only included), ${entryFiles} entry files (${ENTRIES.join(', ')}): ${problems.length ? `${problems.length} problems` : 'no cycle, every import points down the layers, every entry imports through the face'}`);
  process.exit(problems.length ? 1 : 0);
}
