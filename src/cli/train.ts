import { init } from '../backends/wasm/core.js';
import { countOnes } from '../data/count-ones.js';
import { LOSSES, type LossName } from '../losses.js';
import { LinearRNN } from '../models/linear.js';
import { createOptimizer, OPTIMIZERS } from '../optimizers/index.js';
import { elmanHelp, runTrainElman } from './train-elman.js';
import { elmanFlags, type Values } from './flags.js';

export { trainFlags, type Values } from './flags.js';
import { RandomState } from '../random.js';
import { BACKENDS } from '../backends/backend.js';
import { train } from '../training/train.js';
import { asFlag, epochLine, f84, int, MAX_EPOCHS, num, oneOf, pair, UsageError, withFlag } from './args.js';
import type { Sequences } from '../data/sequences.js';
import type { Optimizer, OptimizerName } from '../optimizers/optimizer.js';
import type { BackendName } from '../backends/backend.js';
import { lossCurveSpec } from '../plots/loss-curve.js';
import { checkOutput, runName, writeSvg } from './figures.js';

/** Each optimizer's default on the counter, for the tutorial's data and sse loss: measured to end within 0.01 of (1, 1) in 2000 epochs. */
export const COUNTER_DEFAULTS: Readonly<Record<OptimizerName, number>> = { sgd: 5e-5, momentum: 2e-5, rmsprop: 1e-3, adam: 1e-2, rprop: 1e-3 };

/** The counter's defaults: the tutorial's run. */
const COUNTER = { task: 'count', samples: '20', length: '10', seed: '1', loss: 'sse', optimizer: 'rmsprop', epochs: '2000', 'log-every': '100' } as const;

export const trainHelp = `elman train [flags]   train the counter and print the tutorial's log (a bare \`elman train\` is the tutorial's RMSProp run)

  --task count            the task (count: count the ones in binary sequences)
  --samples 20 --length 10 --seed 1
                          data: numpy-compatible stream; weights are drawn after the data
  --loss sse|mse          sum (tutorial) or mean of squared errors      [sse]
  --optimizer NAME        ${Object.keys(OPTIMIZERS).join(' | ')}      [rmsprop]
  --lr X                  learning rate; for rprop, its initial step. Defaults, each converging on the tutorial (sse):
                          ${Object.entries(COUNTER_DEFAULTS).map(([n, lr]) => `${n} ${lr}`).join(', ')}
  --momentum X --nesterov momentum (momentum, rmsprop)
  --rho X --eps X         rmsprop decay and epsilon (eps also for adam)
  --beta1 X --beta2 X     adam
  --initial-step X --eta-plus X --eta-minus X --step-min X --step-max X   rprop
  --epochs 2000 --log-every 100
                          lines count epochs from 1, as the tutorial does: epoch[ 100] is the loss of the 100th update
  --init wx,wrec          initial weights instead of the drawn ones
  --backend wasm|js       WebAssembly core or plain TypeScript  [wasm]
  --scalar                WebAssembly without SIMD, for comparison
  --json                  one JSON object per logged epoch instead of the log (same numbering)
  --plot DIR              after training, write DIR/loss-curve.svg (needs vega, vega-lite)

${elmanHelp}`;

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
  const v: Values = { ...COUNTER, ...defined(given) };
  oneOf('task', v.task, ['count']);
  const samples = int('samples', v.samples, 1)!;
  const length = int('length', v.length, 1)!;
  const seed = int('seed', v.seed, 0, 2 ** 32 - 1)!;
  const loss = oneOf('loss', v.loss, LOSSES) as LossName;
  const name = oneOf('optimizer', v.optimizer, Object.keys(OPTIMIZERS) as OptimizerName[])!;
  const epochs = int('epochs', v.epochs, 1, MAX_EPOCHS)!;
  const logEvery = int('log-every', v['log-every'], 1)!;
  const backend = oneOf('backend', v.backend, BACKENDS);
  const start = pair('init', v.init);
  const optimizer = optimizerFrom(v, name, COUNTER_DEFAULTS[name]);
  if (backend === 'wasm') await init();

  const rng = new RandomState(seed);
  const data = withFlag('--samples', v.samples, () => countOnes({ samples, length, rng }));
  const wx = rng.uniform(-0.1, 0.1);
  const wRec = rng.uniform(-0.1, 0.1);
  const model = withFlag(start ? '--init' : '--backend', start ? v.init : v.backend, () => new LinearRNN({ wx: start?.[0] ?? wx, wRec: start?.[1] ?? wRec, backend, simd: !v.scalar }));
  return { data, model, optimizer, epochs, loss, logEvery, backend: backend! };
}

