// min-char-rnn's job: a character-level vanilla RNN (hidden 100, tanh, softmax over the characters)
// trained on a text 25 characters at a time, its state carried from chunk to chunk, Adagrad 0.1 with
// gradients clipped to ±5; then text drawn from it one character at a time.
//   node examples/char-rnn/char-rnn.mjs [--iterations 4000] [--length 300] [--temperature 1]
import { readFileSync } from 'node:fs';
import { adagrad, init, RNN, sample, tokens, train } from 'elman-rnn';

const hidden = 100;
const steps = 25;
/** Chunks per train call (one log line each): their one-hot inputs are 1.4 MB, the whole text's would be 29 MB. */
const window = 200;

/** Chunks n0 .. n0 + count of `ids` one-hot (inputs and next-character targets), time-major. */
function chunks(ids, V, n0, count) {
  const x = new Float32Array(steps * count * V);
  const targets = new Float32Array(steps * count * V);
  for (let n = 0; n < count; n++) {
    for (let k = 0; k < steps; k++) {
      const at = (n0 + n) * steps + k;
      x[(k * count + n) * V + ids[at]] = 1;
      targets[(k * count + n) * V + ids[at + 1]] = 1;
    }
  }
  return { samples: count, steps, inputSize: V, outputSize: V, x, targets, targetsPerStep: true };
}

export async function run({ iterations = 4000, length = 300, temperature = 1, seed = 1, log = console.log } = {}) {
  await init();
  const text = readFileSync(new URL('./pride-and-prejudice.txt', import.meta.url), 'utf8');
  // The text's distinct characters in code-point order, and the text as their ids.
  const { vocabulary, ids } = tokens(text);
  const V = vocabulary.size;
  // One-hot in, so the kernel's row v is character v's input weights: min-char-rnn's Wxh, transposed.
  const model = new RNN({ inputSize: V, layers: [{ cell: 'simple', units: hidden }], outputSize: V, outputActivation: 'softmax', returnSequences: true, stateful: true, seed });
  // 'cce' is the mean over a chunk's 25 steps, min-char-rnn's loss their sum: its gradient g / 25. With
  // ε / 25² and a clip of 5 / 25, each step is min-char-rnn's (test/training/min-char-rnn.test.ts).
  const optimizer = adagrad({ lr: 0.1, initialAccumulator: 0, eps: 1e-8 / steps ** 2 });
  const perText = Math.floor((ids.length - 1) / steps);
  const losses = [];
  try {
    for (let done = 0, n = 0; done < iterations; ) {
      if (n === perText) {
        n = 0; // past the end of the text: back to its start with a fresh state
        model.resetState();
      }
      const count = Math.min(window, iterations - done, perText - n);
      // One update per chunk (batches of one), the state flowing on from the previous chunk and call.
      const history = await train(model, chunks(ids, V, n, count), { optimizer, loss: 'cce', epochs: 1, batchSize: 1, clipValue: 5 / steps });
      losses.push(history.loss[0] * steps); // the window's mean chunk loss, as min-char-rnn sums it
      done += count;
      n += count;
      log(`iteration ${String(done).padStart(6)}: loss per chunk ${losses.at(-1).toFixed(2)} (a uniform guess: ${(steps * Math.log(V)).toFixed(2)})`);
    }
    // One character at a time from a fresh state: feed the last (one-hot), draw from the softmax sharpened by `temperature`.
    // Three draws (seeds seed, seed + 1, seed + 2): a model this young can fall into a loop (a run of
    // the text's few digits, say) in one of them.
    const drawn = [0, 1, 2].map((k) => vocabulary.decode(sample(model, { prime: vocabulary.encode(' '), length, temperature, seed: seed + k })));
    for (const d of drawn) {
      log('----');
      log(d);
    }
    log('----');
    return { vocabulary: V, losses, texts: drawn };
  } finally {
    model.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flag = (name) => (process.argv.indexOf(name) > 0 ? Number(process.argv[process.argv.indexOf(name) + 1]) : undefined);
  await run({ iterations: flag('--iterations'), length: flag('--length'), temperature: flag('--temperature') });
}
