import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
/** The edge worker example's folder. */
export const example = join(root, 'examples/edge-worker');

const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));

/**
 * Miniflare's options for the edge worker, given what wrangler would hand it: the worker, every module
 * of the built package with 'elman-rnn' resolved through the "workerd" export condition, the .wasm as a
 * compiled module, and model/model.json (Text) + model/weights.bin (Data): the example's own, or `model`'s.
 */
export function workerOptions(model?: { json: string; weights: Uint8Array }) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
  return {
    modulesRoot: root,
    compatibilityDate: '2025-01-01',
    modules: [
      { type: 'ESModule' as const, path: join(example, 'worker.mjs') },
      { type: 'ESModule' as const, path: join(example, 'elman-rnn'), contents: `export * from '../../${pkg.exports['.']!.workerd!.replace(/^\.\//, '')}';` },
      ...walk(join(root, 'dist')).filter((p) => p.endsWith('.js')).map((path) => ({ type: 'ESModule' as const, path })),
      { type: 'CompiledWasm' as const, path: join(root, 'build/elman.wasm') },
      { type: 'Text' as const, path: join(example, 'model/model.json'), ...(model && { contents: model.json }) },
      { type: 'Data' as const, path: join(example, 'model/weights.bin'), ...(model && { contents: model.weights }) },
    ],
  };
}
