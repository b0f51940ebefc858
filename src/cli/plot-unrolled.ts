import { parseArgs } from 'node:util';
import { binaryAddition, ElmanRNN, init, RandomState, rmsprop, train } from '../index.js';
import { ADDITION_EXAMPLE, bitsValue, elmanUnrolledSpec, sampleRows, unrollCounter, unrolledFrames, unrolledSpec, unrollElman } from '../plots/index.js';
import { int, num, oneOf, pair, UsageError } from './args.js';
import { writeSvg } from './figures.js';

/** Flags of `elman plot unrolled`. */
export const plotUnrolledFlags = {
  sequence: { type: 'string', default: '1011001' },
  weights: { type: 'string', default: '1,1.5' },
  target: { type: 'string' },
  step: { type: 'string' },
  model: { type: 'string', default: 'linear' },
  epochs: { type: 'string', default: '5' },
  seed: { type: 'string', default: '1' },
  out: { type: 'string', default: 'plots' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The text of `elman plot unrolled --help`. */
export const plotUnrolledHelp = `elman plot unrolled [flags]    the counter unrolled over one sequence: states forward, dL/ds_k backward

  --sequence 1011001      the inputs x_1..x_T, 0s and 1s (at most 64)
  --weights wx,wrec       the weights on the edges; |w_rec| > 1 explodes the gradient, < 1 makes it vanish  [1,1.5]
  --target N              the target (default: the number of ones)
  --step N                the animation frame: 0..T forward, T+1 the loss, then backward (default: the last, all shown)
  --out DIR               where to write DIR/unrolled.svg                 [plots]

  --model elman           instead: the notes' Elman network (2 inputs, 3 tanh units, sigmoid output) trained
                          on binary addition (2,000 sums of 6-bit numbers, 7 bits, RMSProp with Nesterov
                          momentum, batches of 100) for --epochs 5 (100 updates), then one held-out sum
                          drawn as heat maps of h_k and dL/dh_k per step: DIR/unrolled-elman.svg`;

/** Run `elman plot unrolled` with raw arguments; resolves to the exit code. */
export async function runPlotUnrolled(args: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: plotUnrolledFlags, strict: true, allowPositionals: false });
  if (values.help) {
    out(plotUnrolledHelp);
    return 0;
  }
  if (oneOf('model', values.model, ['linear', 'elman']) === 'elman') return plotElman(values, out);
  if (!/^[01]{1,64}$/.test(values.sequence)) throw new UsageError('--sequence', values.sequence, '1 to 64 characters, each 0 or 1');
  const [wx, wRec] = pair('weights', values.weights)!;
  const u = unrollCounter([...values.sequence].map(Number), { wx, wRec }, num('target', values.target));
  const last = unrolledFrames(u) - 1;
  const step = int('step', values.step, 0) ?? last;
  if (step > last) throw new UsageError('--step', values.step, `an integer in [0, ${last}]`);
  const file = await writeSvg(values.out, 'unrolled.svg', unrolledSpec(u, { step }));
  out(`y = ${u.y}, target ${u.target}, loss ${u.loss}; dL/ds_0 = ${u.grads[0]}, dL/ds_T = ${u.grads.at(-1)}`);
  out(`Wrote ${file}`);
  return 0;
}

/** The notes' second part: train the 2-3-1 Elman network on binary addition, then unroll one held-out sum. */
async function plotElman(values: { epochs: string; seed: string; out: string }, out: (line: string) => void): Promise<number> {
  const epochs = int('epochs', values.epochs, 1)!;
  const seed = int('seed', values.seed, 0)!;
  const ex = ADDITION_EXAMPLE;
  await init();
  const rng = new RandomState(seed);
  const data = binaryAddition({ samples: ex.samples, bits: ex.bits, rng });
  const { x, targets } = sampleRows(binaryAddition({ samples: 1, bits: ex.bits, rng }));
  const model = new ElmanRNN({ ...ex.model, seed });
  try {
    const history = await train(model, data, { optimizer: rmsprop(ex.optimizer), epochs, loss: ex.loss, batchSize: ex.batchSize, trackWeights: false });
    const u = unrollElman(model.weights, x, targets);
    const [a, b, sum, said] = [x.map((r) => r[0]!), x.map((r) => r[1]!), targets.map((r) => r[0]!), u.outputs.map((r) => r[0]!)].map(bitsValue);
    out(`trained ${history.loss.length} epochs, loss ${history.loss.at(-1)!.toPrecision(4)}; held-out ${a} + ${b} = ${sum}, the network says ${said}`);
    const file = await writeSvg(values.out, 'unrolled-elman.svg', elmanUnrolledSpec(u, { inputNames: ['a', 'b'], title: `The Elman network on ${a} + ${b} = ${sum} (bits least significant first): states forward, dL/dh_k backward` }));
    out(`Wrote ${file}`);
    return 0;
  } finally {
    model.dispose();
  }
}
