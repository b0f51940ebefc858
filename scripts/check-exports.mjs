#!/usr/bin/env node
// The core's export list has one home, assembly/index.ts (and assembly/threads.ts for the threads
// core): this build step reads it from the AssemblyScript sources (every `export function` and
// `export { … } from`, with each function's parameter count) and holds src/backends/wasm/exports.ts
// (CORE_FUNCTIONS and the CoreExports interface) and src/backends/threads/exports.ts to it, before
// anything is compiled. A name or a parameter count that differs stops the build with the difference.
// Usage: node scripts/check-exports.mjs   (npm run build:wasm runs it; test/backends/abi-exports.test.ts too)
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const parse = (file) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
const exported = (node) => ts.getModifiers?.(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Every function an AssemblyScript entry exports, with its parameter count: { name: arity }. */
export function coreExports(entry) {
  const out = {};
  const sf = parse(entry);
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && exported(st) && st.name) out[st.name.text] = st.parameters.length;
    if (ts.isExportDeclaration(st) && st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      const from = parse(join(dirname(entry), `${st.moduleSpecifier.text}.ts`));
      for (const el of st.exportClause.elements) {
        const name = (el.propertyName ?? el.name).text;
        const fn = from.statements.find((s) => ts.isFunctionDeclaration(s) && s.name?.text === name);
        if (!fn) throw new Error(`${entry}: ${name} is not a function of ${st.moduleSpecifier.text}.ts`);
        out[el.name.text] = fn.parameters.length;
      }
    }
  }
  return out;
}

/** The functions a host-side declaration lists: the object literal `name` ({ fn: arity }) and the interface's methods. */
function declared(file, objectName, interfaceName) {
  const sf = parse(file);
  const object = {}, methods = {};
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText(sf) === objectName && node.initializer && ts.isObjectLiteralExpression(node.initializer)) {
      for (const p of node.initializer.properties) if (ts.isPropertyAssignment(p)) object[p.name.getText(sf)] = Number(p.initializer.getText(sf));
    }
    if (ts.isInterfaceDeclaration(node) && node.name.text === interfaceName) {
      for (const m of node.members) if (ts.isMethodSignature(m)) methods[m.name.getText(sf)] = m.parameters.length;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { object, methods };
}

/** Differences between what the sources export and what the host declares, as lines. */
export function check({ wasmExports = join(root, 'src/backends/wasm/exports.ts') } = {}) {
  const problems = [];
  const core = coreExports(join(root, 'assembly/index.ts'));
  const threads = { ...core, ...coreExports(join(root, 'assembly/threads.ts')) };
  const compare = (label, want, got) => {
    for (const [name, n] of Object.entries(want)) {
      if (!(name in got)) problems.push(`${label} lacks ${name} (${n} parameters), which the core exports`);
      else if (got[name] !== n) problems.push(`${label} gives ${name} ${got[name]} parameters; the core's takes ${n}`);
    }
    for (const name of Object.keys(got)) if (!(name in want)) problems.push(`${label} declares ${name}, which the core does not export`);
  };
  const wasm = declared(wasmExports, 'CORE_FUNCTIONS', 'CoreExports');
  compare('CORE_FUNCTIONS (src/backends/wasm/exports.ts)', core, wasm.object);
  compare('CoreExports (src/backends/wasm/exports.ts)', core, wasm.methods);
  const th = declared(join(root, 'src/backends/threads/exports.ts'), 'THREADS_FUNCTIONS', 'ThreadsCore');
  const own = Object.fromEntries(Object.entries(threads).filter(([k]) => !(k in core)));
  compare('ThreadsCore and THREADS_FUNCTIONS (src/backends/threads/exports.ts)', own, { ...th.methods, ...th.object });
  return { functions: Object.keys(threads).length, problems };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { functions, problems } = check();
  for (const p of problems) console.log(p);
  console.log(`${functions} exported functions (assembly/index.ts, assembly/threads.ts): ${problems.length ? `${problems.length} problems` : 'the host declares exactly these, with their parameter counts'}`);
  process.exit(problems.length ? 1 : 0);
}
