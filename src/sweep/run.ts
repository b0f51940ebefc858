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
  /** The run's id. */
  id: string;
  /** The epoch just run, from 0. */
  epoch: number;
  /** The run's epochs. */
  epochs: number;
  /** Its training loss. */
  loss: number;
  /** Its held-out loss (with `validateEpochs`). */
  valLoss?: number;
}

/** What a finished run's history holds. */
export interface RunHistory {
  /** Training loss per recorded epoch, before its update. */
  loss: number[];
  /** Held-out loss per recorded epoch (with `validateEpochs`). */
  valLoss?: number[];
  /** Epochs between entries (1 unless the run outgrew the history's limit). */
  every: number;
  /** Epochs run. */
  epochs: number;
  /** Wall time of the run, ms. */
  ms: number;
}

/** A run's final figures. */
export interface RunMetrics {
  /** The last epoch's training loss. */
  loss: number;
  /** The final model's loss on the held-out part (with `data.validation`). */
  valLoss?: number;
}

/** Why a run failed. */
export interface RunError {
  /** The error's name ('ConfigError', 'DivergenceError', ...). */
  name: string;
  /** Its message. */
  message: string;
  /** For elman's own errors, the argument at fault. */
  argument?: string;
}

/** What a run left: config, history, final metrics and the model (`toJSON`), or its error. */
export interface RunResult {
  /** The run's id (`RunSpec.id`). */
  id: string;
  /** Its place in the sweep. */
  index: number;
  /** The values varied for it (`series`: its index in `perSeries`). */
  params: Record<string, unknown>;
  /** The whole run. */
  config: RunConfig;
  /** 'done', or 'failed' (see `error`). */
  status: 'done' | 'failed';
  /** Losses per epoch, epochs run, wall time. */
  history?: RunHistory;
  /** The last epoch's training loss, and the held-out loss of the final model (with `data.validation`). */
  metrics?: RunMetrics;
  /** `model.toJSON()`: `RNN.fromJSON` (or `ElmanRNN.fromJSON` for kind 'elman') restores it exactly. */
  model?: unknown;
  /** Why a failed run failed: the error's name and message (an ElmanError's argument too). */
  error?: RunError;
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
export function errorOf(error: unknown): RunError {
  if (error instanceof ElmanError) return { name: error.name, message: error.message, argument: error.argument };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
