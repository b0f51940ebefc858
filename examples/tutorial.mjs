// The tutorial, replayed with the API: count the ones in 20 binary sequences of 10 bits (seed 1),
// RMSProp, 2000 updates, and its log lines. Run: node examples/tutorial.mjs
import { countOnes, init, LinearRNN, RandomState, rmsprop, train } from 'elman-rnn';

await init();
const rng = new RandomState(1); // numpy's np.random.seed(1): the data, then the two weights
const data = countOnes({ samples: 20, length: 10, rng });
const model = new LinearRNN({ wx: rng.uniform(-0.1, 0.1), wRec: rng.uniform(-0.1, 0.1) });
const f = (v) => v.toFixed(4).padStart(8);
console.log(`Initial weights: wx = ${f(model.weights.wx)}, wRec = ${f(model.weights.wRec)}`);

const history = await train(model, data, { optimizer: rmsprop({ lr: 1e-3 }), epochs: 2000, loss: 'sse' });
// history.loss is 0-based; the tutorial counts updates from 1, so its line 100 is history.loss[99].
for (let epoch = 100; epoch <= 2000; epoch += 100) console.log(`epoch[${String(epoch).padStart(5)}] : cost =${f(history.loss[epoch - 1])}`);
console.log(`Final weights : wx = ${f(model.weights.wx)}, wRec = ${f(model.weights.wRec)}`);
console.log(`predict([1, 0, 1, 1]) = ${model.predict([1, 0, 1, 1]).toFixed(4)}`);
model.dispose();
