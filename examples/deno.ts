// elman in Deno, from npm. Run: deno run examples/deno.ts
// (in a project that has installed elman-rnn into node_modules, add --node-modules-dir=manual)
import { countOnes, init, LinearRNN, RandomState, rprop, trainSync } from 'npm:elman-rnn';

await init();
const rng = new RandomState(1);
const data = countOnes({ samples: 20, length: 10, rng });
// The reference notes' Rprop run: from (-1.5, 2), mean squared error, 500 full-batch steps.
const model = new LinearRNN({ wx: -1.5, wRec: 2 });
const history = trainSync(model, data, { optimizer: rprop(), epochs: 500, loss: 'mse' });
const { wx, wRec } = model.weights;
console.log(JSON.stringify({ runtime: 'deno', epochs: history.loss.length, loss: history.loss.at(-1), wx, wRec }));
model.dispose();
