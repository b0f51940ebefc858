import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { RandomState } from '../src/random.js';

// Golden values written by numpy's legacy generator: python3 test/fixtures/make_fixtures.py
interface Fixture {
  numpy: string;
  seeds: { seed: number; key: number[]; pos: number; samples: number[] }[];
  datasets: { seed: number; samples: number; length: number; X: number[][]; wx: number; wRec: number; printed: string }[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/random.json', import.meta.url), 'utf8')) as Fixture;

/**
 * np.round on a value in [0, 1): round half to even sends exactly 0.5 to 0 (Math.round would give 1);
 * everything else rounds as usual. 0.5 is a possible draw (2^52 / 2^53), just a 1-in-2^53 one.
 */
const round01 = (u: number): number => (u > 0.5 ? 1 : 0);

/** printf's %8.4f for the small numbers the tutorial prints. */
const f84 = (x: number): string => x.toFixed(4).padStart(8);

describe.each(fixture.seeds)('seed $seed against numpy $numpy', ({ seed, key, pos, samples }) => {
  it('has numpy key words and pos right after seeding', () => {
    const state = new RandomState(seed).getState();
    expect(Array.from(state.key.subarray(0, key.length))).toEqual(key);
    expect(state.pos).toBe(pos);
  });

  it('draws numpy random_sample values bit for bit', () => {
    const rs = new RandomState(seed);
    // One toBe per value, so a failure names the first index that differs.
    samples.forEach((x, i) => expect(rs.randomSample(), `sample ${i}`).toBe(x));
  });

  it('rand(n) continues the same stream as randomSample', () => {
    const rs = new RandomState(seed);
    const head = rs.rand(400);
    const tail = rs.rand(samples.length - 400);
    expect([...head, ...tail]).toEqual(samples);
  });
});

describe.each(fixture.datasets)('tutorial data: seed $seed, $samples × $length', ({ seed, samples, length, X, wx, wRec, printed }) => {
  const draw = () => {
    const rs = new RandomState(seed);
    const rows = Array.from({ length: samples }, () => Array.from(rs.rand(length), round01));
    return { rows, wx: rs.uniform(-0.1, 0.1), wRec: rs.uniform(-0.1, 0.1) };
  };

  it('rounds each rand(length) row to numpy X', () => {
    expect(draw().rows).toEqual(X);
  });

  it('then draws w_x and w_rec bit for bit', () => {
    const got = draw();
    expect(got.wx).toBe(wx);
    expect(got.wRec).toBe(wRec);
    expect(`Initial weights: wx = ${f84(got.wx)}, wRec = ${f84(got.wRec)}`).toBe(printed);
  });
});

describe('the tutorial, seed 1', () => {
  it('starts with the row 0 1 0 0 0 0 0 0 0 1 and prints wx = 0.0900, wRec = 0.0113', () => {
    const rs = new RandomState(1);
    expect(Array.from(rs.rand(10), round01).join(' ')).toBe('0 1 0 0 0 0 0 0 0 1');
    rs.rand(19 * 10);
    expect(f84(rs.uniform(-0.1, 0.1))).toBe('  0.0900');
    expect(f84(rs.uniform(-0.1, 0.1))).toBe('  0.0113');
  });

  it('rounds exactly 0.5 down, as np.round(0.5) == 0.0 does', () => {
    expect([0, 0.49999999999999994, 0.5, 0.5000000000000001, 0.9999999999999999].map(round01)).toEqual([0, 0, 0, 1, 1]);
  });
});

describe('uniform', () => {
  it('is low + (high - low) * randomSample()', () => {
    // Seed 0's first sample is 0.5488135039273248, so uniform(2, 6) = 2 + 4 * that.
    expect(new RandomState(0).uniform(2, 6)).toBe(2 + 4 * 0.5488135039273248);
    // numpy allows high < low: the draw then lies in (high, low].
    expect(new RandomState(0).uniform(1, -1)).toBe(1 + -2 * 0.5488135039273248);
  });

  it('rejects non-finite bounds and an overflowing range', () => {
    const rs = new RandomState(0);
    expect(() => rs.uniform(NaN, 1)).toThrow(/^low must be a finite number, got NaN$/);
    expect(() => rs.uniform(0, Infinity)).toThrow(ConfigError);
    expect(() => rs.uniform(-1e308, 1e308)).toThrow(/high/);
  });
});

describe('getState / setState', () => {
  it('resumes the identical stream, mid-key and across a twist', () => {
    const rs = new RandomState(42);
    rs.rand(100); // 200 draws: pos is 200, mid-key
    const saved = rs.getState();
    expect(saved.pos).toBe(200);
    const expected = rs.rand(1000); // crosses the twist at draw 624
    const other = new RandomState(7);
    other.setState(saved);
    expect(other.rand(1000)).toEqual(expected);
    // And against numpy: the fixture holds seed 42's samples 100..999, the first 900 of these.
    expect(Array.from(expected.subarray(0, 900))).toEqual(fixture.seeds.find((s) => s.seed === 42)!.samples.slice(100));
  });

  it('copies the key both ways, so a snapshot is not aliased to the stream', () => {
    const rs = new RandomState(1);
    const saved = rs.getState();
    saved.key[5] = 0;
    expect(rs.getState().key[5]).not.toBe(0);
    const other = new RandomState(2);
    other.setState(rs.getState());
    const a = other.randint32();
    expect(rs.randint32()).toBe(a);
  });

  it('rejects a malformed state', () => {
    const rs = new RandomState(1);
    const good = rs.getState();
    const bad = (s: unknown) => () => rs.setState(s as ReturnType<RandomState['getState']>);
    expect(bad({ ...good, version: 2 })).toThrow(/^state\.version must be 1, got 2$/);
    expect(bad(null)).toThrow(ConfigError);
    expect(bad({ ...good, key: new Uint32Array(623) })).toThrow(/state\.key/);
    expect(bad({ ...good, key: Array.from(good.key) })).toThrow(/state\.key/);
    expect(bad({ ...good, pos: 625 })).toThrow(/state\.pos/);
    expect(bad({ ...good, pos: 1.5 })).toThrow(/state\.pos/);
    // Only the top bit of key[0] matters, so this key is the all-zero state that only yields zeros.
    const dead = new Uint32Array(624);
    dead[0] = 0x7fffffff;
    expect(bad({ ...good, key: dead })).toThrow(/state\.key/);
    // The failed calls left the stream untouched.
    expect(rs.getState()).toEqual(good);
  });
});

describe('arguments', () => {
  it.each([-1, 1.5, NaN, 2 ** 32, '1'])('rejects seed %s', (seed) => {
    expect(() => new RandomState(seed as number)).toThrow(ConfigError);
    expect(() => new RandomState(seed as number)).toThrow(/^seed must be an integer in \[0, 2\^32 - 1\], got /);
  });

  it('accepts the ends of the seed range', () => {
    expect(new RandomState(0).getState().key[0]).toBe(0);
    expect(new RandomState(2 ** 32 - 1).getState().key[0]).toBe(2 ** 32 - 1);
  });

  it('reseeds with seed(), restarting the stream', () => {
    const rs = new RandomState(5);
    const first = rs.randomSample();
    rs.rand(700);
    rs.seed(5);
    expect(rs.randomSample()).toBe(first);
  });

  it.each([-1, 1.5, NaN, Infinity])('rejects rand(%s)', (n) => {
    expect(() => new RandomState(0).rand(n)).toThrow(/^n must be a non-negative integer/);
  });

  it('rand(0) is empty and draws nothing', () => {
    const rs = new RandomState(0);
    expect(rs.rand(0)).toEqual(new Float64Array(0));
    expect(rs.randomSample()).toBe(fixture.seeds[0]!.samples[0]);
  });

  it('randint32 gives raw uint32 words', () => {
    const rs = new RandomState(0);
    const a = rs.randint32();
    const b = rs.randint32();
    // randomSample builds its double from exactly these two words.
    expect(((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992).toBe(fixture.seeds[0]!.samples[0]);
    expect(Number.isInteger(a) && a >= 0 && a < 2 ** 32).toBe(true);
  });
});
