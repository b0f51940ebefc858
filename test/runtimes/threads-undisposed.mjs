// A threaded placement left undisposed must not keep the process alive (Node, Deno, Bun).
import * as elman from 'elman-rnn';

await elman.init();
const model = new elman.ElmanRNN({ inputSize: 1, hiddenSize: 4, outputSize: 1 });
const data = { samples: 8, steps: 3, inputSize: 1, outputSize: 1, x: new Float32Array(24).fill(0.5), targets: new Float32Array(8) };
const placed = await model.placeThreaded(data, { threads: 2 });
console.log(JSON.stringify({ threads: (await elman.train(model, placed, { optimizer: elman.adam(), epochs: 1 })).threads }));
