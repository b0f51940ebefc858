import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../src/backends/wasm/core.js';
import { countOnes, countOnesFrom } from '../src/data/count-ones.js';
import type { Sequences } from '../src/data/sequences.js';
import { ConfigError, DataError, DisposedError, ElmanError, ShapeError } from '../src/errors.js';
import { LinearRNN } from '../src/models/linear.js';
import { createOptimizer } from '../src/optimizers/index.js';
import { sgd } from '../src/optimizers/sgd.js';
import { RandomState } from '../src/random.js';
import { trainSync } from '../src/training/train.js';

beforeAll(() => init());

/** Run `fn`, return what it threw (or fail the test if it threw nothing). */
function thrown(fn: () => unknown): ElmanError {
  try {
    fn();
  } catch (e) {
    return e as ElmanError;
  }
  throw new Error('expected an error');
}

const good = (): Sequences => countOnes({ samples: 4, length: 3, rng: new RandomState(2) });

describe('bad input throws a typed error naming the argument and the value', () => {
  test.each([
    ['samples', () => countOnes({ samples: -1, length: 3, rng: new RandomState(1) }), ConfigError, '-1'],
    ['length', () => countOnes({ samples: 2, length: 0, rng: new RandomState(1) }), ConfigError, '0'],
    ['samples', () => countOnes({ samples: NaN, length: 3, rng: new RandomState(1) }), ConfigError, 'NaN'],
    ['rng', () => countOnes({ samples: 2, length: 3, rng: {} as RandomState }), ConfigError, 'object'],
    ['sequences[1]', () => countOnesFrom([[1, 0], [1, 2]]), DataError, '2'],
    ['sequences[0]', () => countOnesFrom([[0.5, 1]]), DataError, '0.5'],
    ['sequences[1]', () => countOnesFrom([[1, 0], [1]]), ShapeError, 'length 1'],
    ['wx', () => new LinearRNN({ wx: NaN }), ConfigError, 'NaN'],
    ['wRec', () => new LinearRNN({ wRec: Infinity }), ConfigError, 'Infinity'],
    ['backend', () => new LinearRNN({ backend: 'gpu' as 'js' }), ConfigError, '"gpu"'],
    ['lr', () => sgd({ lr: Infinity }), ConfigError, 'Infinity'],
    ['lr', () => createOptimizer('rmsprop', { lr: NaN }), ConfigError, 'NaN'],
    ['optimizer', () => createOptimizer('adadelta'), ConfigError, '"adadelta"'],
    ['data.x', () => new LinearRNN().lossAndGrad({ ...good(), x: new Float32Array(11) }), ShapeError, 'length 11'],
    ['data.targets', () => new LinearRNN().lossAndGrad({ ...good(), targets: new Float32Array(5) }), ShapeError, 'length 5'],
    ['data.x', () => new LinearRNN().lossAndGrad({ ...good(), x: new Float32Array(12).fill(NaN) }), DataError, 'NaN'],
    ['data.targets', () => new LinearRNN().lossAndGrad({ ...good(), targets: new Float32Array([1, 2, Infinity, 0]) }), DataError, 'Infinity'],
    ['data.samples', () => new LinearRNN().lossAndGrad({ ...good(), samples: -4 }), ConfigError, '-4'],
    ['data.x', () => new LinearRNN().lossAndGrad({ ...good(), x: [0, 1] as unknown as Float32Array }), ConfigError, 'array(2)'],
    ['loss', () => new LinearRNN().lossAndGrad(good(), 'mae' as 'sse'), ConfigError, '"mae"'],
    ['data.inputSize', () => new LinearRNN().lossAndGrad({ ...good(), inputSize: 2, x: new Float32Array(24) }), ShapeError, '2'],
    ['sequences[0]', () => new LinearRNN().predict([]), ShapeError, 'array(0)'],
    ['sequences[0]', () => new LinearRNN().predict([1, NaN]), DataError, 'NaN'],
    ['epochs', () => trainSync(new LinearRNN(), good(), { optimizer: sgd(), epochs: -5 }), ConfigError, '-5'],
  ] as const)('%s', (argument, fn, type, shown) => {
    const e = thrown(fn);
    expect(e).toBeInstanceOf(type);
    expect(e).toBeInstanceOf(ElmanError);
    expect(e.argument.startsWith(argument.split('[')[0]!)).toBe(true);
    expect(e.message).toContain(argument);
    expect(e.message).toContain(shown);
  });
});

describe('disposal', () => {
  test('a disposed model throws DisposedError and frees its core memory', () => {
    const m = new LinearRNN({ wx: 1, wRec: 1 });
    const b = m.bind(good());
    expect(b.lossAndGrad()).toBe(0);
    m.dispose();
    expect(() => b.lossAndGrad()).toThrow(DisposedError);
    expect(() => m.predict([1])).toThrow(DisposedError);
  });
});
