// Issue 21, item 8: every options object in the public API refuses an unknown key. The test walks
// every function and class the package entry exports: each is in OPTIONS (one call per options
// object it takes, with one misspelled key) or in TAKES_NONE (with the reason), so a new export
// without an entry fails here.
import { beforeAll, describe, expect, test } from 'vitest';
import * as elman from '../../dist/index.js';

const { ElmanError, ElmanRNN, RNN, LinearRNN, Predictor, RandomState, countOnes, init } = elman;

const data = () => countOnes({ samples: 4, length: 3, rng: new RandomState(1) });
const elmanData = () => ({ samples: 2, steps: 3, inputSize: 1, outputSize: 1, x: new Float32Array(6), targets: new Float32Array(2) });
const small = () => new ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1, seed: 1 });
const stack = () => new RNN({ inputSize: 1, layers: [{ cell: 'gru', units: 2 }], outputSize: 1 });

/** Per export (or export.method), calls that each pass one options object with one misspelled key. */
const OPTIONS: Record<string, Array<() => unknown>> = {
  init: [() => init(undefined, { relaxedSimd: true, relaxedSIMD: false } as never)],
  windows: [() => elman.windows([1, 2, 3, 4], { lookback: 2, horizion: 2 } as never)],
  toTfjs: [() => elman.toTfjs(small(), { metdata: {} } as never)],
  tfjsFiles: [() => elman.tfjsFiles(small(), { metdata: {} } as never)],
  saveTfjs: [() => elman.saveTfjs(small(), '/tmp/elman-never-written', { metdata: {} } as never)],
  fromTfjs: [() => elman.fromTfjs(elman.toTfjs(small()), { backnd: 'js' } as never)],
  loadTfjs: [() => elman.loadTfjs(elman.toTfjs(small()), { backnd: 'js' } as never)],
  lossSurface: [() => elman.lossSurface(data(), { wRek: { min: 0, max: 1, count: 2 } } as never), () => elman.lossSurface(data(), { wx: { min: 0, max: 1, cont: 2 } } as never)],
  lossSurfaceThreaded: [() => elman.lossSurfaceThreaded(data(), { thread: 2 } as never)],
  train: [
    () => elman.train(new LinearRNN(), data(), { epochs: 1, optimizer: elman.sgd({ lr: 0.1 }), epoch: 3 } as never),
    () => elman.train(stack(), elmanData(), { epochs: 1, optimizer: elman.sgd({ lr: 0.1 }), initalState: [] } as never),
  ],
  trainSync: [() => elman.trainSync(new LinearRNN(), data(), { epochs: 1, optimizer: elman.sgd({ lr: 0.1 }), pateince: 3 } as never)],
  gradCheck: [() => elman.gradCheck(new LinearRNN({ backend: 'js' }), data(), { tolerence: 1e-3 } as never)],
  scan: [() => elman.scan({ fn: (a: number) => a, sequences: [[1, 2]], nStep: 2 } as never)],
  countOnes: [() => elman.countOnes({ samples: 2, length: 2, rng: new RandomState(1), lenght: 3 } as never)],
  binaryAddition: [() => elman.binaryAddition({ samples: 2, bits: 3, rng: new RandomState(1), bit: 3 } as never)],
  sineWave: [() => elman.sineWave({ samples: 2, length: 3, rng: new RandomState(1), lenght: 3 } as never)],
  parity: [() => elman.parity({ samples: 2, length: 3, rng: new RandomState(1), lenght: 3 } as never)],
  noisySignal: [() => elman.noisySignal({ length: 8, rng: new RandomState(1), noize: 0 } as never)],
  sgd: [() => elman.sgd({ lr: 0.1, Lr: 1 } as never)],
  momentum: [() => elman.momentum({ lr: 0.1, momentun: 0.5 } as never)],
  rmsprop: [() => elman.rmsprop({ lr: 0.1, roh: 0.5 } as never)],
  rprop: [() => elman.rprop({ etaPlus: 1.2, etaplus: 1.1 } as never)],
  adam: [() => elman.adam({ lr: 0.1, beta_1: 0.5 } as never)],
  adagrad: [() => elman.adagrad({ lr: 0.1, initialAccumulater: 0.1 } as never)],
  evaluate: [() => elman.evaluate(new LinearRNN(), data(), { metric: ['mse'] } as never)],
  createOptimizer: [() => elman.createOptimizer('adam', { lr: 0.1, beta_1: 0.5 } as never)],
  ElmanRNN: [
    () => new ElmanRNN({ inputSize: 1, hiddenSize: 2, outputSize: 1, hiddenSise: 3 } as never),
    () => small().bind(elmanData(), { batchsize: 1 } as never),
    () => small().placeThreaded(elmanData(), { thread: 2 } as never),
    () => ElmanRNN.fromJSON(small().toJSON(), { backnd: 'js' } as never),
  ],
  RNN: [
    () => new RNN({ inputSize: 1, layers: [{ cell: 'gru', units: 2, unit: 3 }], outputSize: 1 } as never),
    () => new RNN({ inputSize: 1, layers: [{ cell: 'gru', units: 2 }], outputSize: 1, seeed: 1 } as never),
    () => stack().bind(elmanData(), { truncat: 1 } as never),
    () => stack().bind(elmanData(), { initalState: [] } as never),
    () => stack().placeThreaded(elmanData(), { thread: 2 } as never),
    () => RNN.fromJSON(stack().toJSON(), { backnd: 'js' } as never),
    () => stack().setWeights({ outputBais: [0] } as never),
    () => stack().predict(elmanData(), { initialStates: [] } as never),
  ],
  LinearRNN: [
    () => new LinearRNN({ wx: 1, wrec: 1 } as never),
    () => new LinearRNN().bind(data(), { los: 'mse' } as never),
    () => new LinearRNN().placeThreaded(data(), { thread: 2 } as never),
  ],
  Predictor: [() => Predictor.load(small().toJSON(), { backnd: 'js' } as never)],
  sample: [() => elman.sample(new RNN({ inputSize: 2, layers: [{ cell: 'simple', units: 2 }], outputSize: 2, outputActivation: 'softmax' }), { lenght: 3 } as never)],
};

