// Which code names a piece of documentation uses as the package's API. The rule (docs-readme.test.ts
// checks each name so found against the package's exports):
//  - every name in an `import { … } from 'elman-rnn'` (or 'elman-rnn/plots') line;
//  - a free call or construction, `name(` or `new Name(`, not a method (`model.step(` is not a free name);
//    in an inline span, a call of a name that is not exported must be a method of an exported class
//    (`toJSON()`, `place(data)`);
//  - the receiver of a static member, `Name.member` with Name capitalised (`RNN.fromJSON`, `Scaler.fit`),
//    which must also have that member;
//  - an inline span that is one identifier alone, capitalised or camelCase (`ElmanRNN`, `OPTIMIZER_SPECS`,
//    `importTfjs`): it must be an export, or a member of an exported class or type (a method, a property,
//    an option such as `batchSize`). A lone lower-case word (`sse`, `js`, `engines`) is a value or a word.
// Not names of the package: JavaScript and Web globals (`Float32Array`, `Math.pow`), names a snippet
// declares or imports from elsewhere (`readFileSync`), formulas (a span with `·`, `Σ`, `²` or ` = `, where
// `act(…)` is maths), command lines (`elman sweep SPEC.json`), and the foreign names listed in FOREIGN (other libraries' classes and words).

/** A name used as the package's API, whether it must have a static member, and whether a span names it. */
export interface DocName {
  name: string;
  member?: string;
  where: string;
  span: boolean;
}

/** Names of other libraries and platforms that docs mention in code spans: TF.js/Keras layers, Web APIs Node lacks, hardware. */
export const FOREIGN = new Set([
  // Keras / TF.js layer and model classes elman reads and writes
  'SimpleRNN', 'GRU', 'LSTM', 'Dense', 'InputLayer', 'Sequential', 'Model',
  // Web and runtime APIs that are not globals in an ES module on Node 20; wrangler's module type
  'Worker', 'require', 'CompiledWasm',
  // a browser global; a package.json field
  'crossOriginIsolated', 'typesVersions',
  // BullMQ's options and queue methods (docs/scale.md)
  'removeOnComplete', 'getJobCounts', 'moveToCompleted',
  // AssemblyScript's compile-time constant for a feature flag
  'ASC_FEATURE_RELAXED_SIMD',
  // CPU and WebAssembly terms
  'FMA', 'SIMD', 'ABI',
]);

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'typeof', 'await', 'new', 'super', 'import', 'export', 'of', 'in']);
const ELMAN_SPECIFIER = /^elman(?:-rnn)?(?:\/.*)?$/;

/** The package specifiers a code text imports (every `from '…'` that names this package, old name included). */
export function packageImports(code: string): Array<{ names: string[]; from: string }> {
  const found: Array<{ names: string[]; from: string }> = [];
  for (const m of code.matchAll(/import\s+(?:type\s+)?(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*['"]([^'"]+)['"]/g)) {
    if (!ELMAN_SPECIFIER.test(m[3]!)) continue;
    const names = (m[2] ?? '').split(',').map((s) => s.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!).filter(Boolean);
    found.push({ names, from: m[3]! });
  }
  return found;
}

/** Names a snippet declares itself or imports from modules other than this package. */
function localNames(code: string): Set<string> {
  const local = new Set<string>();
  for (const m of code.matchAll(/\b(?:const|let|var|function|class)\s+([A-Za-z_$][\w$]*)/g)) local.add(m[1]!);
  for (const m of code.matchAll(/import\s+(?:type\s+)?(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*['"]([^'"]+)['"]/g)) {
    if (ELMAN_SPECIFIER.test(m[3]!)) continue;
    if (m[1]) local.add(m[1]);
    for (const n of (m[2] ?? '').split(',')) if (n.trim()) local.add(n.trim().split(/\s+as\s+/).at(-1)!);
  }
  return local;
}

/** Code with comments and string literals blanked, so that neither is read as code. */
function codeOnly(code: string): string {
  return code
    .replace(/(^|\s)\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
}

/** The API names one code text uses (a fenced ts/js block, or one inline span). */
export function apiNames(text: string, where: string, span: boolean): DocName[] {
  if (span && /[·Σ²√]| = /.test(text)) return [];
  // A command line in a span (`elman sweep SPEC.json …`) holds file names and flags, not code.
  if (span && /^(npx |elman |npm |node |--)/.test(text)) return [];
  const names: DocName[] = [];
  for (const { names: imported } of packageImports(text)) for (const name of imported) names.push({ name, where, span });
  const local = localNames(text);
  const code = codeOnly(text);
  const skip = (name: string) => KEYWORDS.has(name) || local.has(name) || name in globalThis || FOREIGN.has(name);
  for (const m of code.matchAll(/(?<![\w$.\/'"@-])(?:new\s+)?([A-Za-z_$][\w$]*)\(/g)) if (!skip(m[1]!)) names.push({ name: m[1]!, where, span });
  for (const m of code.matchAll(/(?<![\w$.\/'"@-])([A-Z][\w$]*)\.([A-Za-z_$][\w$]*)/g)) if (!skip(m[1]!)) names.push({ name: m[1]!, member: m[2]!, where, span });
  const alone = text.trim();
  if (span && /^(?:[A-Z][\w$]+|[a-z][a-z0-9]*[A-Z][\w$]*)$/.test(alone) && !skip(alone)) names.push({ name: alone, where, span });
  return names;
}
