// Docs snippets run as a user runs them: each in a project folder whose node_modules/elman-rnn is this
// package (a symlink to the repository, resolved through package.json's exports to the built dist/),
// and whose node_modules/.bin/elman is the built CLI, so `npx elman …` runs it. The folder sits under
// test-artifacts/ so that the optional peers (vega) and @types/node resolve from the repository's
// node_modules, as they would from a user's. The import name is `elman-rnn` whatever package.json's
// name is today: the symlink's name, not the package's, is what resolution reads.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';

export const root = resolve(import.meta.dirname, '../..');
/** The name users import: the published name. */
export const PACKAGE = 'elman-rnn';

/** A fenced block of a markdown file: its language tag, its text, and the line it starts on. */
export interface Block {
  lang: string;
  code: string;
  line: number;
}

/** The fenced code blocks of a markdown text (``` fences; the tag is the word after the fence). */
export function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*```(\w*)/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !/^\s*```\s*$/.test(lines[i]!)) body.push(lines[i]!);
    blocks.push({ lang: open[1]!, code: body.join('\n'), line: start + 1 });
  }
  return blocks;
}

/** The inline code spans of a markdown text outside fenced blocks (`…`; a span may wrap onto the next line). */
export function inlineSpans(markdown: string): string[] {
  const prose = markdown.replace(/^\s*```[\s\S]*?^\s*```\s*$/gm, '');
  return [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s*\n\s*/g, ' '));
}

/** A fresh project folder with the package and its CLI linked in, and a package.json of type module. */
export function makeProject(name: string): string {
  const dir = join(root, 'test-artifacts', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(relative(join(dir, 'node_modules'), root), join(dir, 'node_modules', PACKAGE), 'dir');
  const bin = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin as Record<string, string>;
  // npm makes each bin executable when it installs a package; so does this.
  for (const [command, file] of Object.entries(bin)) {
    chmodSync(join(root, file), 0o755);
    symlinkSync(join('..', PACKAGE, file), join(dir, 'node_modules', '.bin', command));
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `${name}-project`, private: true, type: 'module', dependencies: { [PACKAGE]: '*' } }));
  return dir;
}

/** TypeScript (or JavaScript) to an ES module Node runs: types stripped, nothing else changed. */
export function toModule(code: string): string {
  return ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false } }).outputText;
}

/** Type-check the given .ts files of a project as a user's strict NodeNext project would; returns the diagnostics as text. */
export function typeCheck(dir: string, files: string[]): string {
  const program = ts.createProgram(files.map((f) => join(dir, f)), {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, noEmit: true, skipLibCheck: true, types: ['node'], lib: ['lib.es2023.d.ts'],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' });
}

/** Run a module file of the project with Node; resolves to its output, rejects with it on a non-zero exit. */
export async function runNode(dir: string, file: string, timeout = 120_000): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [file], { cwd: dir, timeout, maxBuffer: 64 << 20 });
  return stdout + stderr;
}

/** Run one shell command line in the project (npx finds the linked CLI in node_modules/.bin). */
export async function runShell(dir: string, line: string, timeout = 180_000): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)('sh', ['-c', line], { cwd: dir, timeout, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1', npm_config_offline: 'true' } });
  return stdout + stderr;
}

/**
 * The names the package's entries (`.` and `./plots`) export, values and types, read from their built
 * declarations; and the members of those exports (properties, methods, statics, options of exported
 * option types): the names a lone identifier in a doc may mean.
 */
export function exportedNames(): { exports: Set<string>; members: Set<string> } {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | { types?: string }> };
  // Every entry with types: `.`, `./plots`, and any added later (`./sweep`).
  const entries = Object.values(pkg.exports).flatMap((target) => (typeof target === 'object' && target.types ? [join(root, target.types)] : []));
  if (entries.length < 2) throw new Error('package.json exports has fewer than two entries with types');
  const program = ts.createProgram(entries, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const names = new Set<string>();
  const members = new Set<string>();
  const addMembers = (type: ts.Type) => {
    for (const p of checker.getPropertiesOfType(type)) members.add(p.getName());
    for (const part of type.isUnionOrIntersection() ? type.types : []) for (const p of checker.getPropertiesOfType(part)) members.add(p.getName());
  };
  for (const entry of entries) {
    const file = program.getSourceFile(entry);
    const symbol = file && checker.getSymbolAtLocation(file);
    if (!symbol) throw new Error(`no module symbol for ${entry}: is the package built?`);
    for (const exported of checker.getExportsOfModule(symbol)) {
      names.add(exported.getName());
      const s = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      addMembers(checker.getDeclaredTypeOfSymbol(s));
      const decl = s.valueDeclaration ?? s.declarations?.[0];
      if (decl) addMembers(checker.getTypeOfSymbolAtLocation(s, decl));
    }
  }
  return { exports: names, members };
}

/** The markdown files the docs test reads: README.md and docs/*.md (not the generated docs/api/). */
export function docFiles(): string[] {
  const docs = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`) : [];
  return ['README.md', ...docs.sort()];
}
