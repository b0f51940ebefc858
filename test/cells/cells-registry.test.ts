import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { CELL_SPECS, CELLS } from '../../src/cells/index.js';
import { core, init } from '../../src/backends/wasm/core.js';
import { RNN } from '../../src/index.js';

// The cell registry (src/cells/) is the one list of cells: the core's codes (src/abi/cells.ts), the
// core's dispatch (assembly/cells.ts, generated from those codes), the model's options and the
// stacks all follow it; the core traps on a code it does not know instead of running another cell.
beforeAll(() => init());
const root = join(import.meta.dirname, '../..');

test('every registered cell has its own core code, and every code of src/abi/cells.ts a registered cell', async () => {
  // @ts-expect-error: a plain ESM script without types
  const { cellCodes } = (await import('../../scripts/gen-cells.mjs')) as { cellCodes: () => Array<{ code: string; name: string }> };
  const abi = await import('../../src/abi/cells.js');
  const codes = cellCodes();
  expect(codes.map((c) => c.name).sort()).toEqual([...CELLS].sort());
  for (const c of codes) expect(CELL_SPECS[c.name as keyof typeof CELL_SPECS].code).toBe((abi as Record<string, number>)[c.code]);
  expect(new Set(CELLS.map((c) => CELL_SPECS[c].code)).size).toBe(CELLS.length);
});

test('the generated dispatch has one case per cell in each of forward, backward, step, and a default that traps', () => {
  const text = readFileSync(join(root, 'assembly/cells.ts'), 'utf8');
  for (const kind of ['Forward', 'Backward', 'Step']) {
    const body = text.slice(text.indexOf(`export function cell${kind}`)).split('\n}\n')[0]!;
    for (const cell of CELLS) expect(body).toContain(`${cell}${kind}(blk)`);
    expect(body).toContain('default: unreachable();');
  }
});

test('a cell code the core does not know traps (WebAssembly unreachable), it does not run another cell', () => {
  const { exports, arena } = core();
  const [blk] = arena.allocAll([64 * 4], 'test') as [number];
  try {
    for (const call of [exports.cellForward, exports.cellBackward, exports.cellStep]) expect(() => call(CELLS.length + 7, blk)).toThrow(WebAssembly.RuntimeError);
  } finally {
    arena.release(blk);
  }
});

test.each(CELLS)('%s: a one-layer RNN of it trains on both backends to the same loss (the registry is all the model needs)', (cell) => {
  const data = { samples: 6, steps: 4, inputSize: 2, outputSize: 1, x: Float32Array.from({ length: 48 }, (_, i) => Math.sin(i)), targets: Float32Array.from({ length: 6 }, (_, i) => Math.cos(i)) };
  const [w, j] = (['wasm', 'js'] as const).map((backend) => new RNN({ inputSize: 2, layers: [{ cell, units: 3 }], outputSize: 1, seed: 1, backend }));
  const a = w!.lossAndGrad(data).loss, b = j!.lossAndGrad(data).loss;
  expect(Math.abs(a - b)).toBeLessThan(1e-6 * b);
  expect(w!.shapes.layers[0]!.kernel).toEqual([2, CELL_SPECS[cell].gates * 3]);
  w!.dispose();
  j!.dispose();
});
