import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { unrollCounter } from '../../src/analysis/unrolled.js';
import { main } from '../../src/cli/main.js';
import { ConfigError } from '../../src/errors.js';
import { renderSvg } from '../../src/plots/render.js';
import { unrolledCaption, unrolledFrames, unrolledSpec } from '../../src/plots/unrolled.js';
import { luminance, symbolRows } from '../helpers/svg-marks.js';

// The loss of one sequence with `delta` added to s_k, by a separate float64 loop: the finite-difference oracle.
function lossAt(x: number[], wx: number, wRec: number, kick = { k: -1, delta: 0 }): number {
  let s = kick.k === 0 ? kick.delta : 0;
  for (let k = 1; k <= x.length; k++) {
    s = x[k - 1]! * wx + s * wRec;
    if (k === kick.k) s += kick.delta;
  }
  const t = x.reduce((a, b) => a + b, 0);
  return (s - t) ** 2;
}

describe('unrollCounter', () => {
  test('all ones: s_k = w_x(1 - w_rec^k)/(1 - w_rec), dL/ds_k = 2(y - t)·w_rec^(T-k) (closed forms)', () => {
    const [wx, r, T] = [0.7, 0.5, 9];
    const u = unrollCounter(new Array(T).fill(1), { wx, wRec: r });
    u.states.forEach((s, k) => expect(s).toBeCloseTo((wx * (1 - r ** k)) / (1 - r), 12));
    const y = (wx * (1 - r ** T)) / (1 - r);
    expect(u.y).toBeCloseTo(y, 12);
    expect(u.target).toBe(T);
    expect(u.loss).toBeCloseTo((y - T) ** 2, 10);
    u.grads.forEach((g, k) => expect(g).toBeCloseTo(2 * (y - T) * r ** (T - k), 10));
  });

  test.each([[1, 1.5], [1, 0.5], [0.3, -1.2]])('at (%d, %d) the gradients agree with central differences of an independent loss', (wx, wRec) => {
    const x = [1, 0, 1, 1, 0, 0, 1];
    const u = unrollCounter(x, { wx, wRec });
    const h = 1e-6;
    const fd = (f: (d: number) => number) => (f(h) - f(-h)) / (2 * h);
    expect(u.gradWx).toBeCloseTo(fd((d) => lossAt(x, wx + d, wRec)), 4);
    expect(u.gradWRec).toBeCloseTo(fd((d) => lossAt(x, wx, wRec + d)), 4);
    for (let k = 0; k <= x.length; k++) expect(u.grads[k]!).toBeCloseTo(fd((delta) => lossAt(x, wx, wRec, { k, delta })), 4);
  });

  test('bad input is a ConfigError naming it', () => {
    expect(() => unrollCounter([], { wx: 1, wRec: 1 })).toThrow(ConfigError);
    expect(() => unrollCounter([1, NaN], { wx: 1, wRec: 1 })).toThrow('sequence[1] must be a finite number, got NaN');
    expect(() => unrollCounter([1], { wx: 1, wRec: Infinity })).toThrow('wRec must be a finite number, got Infinity');
  });
});

/** The drawn nodes' fills by row (top row = gradients, then states, then inputs), each left to right. */
const nodeRows = (svg: string) => symbolRows(svg, 'nodes').map((row) => row.map((n) => n.fill));
const texts = (svg: string, layer: string) => [...(svg.match(new RegExp(`role-mark ${layer}_marks"[^>]*>(.*?)</g>`, 's'))?.[1] ?? '').matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('unrolledSpec', () => {
  const x = [1, 0, 1, 1, 0, 0, 1];
  const T = x.length;
  const exploding = unrollCounter(x, { wx: 1, wRec: 1.5 });

  test('forward frames fill the states one by one; the backward frames fill dL/ds_k from k = T down', async () => {
    expect(unrolledFrames(exploding)).toBe(2 * T + 3);
    const filled = (row: string[]) => row.filter((f) => f !== '#ffffff').length;
    // Frame 3: s_0..s_3 computed, no gradient yet. Row 0 is the gradients plus L, row 1 the states plus y.
    let rows = nodeRows(await renderSvg(unrolledSpec(exploding, { step: 3 })));
    expect(rows.map((r) => r.length)).toEqual([T + 2, T + 2, T]);
    expect([filled(rows[0]!), filled(rows[1]!)]).toEqual([0, 4]);
    // Frame T+2: the loss and dL/ds_T.
    rows = nodeRows(await renderSvg(unrolledSpec(exploding, { step: T + 2 })));
    expect([filled(rows[0]!), filled(rows[1]!)]).toEqual([2, T + 2]);
    expect(rows[0]!.slice(0, T).every((f) => f === '#ffffff')).toBe(true);
    const svg = await renderSvg(unrolledSpec(exploding));
    rows = nodeRows(svg);
    expect([filled(rows[0]!), filled(rows[1]!)]).toEqual([T + 2, T + 2]);
    // The values drawn are the analysis's, in the figures' number format.
    expect(texts(svg, 'values')).toEqual(expect.arrayContaining(['3.25', '20.8', '575', 'y=20.8', 'L=283']));
  });

  test('exploding (w_rec = 1.5): the gradient fills deepen towards k = 0; vanishing (0.5): they fade', async () => {
    const grads = async (wRec: number) => nodeRows(await renderSvg(unrolledSpec(unrollCounter(x, { wx: 1, wRec }))))[0]!.slice(0, T + 1).map(luminance);
    const up = await grads(1.5);
    for (let k = 1; k <= T; k++) expect(up[k - 1]!).toBeLessThan(up[k]!);
    const down = await grads(0.5);
    for (let k = 1; k <= T; k++) expect(down[k - 1]!).toBeGreaterThan(down[k]!);
  });

  test('captions say what each frame computes', () => {
    expect(unrolledCaption(exploding, 3)).toBe('forward: s_3 = x_3·w_x + s_2·w_rec = 1·1 + 1.5·1.5 = 3.25');
    expect(unrolledCaption(exploding, T + 1)).toBe('output: y = s_7 = 20.8, target t = 4, loss L = (y - t)² = 283');
    expect(unrolledCaption(exploding, 2 * T + 2)).toBe('backward: dL/ds_0 = dL/ds_1·w_rec = 383·1.5 = 575');
    expect(() => unrolledSpec(exploding, { step: 2 * T + 3 })).toThrow('step must be an integer in [0, 16], got 17');
  });
});

describe('elman plot unrolled', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elman-unrolled-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    return { code: await main(argv, (l) => out.push(l), (l) => err.push(l)), out, err };
  };

  test('writes DIR/unrolled.svg for the sequence and weights given', async () => {
    const r = await cli('plot', 'unrolled', '--sequence', '1111', '--weights', '1,-2', '--out', dir);
    expect(r.code).toBe(0);
    expect(r.out.at(-1)).toBe(`Wrote ${join(dir, 'unrolled.svg')}`);
    // s = 1, -1, 3, -5: y = -5, t = 4, dL/ds_4 = -18, then ×(-2) per step back: 36, -72, 144, -288.
    const svg = readFileSync(join(dir, 'unrolled.svg'), 'utf8');
    expect(texts(svg, 'values')).toEqual(expect.arrayContaining(['-5', '-18', '36', '-72', '144', '-288']));
  });

  test('a sequence that is not binary is a usage error naming the flag', async () => {
    const r = await cli('plot', 'unrolled', '--sequence', '102');
    expect(r.code).toBe(2);
    expect(r.err).toEqual(['elman: --sequence must be 1 to 64 characters, each 0 or 1, got "102"']);
  });
});
