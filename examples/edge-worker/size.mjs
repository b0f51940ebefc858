// What the worker ships, measured: bundle worker.mjs as wrangler would (the "workerd" export condition,
// minified, the .wasm and the model files left as separate modules), then gzip each part.
//   npm run build && node examples/edge-worker/size.mjs
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
// rolldown is the bundler inside Vite (a dependency of the vite dev dependency); Vite's own library mode
// would inline the core's `new URL('elman.wasm', import.meta.url)` as base64, which wrangler does not.
import { rolldown } from 'rolldown';

const here = fileURLToPath(new URL('.', import.meta.url));

export async function measure() {
  const bundle = await rolldown({
    input: `${here}worker.mjs`,
    platform: 'neutral',
    resolve: { conditionNames: ['workerd', 'worker', 'import', 'default'] },
    external: [/\.wasm$/, /\.bin$/, /model\.json$/, /^node:/],
    logLevel: 'silent',
  });
  const { output } = await bundle.generate({ format: 'esm', minify: true });
  await bundle.close();
  const chunks = output.filter((c) => c.type === 'chunk');
  const js = Buffer.concat(chunks.map((c) => Buffer.from(c.code)));
  const parts = {
    'worker JS (minified)': js,
    'elman.wasm': readFileSync(fileURLToPath(import.meta.resolve('elman-rnn/elman.wasm'))),
    'model.json + weights.bin': Buffer.concat([readFileSync(`${here}model/model.json`), readFileSync(`${here}model/weights.bin`)]),
  };
  return Object.fromEntries(Object.entries(parts).map(([name, b]) => [name, { bytes: b.length, gzip: gzipSync(b, { level: 9 }).length }]));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await measure();
  let raw = 0, gz = 0;
  for (const [name, s] of Object.entries(sizes)) {
    console.log(`${name.padEnd(26)} ${String(s.bytes).padStart(7)} B   gzip ${String(s.gzip).padStart(6)} B`);
    raw += s.bytes;
    gz += s.gzip;
  }
  console.log(`${'total'.padEnd(26)} ${String(raw).padStart(7)} B   gzip ${String(gz).padStart(6)} B`);
}
