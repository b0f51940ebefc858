import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderSvg, type VegaLiteSpec } from '../plots/render.js';

/** Render `spec` to DIR/NAME (creating DIR); resolves to the file's path. */
export async function writeSvg(dir: string, name: string, spec: VegaLiteSpec): Promise<string> {
  const svg = await renderSvg(spec);
  await mkdir(dir, { recursive: true });
  const file = join(dir, name);
  await writeFile(file, svg);
  return file;
}

/** A run's legend name, e.g. `rmsprop lr=1e-3`. */
export function runName(optimizer: string, lr: string | undefined): string {
  return lr === undefined ? optimizer : `${optimizer} lr=${lr}`;
}
