import { init } from '../backends/wasm/core.js';
import { countOnes } from '../data/count-ones.js';
import { LOSSES, type LossName } from '../losses.js';
import { LinearRNN } from '../models/linear.js';
import { createOptimizer, OPTIMIZERS } from '../optimizers/index.js';
import { elmanFlags, elmanHelp, runTrainElman } from './train-elman.js';
import { RandomState } from '../random.js';
import { BACKENDS } from '../backends/backend.js';
import { train } from '../training/train.js';
import { f84, int, num, oneOf, pair, UsageError } from './args.js';
import type { Sequences } from '../data/sequences.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { BackendName } from '../backends/backend.js';
import { lossCurveSpec } from '../plots/loss-curve.js';
import { runName, writeSvg } from './figures.js';

/** Flags of `elman train`, as node:util parseArgs declares them. */
export const trainFlags = {
  task: { type: 'string' },
  samples: { type: 'string' },
  length: { type: 'string' },
  seed: { type: 'string', default: '1' },
  loss: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  momentum: { type: 'string' },
  nesterov: { type: 'boolean' },
  rho: { type: 'string' },
  eps: { type: 'string' },
  beta1: { type: 'string' },
  beta2: { type: 'string' },
  'initial-step': { type: 'string' },
  'eta-plus': { type: 'string' },
  'eta-minus': { type: 'string' },
  'step-min': { type: 'string' },
  'step-max': { type: 'string' },
  epochs: { type: 'string' },
  'log-every': { type: 'string' },
  init: { type: 'string' },
  backend: { type: 'string', default: 'wasm' },
  scalar: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  plot: { type: 'string' },
  ...elmanFlags,
} as const;

export const trainHelp = `elman train [flags]   train the counter and print the tutorial's log

  --task count            the task (count: count the ones in binary sequences)
  --samples 20 --length 10 --seed 1
                          data: numpy-compatible stream; weights are drawn after the data
  --loss sse|mse          sum (tutorial) or mean of squared errors      [sse]
  --optimizer NAME        ${Object.keys(OPTIMIZERS).join(' | ')}      [sgd]
  --lr X                  learning rate (sgd, momentum, rmsprop, adam)
  --momentum X --nesterov momentum (momentum, rmsprop)
  --rho X --eps X         rmsprop decay and epsilon (eps also for adam)
  --beta1 X --beta2 X     adam
  --initial-step X --eta-plus X --eta-minus X --step-min X --step-max X   rprop
  --epochs 2001 --log-every 100
  --init wx,wrec          initial weights instead of the drawn ones
  --backend wasm|js       WebAssembly core or plain TypeScript  [wasm]
  --scalar                WebAssembly without SIMD, for comparison
  --json                  one JSON object per logged epoch instead of the log
  --plot DIR              after training, write DIR/loss-curve.svg (needs vega, vega-lite)

${elmanHelp}`;

/** Parsed `elman train` flags (strings as typed, booleans). */
export type Values = { [K in keyof typeof trainFlags]?: (typeof trainFlags)[K]['type'] extends 'boolean' ? boolean : string };

/** What the training flags describe, validated: data, a model at its initial weights, an optimizer and the loop's settings. */
export interface Prepared {
  data: Sequences;
  model: LinearRNN;
  optimizer: Optimizer;
  epochs: number;
  loss: LossName;
  logEvery: number;
  backend: BackendName;
}