/** Exports that take no options object, and why. */
const TAKES_NONE: Record<string, string> = {
  AbortError: 'an error class', BusyError: 'an error class', ConfigError: 'an error class', DataError: 'an error class',
  DisposedError: 'an error class', DivergenceError: 'an error class', ElmanError: 'an error class', InitError: 'an error class',
  NumericError: 'an error class', ShapeError: 'an error class',
  RandomState: 'a seed', Scaler: 'mean and std arrays',
  accuracy: 'outputs, data and a scoring name', checkInputs: 'a data object, validated (its own keys are the data)',
  checkSequences: 'a data object, validated', coreFeatures: 'no arguments', countOnesFrom: 'rows of 0/1',
  glorotUniform: 'rng, rows, cols', orthogonal: 'rng, rows, cols', gradientFlow: 'data, weights { wx, wRec } and a loss name',
  initSync: 'a module or bytes', isInitialized: 'no arguments', sliceSamples: 'data and two indices',
  splitByTime: 'series and two numbers', timeMajor: 'rows', windowCount: 'four integers',
  Vocabulary: 'an array of symbols', tokens: 'a text', tokenSequences: 'ids and a number of steps',
};

beforeAll(async () => {
  await init();
});

describe('item 8: one misspelled key on every options object of the public API', () => {
  const exported = Object.entries(elman).filter(([, v]) => typeof v === 'function').map(([k]) => k);

  test('every exported function and class is listed: with its options calls, or as taking none', () => {
    const unlisted = exported.filter((k) => !(k in OPTIONS) && !(k in TAKES_NONE));
    expect(unlisted).toEqual([]);
    expect(Object.keys(OPTIONS).filter((k) => !exported.includes(k))).toEqual([]);
  });

  test.each(Object.entries(OPTIONS).flatMap(([name, calls]) => calls.map((call, i) => [`${name} #${i + 1}`, call] as const)))('%s refuses it, naming the key', async (_, call) => {
    const error = await (async () => call())().then(
      () => expect.fail('the misspelled key was accepted'),
      (e: unknown) => e,
    );
    if (!(error instanceof ElmanError)) throw error;
    expect(error.message).toMatch(/\.(relaxedSIMD|horizion|metdata|backnd|wRek|cont|thread|epoch|pateince|tolerence|nStep|lenght|bit|noize|Lr|momentun|roh|etaplus|beta_1|hiddenSise|batchsize|unit|seeed|truncat|outputBais|wrec|los|initialAccumulater|metric|initialStates|initalState)\b/);
  });
});
