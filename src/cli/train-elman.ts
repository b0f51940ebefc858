import { access, constants, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { accuracy, ACTIVATIONS, type BackendName, BACKENDS, type CellKind, CELLS, ELMAN_LOSSES, type ElmanLossName, ElmanRNN, type History, init, type LayerOptions, type Optimizer, OPTIMIZERS, RandomState, RNN, type RNNOptions, type Sequences, type TaskName, TASKS, train, type Trainable, type TrainOptions } from '../index.js';
import { lossCurveSpec } from '../plots/index.js';
import { checkOutput, writeSvg } from './figures.js';
import { progress } from './progress.js';
import { epochLine, f84, type FlagMap, int, MAX_EPOCHS, num, oneOf, UsageError, withFlags } from './args.js';
import type { Values } from './flags.js';

/** The training options' flags, for errors the loop raises about them. */
const TRAIN_FLAGS = (v: Values): FlagMap => ({
  epochs: ['--epochs', v.epochs], batchSize: ['--batch-size', v['batch-size']], shuffle: ['--shuffle', v.shuffle],
  validationSplit: ['--validation-split', v['validation-split']], patience: ['--patience', v.patience],
  clipNorm: ['--clip-norm', v['clip-norm']], clipValue: ['--clip-value', v['clip-value']], truncate: ['--truncate', v.truncate], loss: ['--loss', v.loss],
});

const DEFAULT_LENGTH: Record<TaskName, number> = { countOnes: 10, binaryAddition: 8, sineWave: 20, parity: 10, forecast: 24 };

/** The recurrent --model names: 'elman' (ElmanRNN, the simple cell), then every other registered cell as a one-layer RNN. */
export const RECURRENT_MODELS = ['elman', ...CELLS.filter((c) => c !== 'simple')] as const;

export const elmanHelp = `elman train --model ${RECURRENT_MODELS.join('|')} --task NAME [flags]   train a recurrent network on a shipped task

  --model ${RECURRENT_MODELS.join('|').padEnd(15)} the cell: Elman's simple network (ElmanRNN), or one layer of another cell (RNN)
  --layers CELL:UNITS,... a stack instead, bottom-up, cells ${CELLS.join('|')}: e.g. --layers lstm:16,gru:8
  --task NAME             ${Object.keys(TASKS).join(' | ')} (count = countOnes)
  --hidden 8              hidden units          --activation ${ACTIVATIONS.join('|')}  [tanh]
  --save FILE             after training, write the model's JSON (elman predict --model FILE reads it)
  --plot DIR              after training, write DIR/loss-curve.svg: training and validation loss (needs vega, vega-lite)
  --samples 2000 --length L --seed 1            data (length: bits for binaryAddition; task default)
  --loss NAME             ${ELMAN_LOSSES.join(' | ')}   [the task's: bce for bits, mse otherwise]
  --optimizer NAME --lr X ...                   as for the counter   [rmsprop, lr 0.01]
  --epochs 20 --log-every 1
  --batch-size 100 --shuffle SEED --validation-split F --patience P --clip-norm X --clip-value V --truncate W
  --test-samples 1000     held-out samples (drawn after the training data) for the accuracy`;

/** The network and training flags of `elman train --model elman|gru|lstm`, validated: shared by the shipped tasks and `--data`. */
export interface NetConfig {
  layers: Array<Pick<LayerOptions, 'cell' | 'units'>> | undefined;
  hidden: number;
  activation: (typeof ACTIVATIONS)[number];
  optimizer: Optimizer;
  optimizerName: string;
  epochs: number;
  logEvery: number;
  backend: BackendName | undefined;
  batchSize: number;
  seed: number;
  train: Pick<TrainOptions<unknown, ElmanLossName>, 'shuffle' | 'validationSplit' | 'patience' | 'clipNorm' | 'clipValue' | 'truncate'>;
}

/** Validate the network's and the loop's flags (every one before any work). */
export function netFlags(v: Values, optimizerFrom: (v: Values, name: string, fallbackLr?: number) => Optimizer): NetConfig {
  if (v.init !== undefined) throw new UsageError('--init', v.init, 'used with the counter (--model linear)');
  if (v.scalar) throw new UsageError('--scalar', true, 'used with the counter (--model linear)');
  const seed = int('seed', v.seed ?? '1', 0, 2 ** 32 - 1)!;
  const hidden = int('hidden', v.hidden ?? '8', 1, 4096)!;
  if (v.layers !== undefined && v.model !== undefined) throw new UsageError('--model', v.model, 'left out with --layers (the layers name their cells)');
  if (v.layers !== undefined && v.hidden !== undefined) throw new UsageError('--hidden', v.hidden, 'left out with --layers (the layers give their units)');
  const layers = v.layers === undefined ? (v.model !== undefined && v.model !== 'elman' ? [{ cell: v.model as CellKind, units: hidden }] : undefined) : parseLayers(v.layers);
  const activation = oneOf('activation', v.activation ?? 'tanh', ACTIVATIONS)!;
  const optimizerName = oneOf('optimizer', v.optimizer ?? 'rmsprop', Object.keys(OPTIMIZERS))!;
  const epochs = int('epochs', v.epochs ?? '20', 1, MAX_EPOCHS)!;
  const logEvery = int('log-every', v['log-every'] ?? '1', 1)!;
  const backend = oneOf('backend', v.backend, BACKENDS);
  const batchSize = int('batch-size', v['batch-size'] ?? '100', 1)!;
  const shuffle = int('shuffle', v.shuffle, 0, 2 ** 32 - 1);
  const validationSplit = num('validation-split', v['validation-split']);
  const patience = int('patience', v.patience, 1);
  const clipNorm = num('clip-norm', v['clip-norm']);
  const clipValue = num('clip-value', v['clip-value']);
  const truncate = int('truncate', v.truncate, 1);
  const optimizer = optimizerFrom(v, optimizerName, optimizerName === 'rmsprop' ? 0.01 : undefined);
  const train = {
    ...(shuffle !== undefined && { shuffle }),
    ...(validationSplit !== undefined && { validationSplit }),
    ...(patience !== undefined && { patience }),
    ...(clipNorm !== undefined && { clipNorm }),
    ...(clipValue !== undefined && { clipValue }),
    ...(truncate !== undefined && { truncate }),
  };
  return { layers, hidden, activation, optimizer, optimizerName, epochs, logEvery, backend, batchSize, seed, train };
}

/** The network the flags describe for data of this shape, and its one-line title (`RNN 1-lstm:8-1`). */
export async function buildNet(v: Values, c: NetConfig, shape: Pick<RNNOptions, 'inputSize' | 'outputSize' | 'outputActivation' | 'returnSequences'>): Promise<{ model: ElmanRNN | RNN; title: string }> {
  const options = { ...shape, seed: c.seed, backend: c.backend };
  const model = await withFlags({ hiddenSize: ['--hidden', v.hidden], units: ['--layers', v.layers] }, () =>
    c.layers ? new RNN({ ...options, layers: c.layers.map((l) => ({ ...l, activation: c.activation })) }) : new ElmanRNN({ ...options, hiddenSize: c.hidden, activation: c.activation }));
  const title = c.layers ? `RNN ${shape.inputSize}-${c.layers.map((l) => `${l.cell}:${l.units}`).join('-')}-${shape.outputSize}` : `Elman ${shape.inputSize}-${c.hidden}-${shape.outputSize}`;
  return { model, title };
}

/**
 * Train the network with the flags' options, printing the log (or JSON lines); `header` is printed
 * with the first epoch's line, so that options the loop refuses are reported before any output.
 * With `--plot DIR` (checked before any work by the caller), the loss curve is drawn afterwards.
 */
export async function fitNet(v: Values, c: NetConfig, model: ElmanRNN | RNN, data: Sequences, loss: ElmanLossName, header: string, out: (line: string) => void): Promise<History<unknown>> {
  let pending = !v.json;
  const bar = progress(c.epochs);
  try {
    // Either model: the loop reads only what Trainable declares, and no weights are tracked.
    return await withFlags(TRAIN_FLAGS(v), () => train(model as Trainable<unknown, ElmanLossName>, data, {
      optimizer: c.optimizer,
      epochs: c.epochs,
      loss,
      // The loop calls back at 0-based multiples of logEvery; the log wants 1-based ones, so it is called every epoch and filters.
      logEvery: 1,
      batchSize: c.batchSize,
      ...c.train,
      trackWeights: false,
      // Counted from 1 like the counter's log: epoch[ 1] is the first pass over the data.
      onEpoch: ({ epoch, loss: cost, valLoss }) => {
        if (pending) out(header);
        pending = false;
        bar?.tick(epoch + 1, cost);
        const n = epoch + 1;
        if (n % c.logEvery !== 0) return;
        bar?.clear();
        if (v.json) out(JSON.stringify({ epoch: n, loss: cost, ...(valLoss !== undefined && { valLoss }) }));
        else out(`${epochLine(n, 'loss', cost)}${valLoss === undefined ? '' : `, validation =${f84(valLoss)}`}`);
      },
    }));
  } finally {
    bar?.clear();
  }
}

/** Draw a run's loss curve, training and (when there was one) validation, into DIR/loss-curve.svg; prints where. */
export async function plotHistory(v: Values, history: History<unknown>, name: string, loss: string, out: (line: string) => void): Promise<void> {
  if (v.plot === undefined) return;
  const series = [{ name: `${name} training`, loss: history.loss }, ...(history.valLoss ? [{ name: `${name} validation`, loss: history.valLoss }] : [])];
  const file = await writeSvg(v.plot, 'loss-curve.svg', lossCurveSpec(series, { title: `Loss per epoch (${loss})` }), '--plot');
  if (!v.json) out(`Loss curve: ${file}`);
}

/** Run `elman train --model elman`; resolves to the exit code. */
export async function runTrainElman(v: Values, out: (line: string) => void, optimizerFrom: (v: Values, name: string, fallbackLr?: number) => Optimizer): Promise<number> {
  const taskName = (v.task === 'count' ? 'countOnes' : oneOf('task', v.task ?? 'binaryAddition', Object.keys(TASKS))) as TaskName;
  const task = TASKS[taskName];
  const c = netFlags(v, optimizerFrom);
  const samples = int('samples', v.samples ?? '2000', 1)!;
  const length = int('length', v.length ?? String(DEFAULT_LENGTH[taskName]), taskName === 'binaryAddition' ? 2 : 1)!;
  const loss = oneOf('loss', v.loss ?? task.loss, ELMAN_LOSSES) as ElmanLossName;
  const testSamples = int('test-samples', v['test-samples'] ?? '1000', 1)!;
  if (v.save !== undefined) await checkSave(v.save);
  if (v.plot !== undefined) await checkOutput(v.plot, '--plot');
  if (c.backend === 'wasm') await init();

  const rng = new RandomState(c.seed);
  const sizes = { length: ['--length', v.length], bits: ['--length', v.length] } as const;
  const data = await withFlags({ ...sizes, samples: ['--samples', v.samples] }, () => task.make(samples, length, rng));
  const heldOut = await withFlags({ ...sizes, samples: ['--test-samples', v['test-samples']] }, () => task.make(testSamples, length, rng));
  const { inputSize, outputSize, outputActivation, returnSequences } = task;
  const { model, title } = await buildNet(v, c, { inputSize, outputSize, outputActivation, returnSequences });
  const header = `${title} (${c.activation}, ${task.outputActivation} output) on ${taskName}: ${samples} × ${length} steps, ${loss}, ${c.optimizerName}, batch ${c.batchSize}`;
  try {
    const history = await fitNet(v, c, model, data, loss, header, out);
    const y = model.predict(heldOut);
    const acc = task.scoring === 'none' ? undefined : accuracy(y, heldOut, task.scoring);
    const testLoss = model.lossAt(model.params, heldOut, loss);
    if (v.json) out(JSON.stringify({ final: true, epochs: history.loss.length, loss: history.loss.at(-1), testLoss, ...(acc && { accuracy: acc }) }));
    else {
      out(`held-out loss (${testSamples} samples) =${f84(testLoss)}`);
      if (acc) out(`accuracy: ${(100 * acc.perValue).toFixed(2)}% of outputs, ${(100 * acc.perSequence).toFixed(2)}% of sequences entirely right`);
    }
    if (v.save !== undefined) {
      await writeFile(v.save, JSON.stringify(model.toJSON())).catch((e: Error) => {
        throw new UsageError('--save', v.save, `a file elman can write (${e.message})`);
      });
      if (!v.json) out(`model saved: ${v.save}`);
    }
    await plotHistory(v, history, c.optimizerName, loss, out);
  } finally {
    model.dispose();
  }
  return 0;
}

/** `--layers lstm:16,gru:8`: the recurrent layers bottom-up, each CELL:UNITS. */
function parseLayers(text: string): Array<Pick<LayerOptions, 'cell' | 'units'>> {
  const parts = text.split(',');
  if (parts.length > 64) throw new UsageError('--layers', text, 'at most 64 layers');
  return parts.map((part) => {
    const m = /^(\w+):(\d+)$/.exec(part.trim());
    if (!m || !(CELLS as readonly string[]).includes(m[1]!) || Number(m[2]) < 1 || Number(m[2]) > 4096) {
      throw new UsageError('--layers', text, `CELL:UNITS pairs separated by commas, CELL one of ${CELLS.join(', ')}, UNITS in [1, 4096] (e.g. lstm:16,gru:8)`);
    }
    return { cell: m[1] as CellKind, units: Number(m[2]) };
  });
}

/** Before any work: --save names a file (not a folder) in a folder elman can write. */
export async function checkSave(file: string): Promise<void> {
  if (file === '' || (await stat(file).catch(() => undefined))?.isDirectory()) throw new UsageError('--save', file, 'a file path (not a folder)');
  await access(dirname(file), constants.W_OK).catch((e: NodeJS.ErrnoException) => {
    throw new UsageError('--save', file, `a file in a folder elman can write (${e.code ?? e.message})`);
  });
}
