import { describe, expect, test } from 'vitest';
import fixture from '../fixtures/optimizers.json' with { type: 'json' };
import { ConfigError, ShapeError } from '../../src/errors.js';
import { createOptimizer, OPTIMIZERS } from '../../src/optimizers/index.js';
import type { OptimizerState } from '../../src/optimizers/optimizer.js';

const grads = fixture.grads.map((g) => Float32Array.from(g));
const cases = fixture.cases as unknown as Array<{ name: string; config: Config; trajectory: number[][] }>;
type Config = Record<string, number | boolean>;

describe.each(cases.map((c) => [`${c.name} ${JSON.stringify(c.config)}`, c] as const))('%s', (_, c) => {
  test('follows the numpy float64 trajectory to float32 precision', () => {
    const opt = createOptimizer(c.name, c.config);
    const p = Float32Array.from(fixture.params);
    c.trajectory.forEach((expected, t) => {
      opt.step(p, grads[t]!);
      for (let i = 0; i < p.length; i++) expect(Math.abs(p[i]! - expected[i]!)).toBeLessThan(2e-6 * Math.max(1, Math.abs(expected[i]!)));
    });
    expect(opt.iterations).toBe(c.trajectory.length);
  });

  test('a state saved mid-way and restored into a new optimizer continues bit for bit', () => {
    const a = createOptimizer(c.name, c.config);
    const pa = Float32Array.from(fixture.params);
    for (let t = 0; t < 3; t++) a.step(pa, grads[t]!);
    const saved = a.getState();
    const b = createOptimizer(c.name, c.config);
    b.setState(saved);
    const pb = pa.slice();
    for (let t = 3; t < grads.length; t++) {
      a.step(pa, grads[t]!);
      b.step(pb, grads[t]!);
    }
    expect(pb).toEqual(pa);
    expect(b.getState()).toEqual(a.getState());
    // getState hands out copies: changing one does not reach the optimizer.
    const copy = a.getState();
    for (const slot of Object.values(copy.slots)) slot.fill(123);
    expect(a.getState()).toEqual(b.getState());
  });
});

describe('optimizer state', () => {
  test('is named per slot with the step count and a layout version', () => {
    const opt = createOptimizer('adam', { lr: 0.1 });
    opt.step(new Float32Array([1, 2]), new Float32Array([0.5, -0.5]));
    const s = opt.getState();
    expect(s.version).toBe(1);
    expect(s.name).toBe('adam');
    expect(s.step).toBe(1);
    expect(Object.keys(s.slots).sort()).toEqual(['m', 'v']);
    // m = (1 - 0.9)·g after one step.
    expect(s.slots.m![0]).toBeCloseTo(0.05, 7);
  });

  test('reset forgets everything', () => {
    const opt = createOptimizer('momentum', {});
    const p = new Float32Array([1]);
    opt.step(p, new Float32Array([1]));
    opt.reset();
    expect(opt.getState()).toEqual({ version: 1, name: 'momentum', step: 0, slots: {} });
  });

  test.each(Object.keys(OPTIMIZERS))('%s: after reset the same steps give a fresh optimizer\'s bits and state (its slots refilled in place), and another length is taken', (name) => {
    const fresh = createOptimizer(name, {}), opt = createOptimizer(name, {});
    const run = (o: typeof opt) => {
      const p = Float32Array.from(fixture.params);
      for (const g of grads) o.step(p, g);
      return p;
    };
    const want = run(fresh);
    run(opt);
    opt.reset();
    expect(opt.getState()).toEqual({ version: 1, name, step: 0, slots: {} });
    expect(run(opt)).toEqual(want);
    expect(opt.getState()).toEqual(fresh.getState());
    opt.reset();
    opt.step(new Float32Array(3), new Float32Array([1, -2, 3]));
    for (const slot of Object.values(opt.getState().slots)) expect(slot.length).toBe(3);
  });

  test('setState refuses another optimizer, version, slots or lengths', () => {
    const opt = createOptimizer('rmsprop', {});
    opt.step(new Float32Array(3), new Float32Array([1, 2, 3]));
    const good = opt.getState();
    const bad: Array<[string, unknown]> = [
      ['state.name', { ...good, name: 'adam' }],
      ['state.version', { ...good, version: 2 }],
      ['state.step', { ...good, step: -1 }],
      ['state.slots', { ...good, slots: { meanSquare: good.slots.meanSquare } }],
      ['state.slots.velocity', { ...good, slots: { ...good.slots, velocity: new Float32Array(2) } }],
      ['state.slots.meanSquare[1]', { ...good, slots: { ...good.slots, meanSquare: new Float32Array([0, NaN, 0]) } }],
    ];
    for (const [argument, state] of bad) {
      expect(() => opt.setState(state as OptimizerState)).toThrow(expect.objectContaining({ argument }));
    }
    expect(opt.getState()).toEqual(good);
  });

  test('refuses params whose length changed since the first step', () => {
    const opt = createOptimizer('sgd', { lr: 1 });
    opt.step(new Float32Array(2), new Float32Array(2));
    expect(() => opt.step(new Float32Array(3), new Float32Array(3))).toThrow(ShapeError);
    expect(() => opt.step(new Float32Array(2), new Float32Array(3))).toThrow(ShapeError);
  });
});

describe('hyper-parameters are validated before any work', () => {
  test.each([
    ['sgd', { lr: NaN }, 'lr'],
    ['sgd', { lr: 0 }, 'lr'],
    ['sgd', { lr: Infinity }, 'lr'],
    ['sgd', { lr: -1 }, 'lr'],
    ['sgd', { learningRate: 0.1 }, 'sgd options.learningRate'],
    ['momentum', { momentum: 1 }, 'momentum'],
    ['momentum', { nesterov: 1 as unknown as boolean }, 'nesterov'],
    ['rmsprop', { rho: 1.5 }, 'rho'],
    ['rmsprop', { eps: -1e-8 }, 'eps'],
    ['rprop', { etaPlus: 0.9 }, 'etaPlus'],
    ['rprop', { etaMinus: 1 }, 'etaMinus'],
    ['rprop', { stepMin: 0.5, stepMax: 0.1 }, 'stepMax'],
    ['adam', { beta2: 1 }, 'beta2'],
    ['nadam', {}, 'optimizer'],
  ])('%s %j names %s', (name, config, argument) => {
    let error: unknown;
    try {
      createOptimizer(name, config as Record<string, number>);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ argument });
    expect((error as Error).message).toContain(argument.split('.').pop());
  });

  test("the registry has the five optimizers of the tutorial and the notes, and min-char-rnn's Adagrad", () => {
    expect(Object.keys(OPTIMIZERS).sort()).toEqual(['adagrad', 'adam', 'momentum', 'rmsprop', 'rprop', 'sgd']);
  });
});
