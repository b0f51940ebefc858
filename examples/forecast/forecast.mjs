// Forecast a noisy multi-frequency signal `horizon` steps ahead with a recurrent network, and compare it
// with the naive forecast (the last value seen, repeated) on held-out data that comes after the training data.
//   node examples/forecast/forecast.mjs [--model elman|gru|lstm] [--epochs 60] [--out DIR]   (DIR: write the model as TF.js model.json + weights.bin)
import { adam, ElmanRNN, init, noisySignal, RandomState, RNN, saveTfjs, Scaler, splitByTime, train, windows } from 'elman-rnn';

const lookback = 32;
const horizon = 4;
const hidden = 24;

/** The model; swapping the cell is one line: the Elman network, or an RNN of one GRU or LSTM layer (or a stack). */
const makeModel = (cell = 'elman') =>
  cell === 'elman' ? new ElmanRNN({ inputSize: 1, hiddenSize: hidden, outputSize: horizon, seed: 1 }) : new RNN({ inputSize: 1, layers: [{ cell, units: hidden }], outputSize: horizon, seed: 1 });

/** Mean squared error of forecasts y against the windows' targets, in the signal's own units. */
function mse(y, data, scaler) {
  const a = scaler.inverse(Float32Array.from(y));
  const t = scaler.inverse(Float32Array.from(data.targets));
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - t[i]) ** 2;
  return s / a.length;
}

/** The naive forecast: every one of the `horizon` values is the window's last input. */
function naive(data) {
  const y = new Float32Array(data.samples * horizon);
  for (let n = 0; n < data.samples; n++) y.fill(data.x[(data.steps - 1) * data.samples + n], n * horizon, (n + 1) * horizon);
  return y;
}

export async function run({ cell = 'elman', out, epochs = 60, log = console.log } = {}) {
  await init();
  const signal = noisySignal({ length: 4000, rng: new RandomState(7) });
  const { train: past, test: future } = splitByTime(signal, 0.75, lookback);
  const scaler = Scaler.fit(past); // fitted on the training part only
  const trainData = windows(scaler.transform(past), { lookback, horizon });
  const testData = windows(scaler.transform(future), { lookback, horizon, stride: horizon });
  const model = makeModel(cell);
  try {
    await train(model, trainData, { optimizer: adam({ lr: 0.005 }), epochs, loss: 'mse', batchSize: 64, shuffle: 1, clipNorm: 1 });
    const rnn = mse(model.predict(testData), testData, scaler);
    const last = mse(naive(testData), testData, scaler);
    log(`${cell}: held-out MSE over ${testData.samples} windows, ${horizon} steps ahead: model ${rnn.toFixed(4)}, last value ${last.toFixed(4)}, ${(last / rnn).toFixed(1)}× better`);
    if (out) await saveTfjs(model, out, { metadata: { scaler: scaler.toJSON(), lookback, horizon } });
    return { model: rnn, naive: last, factor: last / rnn, samples: testData.samples };
  } finally {
    model.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flag = (name) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
  await run({ cell: flag('--model'), epochs: flag('--epochs') && Number(flag('--epochs')), out: flag('--out') });
}
