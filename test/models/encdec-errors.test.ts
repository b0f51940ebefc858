// Hostile layer lists and data for encoder–decoder and bidirectional stacks: every one a typed error
// naming the entry's index in the user's list (or the argument), thrown before anything is allocated.
import { beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, init, RNN, ShapeError, type LayerEntry, type RNNOptions } from '../../src/index.js';

beforeAll(async () => {
  await init();
});

const base = { inputSize: 2, outputSize: 3 } as const;
const make = (layers: unknown, o: Partial<RNNOptions> = {}) => () => new RNN({ ...base, ...o, layers: layers as LayerEntry[] });
const lstm = { cell: 'lstm', units: 3 } as const;

describe('layer lists', () => {
  test.each<[string, unknown, Partial<RNNOptions>, RegExp]>([
    ['a repeatVector first', [{ repeatVector: 2 }, lstm], {}, /^layers\[0\] must be a recurrent layer first/],
    ['a repeatVector last', [lstm, { repeatVector: 2 }], {}, /^layers\[1\] must be a recurrent layer after the repeatVector/],
    ['two repeatVectors in a row', [lstm, { repeatVector: 2 }, { repeatVector: 3 }, lstm], {}, /^layers\[2\] must be a recurrent layer between it and the repeatVector at layers\[1\]/],
    ['repeatVector 0', [lstm, { repeatVector: 0 }, lstm], {}, /^layers\[1\]\.repeatVector must be an integer in \[1, 1048576\], got 0/],
    ['repeatVector 2.5', [lstm, { repeatVector: 2.5 }, lstm], {}, /^layers\[1\]\.repeatVector must be an integer/],
    ['repeatVector as a string', [lstm, { repeatVector: '3' }, lstm], {}, /^layers\[1\]\.repeatVector must be an integer/],
    ['a repeatVector with another key', [lstm, { repeatVector: 2, units: 4 }, lstm], {}, /^layers\[1\]\.units must be absent/],
    ['returnSequences true below a repeatVector', [{ ...lstm, returnSequences: true }, { repeatVector: 2 }, lstm], {}, /^layers\[0\]\.returnSequences must be false or unset: the repeatVector at layers\[1\] reads only its last output/],
    ['returnSequences false below a layer', [{ ...lstm, returnSequences: false }, lstm], {}, /^layers\[0\]\.returnSequences must be true or unset: layers\[1\] reads every step/],
    ['a top returnSequences against the model', [lstm, { ...lstm, returnSequences: true }], { returnSequences: false }, /^layers\[1\]\.returnSequences must be false \(the model's returnSequences\) or unset/],
    ['returnSequences as a string', [{ ...lstm, returnSequences: 'yes' }], {}, /^layers\[0\]\.returnSequences must be a boolean/],
    ["merge 'mul'", [{ bidirectional: lstm, merge: 'mul' }], {}, /^layers\[0\]\.merge must be one of concat, sum, got "mul"/],
    ['bidirectional of a number', [{ bidirectional: 3 }], {}, /^layers\[0\]\.bidirectional must be a recurrent layer/],
    ['bidirectional of a repeatVector', [lstm, { bidirectional: { repeatVector: 2 } }], {}, /^layers\[1\]\.bidirectional\.repeatVector must be absent/],
    ['a bidirectional with another key', [{ bidirectional: lstm, units: 3 }], {}, /^layers\[0\]\.units must be absent/],
    ['a bad cell inside a bidirectional', [lstm, { bidirectional: { cell: 'conv', units: 2 } }], {}, /^layers\[1\]\.bidirectional\.cell must be one of/],
    ['a hole in the list', [lstm, , lstm], {}, /^layers\[1\] must be an object/],
  ])('%s', (_, layers, o, message) => {
    expect(make(layers, o)).toThrow(ConfigError);
    expect(make(layers, o)).toThrow(message);
  });
});

describe('what a wired stack cannot do, and data of the wrong shape', () => {
  const encdec = () => new RNN({ ...base, returnSequences: true, layers: [lstm, { repeatVector: 4 }, { bidirectional: lstm, merge: 'sum' }], backend: 'js' });
  const data = (outputSteps?: number, targetSteps = 4) => ({ samples: 2, steps: 3, inputSize: 2, outputSize: 3, x: new Float32Array(12), targets: new Float32Array(targetSteps * 6), targetsPerStep: true, ...(outputSteps !== undefined && { outputSteps }) });

  test('step and forecast need one step at a time: refused by name', () => {
    const m = encdec();
    expect(() => m.step([[0, 0]])).toThrow(/^step must be a model without them: those layers need the whole sequence/);
    expect(() => m.forecast([[0, 0]], 2)).toThrow(ConfigError);
    m.dispose();
  });

  test('truncated BPTT and a thread count are refused; threads "auto" runs on one thread', async () => {
    const m = encdec();
    expect(() => m.bind(data(4), { truncate: 2 })).toThrow(/^truncate must be unset: repeatVector and bidirectional layers need the whole sequence/);
    const wasm = new RNN({ ...base, layers: [{ bidirectional: lstm }] });
    const d = { samples: 2, steps: 3, inputSize: 2, outputSize: 3, x: new Float32Array(12).fill(0.5), targets: new Float32Array(6) };
    await expect(wasm.placeThreaded(d, { threads: 2 })).rejects.toThrow(/^threads must be 'auto' \(one thread\)/);
    const placed = await wasm.placeThreaded(d, { threads: 'auto' });
    expect(wasm.lossAndGrad(placed).loss).toBeGreaterThan(0);
    wasm.dispose();
    m.dispose();
  });

  test("targets of the decoder's steps: outputSteps checked", () => {
    const m = encdec();
    expect(m.outputSteps(3)).toBe(4);
    expect(() => m.lossAndGrad(data(undefined, 3))).toThrow(ShapeError);
    expect(() => m.lossAndGrad(data(undefined, 3))).toThrow(/^data\.outputSteps must be 4 \(the decoder's steps: targets \[4\]\[samples\]\[3\]\)/);
    expect(() => m.lossAndGrad(data(5, 5))).toThrow(/^data\.outputSteps must be 4/);
    expect(() => m.lossAndGrad(data(4, 3))).toThrow(/^data\.targets must have length 24/);
    expect(() => m.lossAndGrad({ ...data(4), targetsPerStep: false, targets: new Float32Array(6) })).toThrow(/^data\.outputSteps must be undefined: without targetsPerStep/);
    expect(m.lossAndGrad(data(4)).loss).toBe(0); // zero inputs and biases: outputs 0 at every decoder step, as the targets
    m.dispose();
  });
});

test('stateful, learnInitialState and initialState are refused for wired stacks', () => {
  const layers: LayerEntry[] = [lstm, { repeatVector: 2 }, lstm];
  expect(make(layers, { stateful: true })).toThrow(/^stateful must be false: repeatVector and bidirectional layers carry no state/);
  expect(make([{ bidirectional: lstm }], { learnInitialState: true })).toThrow(/^learnInitialState must be false/);
  const m = new RNN({ ...base, layers: [{ bidirectional: lstm }], backend: 'js' });
  expect(() => m.predict({ x: new Float32Array(6), samples: 1, steps: 3 }, { initialState: [{ h: [0, 0, 0] }] })).toThrow(/^initialState must be undefined/);
  m.dispose();
});
