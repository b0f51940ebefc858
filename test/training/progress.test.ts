// train's verbose option: one line per logged epoch through console.log (1), a bar redrawn in place
// on a terminal (2, lines elsewhere), silence by default. Output captured; no timing asserted.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { adam, BACKENDS, countOnes, LinearRNN, RandomState, RNN, init, train, trainSync } from 'elman-rnn';

await init();

const LINE = /^Epoch (\d+)\/(\d+) - loss: (\S+)( - val_loss: (\S+))? - [\d.]+(µs|ms|s)\/epoch - ETA [\d.]+(µs|ms|s)$/;
const data = () => countOnes({ samples: 20, length: 10, rng: new RandomState(1) });

afterEach(() => vi.restoreAllMocks());

describe.each(BACKENDS)('on %s', (backend) => {
  test('verbose 1: a line per logged epoch with the loss onEpoch hears; the last epoch too', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const heard: number[] = [];
    const model = new LinearRNN({ wx: 0.2, wRec: 0.3, backend });
    const history = trainSync(model, data(), { optimizer: adam({ lr: 0.01 }), epochs: 25, logEvery: 10, verbose: 1, onEpoch: ({ loss }) => void heard.push(loss) });
    const lines = log.mock.calls.map((c) => String(c[0]));
    expect(lines.length).toBe(4); // epochs 1, 11, 21 and 25
    const parsed = lines.map((l) => LINE.exec(l));
    expect(parsed.every(Boolean)).toBe(true);
    expect(parsed.map((m) => Number(m![1]))).toEqual([1, 11, 21, 25]);
    expect(parsed.every((m) => m![2] === '25')).toBe(true);
    expect(parsed.map((m) => Number(m![3]))).toEqual(heard.map((l) => Number(l.toPrecision(6))));
    expect(history.loss.length).toBe(25);
  });

  test('verbose 1 with validation data prints its loss; an async train prints the same lines', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const model = new RNN({ inputSize: 1, layers: [{ cell: 'gru', units: 3 }], outputSize: 1, seed: 1, backend });
    const x = [[[0.1], [0.5]], [[0.9], [0.2]], [[0.3], [0.3]]];
    const history = await train(model, { x, y: [[0.6], [1.1], [0.6]] }, { optimizer: adam(), epochs: 3, verbose: 1, validationData: { x, y: [[0.5], [1], [0.5]] } });
    const lines = log.mock.calls.map((c) => String(c[0]));
    expect(lines.map((l) => LINE.exec(l)?.[5])).toEqual(history.valLoss!.map((v) => String(Number(v.toPrecision(6)))));
  });
});

test('silent by default and with verbose 0', () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  trainSync(new LinearRNN(), data(), { optimizer: adam(), epochs: 5 });
  trainSync(new LinearRNN(), data(), { optimizer: adam(), epochs: 5, verbose: 0 });
  expect(log).not.toHaveBeenCalled();
});

test('verbose 2: a bar redrawn in place on a terminal, ended by a newline; lines when stdout is not a terminal', () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (written.push(String(s)), true));
  try {
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    trainSync(new LinearRNN({ wx: 0.5 }), data(), { optimizer: adam(), epochs: 4, verbose: 2 });
  } finally {
    if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
  }
  expect(written.length).toBe(5);
  expect(written.slice(0, 4).every((w) => w.startsWith('\r['))).toBe(true);
  expect(written[3]).toContain(`[${'='.repeat(30)}] Epoch 4/4`);
  expect(written[1]).toContain(`[${'='.repeat(15)}${' '.repeat(15)}] Epoch 2/4`);
  expect(written[4]).toBe('\n');
  expect(log).not.toHaveBeenCalled();
  Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
  try {
    trainSync(new LinearRNN({ wx: 0.5 }), data(), { optimizer: adam(), epochs: 4, verbose: 2 });
  } finally {
    if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
  }
  expect(log.mock.calls.length).toBe(4);
  expect(written.length).toBe(5);
});

test('verbose other than 0, 1, 2 is refused by name before any work', () => {
  const model = new LinearRNN();
  for (const verbose of [3, -1, 1.5, true, '1']) {
    expect(() => trainSync(model, data(), { optimizer: adam(), epochs: 1, verbose: verbose as 1 })).toThrow(expect.objectContaining({ argument: 'verbose' }));
  }
  expect(model.weights).toEqual({ wx: 0, wRec: 0 });
});
