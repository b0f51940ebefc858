// TF.js's addition-rnn example in elman: read "123+456" as seven characters, answer "579 " as four.
// An LSTM encoder reads the question; its last output, repeated for each answer character (Keras's
// RepeatVector: a `{ repeatVector: n }` entry), feeds an LSTM decoder; a softmax head per step picks
// each answer character. The example's sizes: digits 3, 5,000 questions (4,500 to train), 128 units,
// Adam, batches of 128.
//   node examples/addition-rnn/addition-rnn.mjs [--epochs 100]
import { adam, init, RNN, train } from 'elman-rnn';
import { additionPairs, CHARS, decode, oneHot, scores } from './data.mjs';

const digits = 3;
const units = 128;

export async function run({ epochs = 100, logEvery = 10, log = console.log } = {}) {
  await init();
  const { questions, answers } = additionPairs({ digits, size: 5000, seed: 1 });
  const [qTrain, aTrain, qTest, aTest] = [questions.slice(0, 4500), answers.slice(0, 4500), questions.slice(4500), answers.slice(4500)];
  const C = CHARS.length;
  const model = new RNN({ inputSize: C, layers: [{ cell: 'lstm', units }, { repeatVector: digits + 1 }, { cell: 'lstm', units }], outputSize: C, outputActivation: 'softmax', returnSequences: true, seed: 1 });
  const data = { samples: qTrain.length, steps: 2 * digits + 1, inputSize: C, outputSize: C, x: oneHot(qTrain), targets: oneHot(aTrain), targetsPerStep: true, outputSteps: digits + 1 };
  const test = { samples: qTest.length, steps: 2 * digits + 1, inputSize: C, x: oneHot(qTest) };
  const held = () => scores(decode(model.predict(test), qTest.length, digits + 1), aTest);
  try {
    const optimizer = adam({ lr: 1e-3 });
    for (let done = 0; done < epochs; ) {
      const count = Math.min(logEvery, epochs - done);
      const history = await train(model, data, { optimizer, loss: 'cce', epochs: count, batchSize: 128, shuffle: done + 1 });
      done += count;
      const s = held();
      log(`epoch ${String(done).padStart(4)}: loss ${history.loss.at(-1).toFixed(4)}, held-out characters right ${(100 * s.chars).toFixed(1)}%, answers right ${(100 * s.whole).toFixed(1)}%`);
    }
    const got = decode(model.predict(test), qTest.length, digits + 1);
    for (let j = 0; j < 5; j++) log(`${qTest[j]} = ${got[j]} ${got[j] === aTest[j] ? '✓' : `✗ (${aTest[j].trim()})`}`);
    return held();
  } finally {
    model.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flag = (name) => (process.argv.indexOf(name) > 0 ? Number(process.argv[process.argv.indexOf(name) + 1]) : undefined);
  await run({ epochs: flag('--epochs') });
}
