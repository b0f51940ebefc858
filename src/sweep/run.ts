// One run of a sweep, the same wherever it runs (a worker thread, a BullMQ worker, this thread):
// build the model from its options, open the data, train with the config's options, and return
// plain JSON — history, final metrics, the model. The same config gives the same bits everywhere.

import { ElmanError } from '../errors.js';
import { ElmanRNN, type ElmanRNNOptions } from '../models/elman.js';
import { RNN, type RNNOptions } from '../models/rnn.js';
import { createOptimizer } from '../optimizers/index.js';
import { train, type TrainOptions } from '../training/train.js';
import { openData, type KeyReader } from './data.js';
import type { RunConfig, RunSpec } from './spec.js';

/** A run's progress: after each logged epoch. */
export interface EpochEvent {
  id: string;
  epoch: number;
  epochs: number;
  loss: number;
  valLoss?: number;
}

/** What a run left: config, history, final metrics and the model (`toJSON`), or its error. */
export interface RunResult {
  id: string;
  index: number;
  params: Record<string, unknown>;
  config: RunConfig;
  status: 'done' | 'failed';
  /** Loss per recorded epoch (before its update), validation loss per epoch with `validateEpochs`, epochs run, wall time in ms. */
  history?: { loss: number[]; valLoss?: number[]; every: number; epochs: number; ms: number };
  /** The last epoch's training loss, and the held-out loss of the final model (with `data.validation`). */
  metrics?: { loss: number; valLoss?: number };
  /** `model.toJSON()`: `RNN.fromJSON` (or `ElmanRNN.fromJSON` for kind 'elman') restores it exactly. */
  model?: unknown;
  /** Why a failed run failed: the error's name and message (an ElmanError's argument too). */
  error?: { name: string; message: string; argument?: string };
  /** Tries it took (the Redis path retries a throwing run up to the sweep's `attempts`). */
  attempts: number;
}

type AnyModel = RNN | ElmanRNN;

function buildModel(config: RunConfig): AnyModel {
  const { kind = 'rnn', ...options } = config.model;
  return kind === 'elman' ? new ElmanRNN(options as unknown as ElmanRNNOptions) : new RNN(options as unknown as RNNOptions);
}

/** Train one run; a run that throws is returned as failed (its error kept), never thrown. */
export async function runOne(run: RunSpec, onEpoch?: (e: EpochEvent) => void, readKey?: KeyReader): Promise<RunResult> {
  const { id, index, params, config } = run;
  const started = performance.now();
  let model: AnyModel | undefined;
  try {
    const { train: t } = config;
    const { optimizer: o, epochs, validateEpochs, ...rest } = t;
    const { name, ...hyper } = typeof o === 'string' ? { name: o } : o;
    const optimizer = createOptimizer(name, hyper as Record<string, number | boolean>);
    const data = await openData(config.data, readKey);
    model = buildModel(config);
    const options = { ...rest, optimizer, epochs } as TrainOptions<unknown, string>;
    if (validateEpochs && data.validation) options.validationData = data.validation;
    if (onEpoch) options.onEpoch = (e) => onEpoch({ id, epoch: e.epoch, epochs, loss: e.loss, ...(e.valLoss !== undefined && { valLoss: e.valLoss }) });
    const history = await train(model as AnyModel & { losses: readonly string[] }, data.train, options);
    const ms = performance.now() - started;
    const loss = history.loss.at(-1)!;
    const valLoss = data.validation ? (model as RNN).lossAt(model.params, data.validation, (t.loss ?? model.defaultLoss) as never) : undefined;
    return {
      id,
      index,
      params,
      config,
      status: 'done',
      history: { loss: history.loss, ...(history.valLoss && { valLoss: history.valLoss }), every: history.every, epochs: history.loss.length * history.every, ms },
      metrics: { loss, ...(valLoss !== undefined && { valLoss }) },
      model: model.toJSON(),
      attempts: 1,
    };
  } catch (error) {
    return { id, index, params, config, status: 'failed', error: errorOf(error), attempts: 1 };
  } finally {
    model?.dispose();
  }
}

/** An error as JSON: name, message and, for elman's own errors, the argument at fault. */
export function errorOf(error: unknown): { name: string; message: string; argument?: string } {
  if (error instanceof ElmanError) return { name: error.name, message: error.message, argument: error.argument };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
