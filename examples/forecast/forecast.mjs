// Forecast a noisy multi-frequency signal `horizon` steps ahead with a recurrent network, and compare it
// with the naive forecast (the last value seen, repeated) on held-out data that comes after the training data.
//   node examples/forecast/forecast.mjs [--model elman|gru|lstm] [--epochs 60] [--targets sequence] [--out DIR]   (DIR: write the model as TF.js model.json + weights.bin)
// --targets sequence: many-to-many training windows, the next `horizon` values after every step of
// each window (returnSequences), so each window teaches 32 forecasts instead of one; the model's
// forecast from the last step is judged as before.
import { adam, ElmanRNN, init, noisySignal, RandomState, RNN, saveTfjs, Scaler, splitByTime, train, windows } from 'elman-rnn';

const lookback = 32;
const horizon = 4;
const hidden = 24;

/** The model; swapping the cell is one line: the Elman network, or an RNN of one GRU or LSTM layer (or a stack). */
const makeModel = (cell = 'elman', returnSequences = false) =>
  cell === 'elman' ? new ElmanRNN({ inputSize: 1, hiddenSize: hidden, outputSize: horizon, returnSequences, seed: 1 }) : new RNN({ inputSize: 1, layers: [{ cell, units: hidden }], outputSize: horizon, returnSequences, seed: 1 });

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

/** The forecasts from each window's last step: all of a many-to-one model's outputs, the last step's of a many-to-many one ([steps][samples][horizon]). */
const lastStep = (y, data) => (y.length === data.samples * horizon ? y : y.subarray((data.steps - 1) * data.samples * horizon));

export async function run({ cell = 'elman', out, epochs = 60, targets, log = console.log } = {}) {
  await init();
  const signal = noisySignal({ length: 4000, rng: new RandomState(7) });
  const { train: past, test: future } = splitByTime(signal, 0.75, lookback);
  const scaler = Scaler.fit(past); // fitted on the training part only
  const sequence = targets === 'sequence';
  const trainData = windows(scaler.transform(past), { lookback, horizon, ...(sequence && { targets: 'sequence' }) });
  const testData = windows(scaler.transform(future), { lookback, horizon, stride: horizon });
  const model = makeModel(cell, sequence);
  try {
    await train(model, trainData, { optimizer: adam({ lr: 0.005 }), epochs, loss: 'mse', batchSize: 64, shuffle: 1, clipNorm: 1 });
    const rnn = mse(lastStep(model.predict(testData), testData), testData, scaler);
    const last = mse(naive(testData), testData, scaler);
    log(`${cell}${sequence ? ' (many-to-many windows)' : ''}: held-out MSE over ${testData.samples} windows, ${horizon} steps ahead: model ${rnn.toFixed(4)}, last value ${last.toFixed(4)}, ${(last / rnn).toFixed(1)}× better`);
    if (out) await saveTfjs(model, out, { metadata: { scaler: scaler.toJSON(), lookback, horizon } });
    return { model: rnn, naive: last, factor: last / rnn, samples: testData.samples };
  } finally {
    model.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flag = (name) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
  await run({ cell: flag('--model'), epochs: flag('--epochs') && Number(flag('--epochs')), targets: flag('--targets'), out: flag('--out') });
}
