import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { unrollElman, type ElmanWeightsLike } from '../../src/analysis/elman-unrolled.js';
import { main } from '../../src/cli/main.js';
import { RandomState } from '../../src/random.js';
import { elmanUnrolledSpec } from '../../src/plots/elman-unrolled.js';
import { renderSvg } from '../../src/plots/render.js';
import { markGroups } from '../helpers/svg-marks.js';

// A 2-3-1 network with weights drawn from a seeded stream, one 5-step sequence.
const rng = new RandomState(7);
const draw = (n: number) => Array.from({ length: n }, () => rng.uniform(-1, 1));
const w: ElmanWeightsLike = { kernel: draw(6), recurrentKernel: draw(9), bias: draw(3), outputKernel: draw(3), outputBias: draw(1) };
const x = [[1, 0], [0, 1], [1, 1], [0, 0], [1, 0]];
const t = [[1], [1], [0], [1], [1]];

/** The loss with `delta` added to hidden unit j after step k, by a separate float64 loop (the oracle). */
function lossKicked(sigmoid: boolean, k: number, j: number, delta: number): number {
  let h = [0, 0, 0];
  let loss = 0;
  for (let s = 0; s < x.length; s++) {
    h = [0, 1, 2].map((c) => Math.tanh(w.bias[c]! + x[s]![0]! * w.kernel[c]! + x[s]![1]! * w.kernel[3 + c]! + h.reduce((a, hi, i) => a + hi * w.recurrentKernel[i * 3 + c]!, 0)));
    if (s === k) h[j]! += delta;
    const z = w.outputBias[0]! + h.reduce((a, hi, i) => a + hi * w.outputKernel[i]!, 0);
    if (sigmoid) {
      const y = 1 / (1 + Math.exp(-z));
      loss -= t[s]![0]! * Math.log(y) + (1 - t[s]![0]!) * Math.log(1 - y);
    } else loss += (z - t[s]![0]!) ** 2;
  }
  return loss;
}

describe.each([['sigmoid', true], ['linear', false]] as const)('unrollElman with a %s output', (out, sigmoid) => {
  const u = unrollElman(w, x, t, { outputActivation: out });
  test('the loss is the oracle loop\'s; dL/dh_k matches central differences of kicks to h_k', () => {
    expect(u.loss).toBeCloseTo(lossKicked(sigmoid, -1, 0, 0), 12);
    const h = 1e-6;
    for (let k = 0; k < x.length; k++) {
      for (let j = 0; j < 3; j++) expect(u.grads[k]![j]!).toBeCloseTo((lossKicked(sigmoid, k, j, h) - lossKicked(sigmoid, k, j, -h)) / (2 * h), 6);
    }
  });
});

test('elmanUnrolledSpec draws a cell per input, target, output, state and gradient per step', async () => {
  const u = unrollElman(w, x, t);
  const svg = await renderSvg(elmanUnrolledSpec(u, { inputNames: ['a', 'b'] }));
  const rects = markGroups(svg).filter((g) => g.type === 'rect').map((g) => g.items.length);
  expect(rects).toEqual([5 * 4, 5 * 3, 5 * 3]);
  // Hidden states on a fixed [-1, 1] scale: the state nearest -1 and the one nearest +1 get different fills.
  const cells = markGroups(svg).filter((g) => g.type === 'rect')[1]!.items;
  const flat = u.states.flat();
  expect(cells[flat.indexOf(Math.min(...flat))]!.fill).not.toBe(cells[flat.indexOf(Math.max(...flat))]!.fill);
});

describe('elman plot unrolled --model elman', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elman-unrolled-elman-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  test('trains on binary addition, unrolls a held-out sum and writes its heat maps', async () => {
    const lines: string[] = [];
    const code = await main(['plot', 'unrolled', '--model', 'elman', '--epochs', '1', '--out', dir], (l) => lines.push(l), () => {});
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^trained 1 epochs, loss [\d.]+; held-out (\d+) \+ (\d+) = (\d+), the network says \d+$/);
    const [, a, b, sum] = /held-out (\d+) \+ (\d+) = (\d+)/.exec(lines[0]!)!.map(Number);
    expect(a! + b!).toBe(sum);
    const svg = readFileSync(join(dir, 'unrolled-elman.svg'), 'utf8');
    expect(markGroups(svg).filter((g) => g.type === 'rect').map((g) => g.items.length)).toEqual([28, 21, 21]);
  });
});