/** Validate the counter's training flags and build what they describe (loads the core for the wasm backend); shared with `elman plot`. */
export async function prepareTrain(given: Values): Promise<Prepared> {
  for (const flag of Object.keys(elmanFlags)) {
    if (flag !== 'model' && given[flag as keyof Values] !== undefined) throw new UsageError(`--${flag}`, given[flag as keyof Values], 'used with --model elman');
  }
  // The counter's defaults: the tutorial's run.
  const v: Values = { task: 'count', samples: '20', length: '10', loss: 'sse', optimizer: 'sgd', epochs: '2001', 'log-every': '100', ...defined(given) };
  oneOf('task', v.task, ['count']);
  const samples = int('samples', v.samples, 1)!;
  const length = int('length', v.length, 1)!;
  const seed = int('seed', v.seed, 0)!;
  const loss = oneOf('loss', v.loss, LOSSES) as LossName;
  const name = oneOf('optimizer', v.optimizer, Object.keys(OPTIMIZERS));
  const epochs = int('epochs', v.epochs, 1)!;
  const logEvery = int('log-every', v['log-every'], 1)!;
  const backend = oneOf('backend', v.backend, BACKENDS);
  const start = pair('init', v.init);
  const optimizer = optimizerFrom(v, name!);
  if (backend === 'wasm') await init();

  const rng = new RandomState(seed);
  const data = countOnes({ samples, length, rng });
  const wx = rng.uniform(-0.1, 0.1);
  const wRec = rng.uniform(-0.1, 0.1);
  const model = new LinearRNN({ wx: start?.[0] ?? wx, wRec: start?.[1] ?? wRec, backend, simd: !v.scalar });
  return { data, model, optimizer, epochs, loss, logEvery, backend: backend! };
}

/** Run `elman train`; resolves to the exit code. */
export async function runTrain(v: Values, out: (line: string) => void): Promise<number> {
  const which = oneOf('model', v.model, ['linear', 'elman']) ?? (v.task === undefined || v.task === 'count' ? 'linear' : 'elman');
  if (which === 'elman') return runTrainElman(v, out, optimizerFrom);
  const { data, model, optimizer, epochs, loss, logEvery } = await prepareTrain(v);
  const w0 = model.weights;
  if (!v.json) out(`Initial weights: wx = ${f84(w0.wx)}, wRec = ${f84(w0.wRec)}`);
  const history = await train(model, data, {
    optimizer,
    epochs,
    loss,
    logEvery,
    onEpoch: ({ epoch, loss: cost, weights }) => {
      if (epoch % logEvery !== 0) return;
      if (v.json) out(JSON.stringify({ epoch, loss: cost, wx: weights.wx, wRec: weights.wRec }));
      else out(`epoch[${String(epoch).padStart(5)}] : cost =${f84(cost)}`);
    },
  });
  const w = model.weights;
  if (v.json) out(JSON.stringify({ final: true, epochs: history.loss.length, loss: history.loss.at(-1), wx: w.wx, wRec: w.wRec }));
  else out(`Final weights : wx = ${f84(w.wx)}, wRec = ${f84(w.wRec)}`);
  model.dispose();
  if (v.plot !== undefined) {
    const file = await writeSvg(v.plot, 'loss-curve.svg', lossCurveSpec([{ name: runName(optimizer.name, v.lr), loss: history.loss }]));
    if (!v.json) out(`Loss curve: ${file}`);
  }
  return 0;
}

/** The optimizer named by --optimizer with its hyper-parameter flags; errors name the flag. */
export function optimizerFrom(v: Values, name: string): Optimizer {
  const hyper: Record<string, number | boolean> = {};
  const flagFor: Record<string, keyof Values> = {
    lr: 'lr', momentum: 'momentum', rho: 'rho', eps: 'eps', beta1: 'beta1', beta2: 'beta2',
    initialStep: 'initial-step', etaPlus: 'eta-plus', etaMinus: 'eta-minus', stepMin: 'step-min', stepMax: 'step-max',
  };
  for (const [key, flag] of Object.entries(flagFor)) {
    const value = num(flag, v[flag] as string | undefined);
    if (value !== undefined) hyper[key] = value;
  }
  if (v.nesterov) hyper.nesterov = true;
  try {
    return createOptimizer(name, hyper);
  } catch (error) {
    // Name the flag, not the option key: `--initial-step` rather than `initialStep`.
    const e = error as UsageError;
    const key = e.argument?.split('.').pop() ?? '';
    throw new UsageError(flagFor[key] ? `--${flagFor[key]}` : `--optimizer ${name}`, e.value, e.message.replace(/^.* must be (.*), got .*$/, '$1'));
  }
}

function defined(v: Values): Values {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Values;
}
