import { expect } from 'vitest';

// Shared by the tests of the bench's plain-JS networks (bench/plain/): their shapes, random data, and
// the check of a network's gradients against float64 central differences of a loss written apart.

export type Net = { I: number; H: number; O: number } & Record<'K' | 'R' | 'b' | 'Wo' | 'bo', Float32Array>;
export type Data = { x: Float32Array; targets: Float32Array; samples: number; steps: number };
export type Params64 = Record<string, Float64Array>;

/** Inputs and targets in [-1, 1) from a seeded linear congruential stream, time-major. */
export function randomData(seed: number, samples: number, steps: number, I: number, O: number): Data {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return { samples, steps, x: Float32Array.from({ length: samples * steps * I }, rnd), targets: Float32Array.from({ length: samples * O }, rnd) };
}

/**
 * Expect the network's loss `L` and gradients `g` to match `loss64` (float64, the formula written
 * apart) and its central differences at every parameter; returns the largest gradient.
 */
export function expectCentralDifferences(params: string[], net: Net, L: number, g: Record<string, Float32Array>, loss64: (p: Params64) => number): number {
  const p64: Params64 = {};
  for (const k of params) p64[k] = Float64Array.from(net[k as 'K']);
  expect(Math.abs(L - loss64(p64))).toBeLessThan(1e-6 * L);
  let scale = 0;
  for (const k of params) for (const v of g[k]!) scale = Math.max(scale, Math.abs(v));
  expect(scale).toBeGreaterThan(1e-3);
  for (const k of params) {
    for (let i = 0; i < p64[k]!.length; i++) {
      const v = p64[k]![i]!, eps = 1e-6;
      p64[k]![i] = v + eps;
      const up = loss64(p64);
      p64[k]![i] = v - eps;
      const down = loss64(p64);
      p64[k]![i] = v;
      expect(Math.abs(g[k]![i]! - (up - down) / (2 * eps)), `${k}[${i}]`).toBeLessThan(1e-5 * scale);
    }
  }
  return scale;
}