/** Run `elman train`; resolves to the exit code. */
export async function runTrain(v: Values, out: (line: string) => void): Promise<number> {
  const which = oneOf('model', v.model, ['linear', 'elman']) ?? (v.task === undefined || v.task === 'count' ? 'linear' : 'elman');
  if (which === 'elman') return runTrainElman(v, out, optimizerFrom);
  const prepared = await prepareTrain(v);
  const { data, model, optimizer, epochs, loss, logEvery } = prepared;
  try {
    if (v.plot !== undefined) await checkOutput(v.plot, '--plot');
    const w0 = model.weights;
    if (!v.json) out(`Initial weights: wx = ${f84(w0.wx)}, wRec = ${f84(w0.wRec)}`);
    const history = await train(model, data, {
      optimizer,
      epochs,
      loss,
      // The loop calls back at 0-based multiples of logEvery; the log wants 1-based ones, so it is called every epoch and filters.
      logEvery: 1,
      // The API's epoch is 0-based (history.loss[epoch]); the log counts updates from 1, as the tutorial does.
      onEpoch: ({ epoch, loss: cost, weights }) => {
        const n = epoch + 1;
        if (n % logEvery !== 0) return;
        if (v.json) out(JSON.stringify({ epoch: n, loss: cost, wx: weights.wx, wRec: weights.wRec }));
        else out(epochLine(n, 'cost', cost));
      },
    });
    const w = model.weights;
    if (v.json) out(JSON.stringify({ final: true, epochs: history.loss.length, loss: history.loss.at(-1), wx: w.wx, wRec: w.wRec }));
    else out(`Final weights : wx = ${f84(w.wx)}, wRec = ${f84(w.wRec)}`);
    if (v.plot !== undefined) {
      const file = await writeSvg(v.plot, 'loss-curve.svg', lossCurveSpec([{ name: runName(optimizer.name, v.lr), loss: history.loss }]), '--plot');
      if (!v.json) out(`Loss curve: ${file}`);
    }
  } finally {
    model.dispose();
  }
  return 0;
}

// Each optimizer option's flag: `--initial-step`, not `initialStep`.
const FLAG_FOR: Readonly<Record<string, keyof Values>> = {
  lr: 'lr', momentum: 'momentum', rho: 'rho', eps: 'eps', beta1: 'beta1', beta2: 'beta2',
  initialStep: 'initial-step', etaPlus: 'eta-plus', etaMinus: 'eta-minus', stepMin: 'step-min', stepMax: 'step-max',
};

/**
 * The optimizer named by --optimizer with its hyper-parameter flags; errors name the flag. `--lr`
 * is Rprop's initial step; `fallbackLr` is used when neither is given.
 */
export function optimizerFrom(v: Values, name: string, fallbackLr?: number): Optimizer {
  const hyper: Record<string, number | boolean> = {};
  const flagFor: Record<string, keyof Values> = { ...FLAG_FOR };
  if (name === 'rprop') {
    if (v.lr !== undefined && v['initial-step'] !== undefined) throw new UsageError('--lr', v.lr, 'left out with --initial-step (for rprop, --lr is the initial step)');
    if (v.lr !== undefined) flagFor.initialStep = 'lr';
    delete flagFor.lr;
  }
  for (const [key, flag] of Object.entries(flagFor)) {
    const value = num(flag, v[flag] as string | undefined);
    if (value !== undefined) hyper[key] = value;
  }
  const lrKey = name === 'rprop' ? 'initialStep' : 'lr';
  if (hyper[lrKey] === undefined && fallbackLr !== undefined) hyper[lrKey] = fallbackLr;
  if (v.nesterov) hyper.nesterov = true;
  try {
    return createOptimizer(name, hyper);
  } catch (error) {
    const e = error as UsageError;
    const key = e.argument?.split('.').pop() ?? '';
    throw asFlag(flagFor[key] ? `--${flagFor[key]}` : `--optimizer ${name}`, e.value, error);
  }
}

function defined(v: Values): Values {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Values;
}
