import { BACKENDS } from '../backends/backend.js';
import { init } from '../backends/wasm/embedded.js';
import { accuracy, TASKS, type TaskName } from '../data/tasks.js';
import { ACTIVATIONS, ElmanRNN } from '../models/elman.js';
import { ELMAN_LOSSES, type ElmanLossName } from '../models/elman-losses.js';
import { OPTIMIZERS } from '../optimizers/index.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { RandomState } from '../random.js';
import { train } from '../training/train.js';
import { epochLine, f84, type FlagMap, int, MAX_EPOCHS, num, oneOf, UsageError, withFlags } from './args.js';
import type { Values } from './flags.js';

/** The training options' flags, for errors the loop raises about them. */
const TRAIN_FLAGS = (v: Values): FlagMap => ({
  epochs: ['--epochs', v.epochs], batchSize: ['--batch-size', v['batch-size']], shuffle: ['--shuffle', v.shuffle],
  validationSplit: ['--validation-split', v['validation-split']], patience: ['--patience', v.patience],
  clipNorm: ['--clip-norm', v['clip-norm']], truncate: ['--truncate', v.truncate], loss: ['--loss', v.loss],
});

const DEFAULT_LENGTH: Record<TaskName, number> = { countOnes: 10, binaryAddition: 8, sineWave: 20, parity: 10, forecast: 24 };

export const elmanHelp = `elman train --model elman --task NAME [flags]   train an Elman network on a shipped task

  --task NAME             ${Object.keys(TASKS).join(' | ')} (count = countOnes)
  --hidden 8              hidden units          --activation ${ACTIVATIONS.join('|')}  [tanh]
  --samples 2000 --length L --seed 1            data (length: bits for binaryAddition; task default)
  --loss NAME             ${ELMAN_LOSSES.join(' | ')}   [the task's: bce for bits, mse otherwise]
  --optimizer NAME --lr X ...                   as for the counter   [rmsprop, lr 0.01]
  --epochs 20 --log-every 1
  --batch-size 100 --shuffle SEED --validation-split F --patience P --clip-norm X --truncate W
  --test-samples 1000     held-out samples (drawn after the training data) for the accuracy`;

/** Run `elman train --model elman`; resolves to the exit code. */
export async function runTrainElman(v: Values, out: (line: string) => void, optimizerFrom: (v: Values, name: string, fallbackLr?: number) => Optimizer): Promise<number> {
  const taskName = (v.task === 'count' ? 'countOnes' : oneOf('task', v.task ?? 'binaryAddition', Object.keys(TASKS))) as TaskName;
  const task = TASKS[taskName];
  if (v.init !== undefined) throw new UsageError('--init', v.init, 'used with the counter (--model linear)');
  if (v.scalar) throw new UsageError('--scalar', true, 'used with the counter (--model linear)');
  const samples = int('samples', v.samples ?? '2000', 1)!;
  const length = int('length', v.length ?? String(DEFAULT_LENGTH[taskName]), taskName === 'binaryAddition' ? 2 : 1)!;
  const seed = int('seed', v.seed ?? '1', 0, 2 ** 32 - 1)!;
  const hidden = int('hidden', v.hidden ?? '8', 1)!;
  const activation = oneOf('activation', v.activation ?? 'tanh', ACTIVATIONS)!;
  const loss = oneOf('loss', v.loss ?? task.loss, ELMAN_LOSSES) as ElmanLossName;
  const name = oneOf('optimizer', v.optimizer ?? 'rmsprop', Object.keys(OPTIMIZERS))!;
  const epochs = int('epochs', v.epochs ?? '20', 1, MAX_EPOCHS)!;
  const logEvery = int('log-every', v['log-every'] ?? '1', 1)!;
  const backend = oneOf('backend', v.backend, BACKENDS);
  const batchSize = int('batch-size', v['batch-size'] ?? '100', 1)!;
  const shuffle = int('shuffle', v.shuffle, 0, 2 ** 32 - 1);
  const validationSplit = num('validation-split', v['validation-split']);
  const patience = int('patience', v.patience, 1);
  const clipNorm = num('clip-norm', v['clip-norm']);
  const truncate = int('truncate', v.truncate, 1);
  const testSamples = int('test-samples', v['test-samples'] ?? '1000', 1)!;
  const optimizer = optimizerFrom(v, name, name === 'rmsprop' ? 0.01 : undefined);
  if (backend === 'wasm') await init();

  const rng = new RandomState(seed);
  const sizes = { length: ['--length', v.length], bits: ['--length', v.length] } as const;
  const data = await withFlags({ ...sizes, samples: ['--samples', v.samples] }, () => task.make(samples, length, rng));
  const heldOut = await withFlags({ ...sizes, samples: ['--test-samples', v['test-samples']] }, () => task.make(testSamples, length, rng));
  const model = await withFlags({ hiddenSize: ['--hidden', v.hidden] }, () => new ElmanRNN({ inputSize: task.inputSize, hiddenSize: hidden, outputSize: task.outputSize, activation, outputActivation: task.outputActivation, returnSequences: task.returnSequences, seed, backend }));
  // Printed with the first epoch's line: options the loop refuses are reported before any output.
  let header = !v.json;
  const showHeader = () => {
    if (header) out(`Elman ${task.inputSize}-${hidden}-${task.outputSize} (${activation}, ${task.outputActivation} output) on ${taskName}: ${samples} × ${length} steps, ${loss}, ${name}, batch ${batchSize}`);
    header = false;
  };
  try {
    const history = await withFlags(TRAIN_FLAGS(v), () => train(model, data, {
      optimizer,
      epochs,
      loss,
      // The loop calls back at 0-based multiples of logEvery; the log wants 1-based ones, so it is called every epoch and filters.
      logEvery: 1,
      batchSize,
      ...(shuffle !== undefined && { shuffle }),
      ...(validationSplit !== undefined && { validationSplit }),
      ...(patience !== undefined && { patience }),
      ...(clipNorm !== undefined && { clipNorm }),
      ...(truncate !== undefined && { truncate }),
      trackWeights: false,
      // Counted from 1 like the counter's log: epoch[ 1] is the first pass over the data.
      onEpoch: ({ epoch, loss: cost, valLoss }) => {
        showHeader();
        const n = epoch + 1;
        if (n % logEvery !== 0) return;
        if (v.json) out(JSON.stringify({ epoch: n, loss: cost, ...(valLoss !== undefined && { valLoss }) }));
        else out(`${epochLine(n, 'loss', cost)}${valLoss === undefined ? '' : `, validation =${f84(valLoss)}`}`);
      },
    }));
    const y = model.predict(heldOut);
    const acc = task.scoring === 'none' ? undefined : accuracy(y, heldOut, task.scoring);
    const testLoss = model.lossAt(model.params, heldOut, loss);
    if (v.json) out(JSON.stringify({ final: true, epochs: history.loss.length, loss: history.loss.at(-1), testLoss, ...(acc && { accuracy: acc }) }));
    else {
      out(`held-out loss (${testSamples} samples) =${f84(testLoss)}`);
      if (acc) out(`accuracy: ${(100 * acc.perValue).toFixed(2)}% of outputs, ${(100 * acc.perSequence).toFixed(2)}% of sequences entirely right`);
    }
  } finally {
    model.dispose();
  }
  return 0;
}
