// A forecast: predict the next value of a noisy sine wave from the values so far, and compare with
// the naive forecast (tomorrow = today). Run: node examples/forecast.mjs
import { adam, ElmanRNN, init, RandomState, sineWave, train } from 'elman';

await init();
const rng = new RandomState(1);
const data = sineWave({ samples: 500, length: 20, rng }); // x[k] = v[k], target = v[k + 1]
const heldOut = sineWave({ samples: 200, length: 20, rng });

let naive = 0;
for (let i = 0; i < heldOut.x.length; i++) naive += (heldOut.x[i] - heldOut.targets[i]) ** 2;
naive /= heldOut.x.length;

const model = new ElmanRNN({ inputSize: 1, hiddenSize: 8, outputSize: 1, returnSequences: true, seed: 1 });
await train(model, data, { optimizer: adam({ lr: 0.01 }), epochs: 30, loss: 'mse', batchSize: 50, shuffle: 1 });
const mse = model.lossAt(model.params, heldOut, 'mse');
console.log(`held-out mse: network ${mse.toFixed(4)}, naive forecast ${naive.toFixed(4)} (${(naive / mse).toFixed(1)}× better)`);
model.dispose();
