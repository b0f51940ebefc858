// The reference notes' second part: an Elman network adds two numbers fed bit by bit, least
// significant first (2 inputs → 3 tanh units → 1 sigmoid output). Run: node examples/binary-addition.mjs
import { accuracy, binaryAddition, ElmanRNN, init, RandomState, rmsprop, train } from 'elman-rnn';

await init();
const rng = new RandomState(2);
const data = binaryAddition({ samples: 2000, bits: 8, rng }); // a sum bit per step
const heldOut = binaryAddition({ samples: 1000, bits: 8, rng });
const model = new ElmanRNN({
  inputSize: 2, hiddenSize: 3, outputSize: 1,
  activation: 'tanh', outputActivation: 'sigmoid', returnSequences: true,
  seed: 2,
});
await train(model, data, {
  optimizer: rmsprop({ lr: 0.05, rho: 0.5, eps: 1e-6, momentum: 0.8, nesterov: true }),
  loss: 'bce', // sigmoid + cross-entropy, fused
  epochs: 10, batchSize: 100, shuffle: 2, // 200 updates
  onEpoch: ({ epoch, loss }) => console.log(`epoch ${epoch + 1}: loss ${loss.toFixed(4)}`),
});
const { perValue, perSequence } = accuracy(model.predict(heldOut), heldOut, 'threshold');
console.log(`held-out sums: ${(100 * perValue).toFixed(2)}% of bits, ${(100 * perSequence).toFixed(2)}% of sums entirely right`);
model.dispose();
