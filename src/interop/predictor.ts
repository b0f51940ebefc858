import type { BackendName } from '../backends/backend.js';
import { Scaler, type ScalerJSON } from '../data/scaler.js';
import { checkValues } from '../data/sequences.js';
import { ConfigError, ShapeError } from '../errors.js';
import { ElmanRNN, type ElmanJSON } from '../models/elman.js';
import { RNN, type RNNJSON } from '../models/rnn.js';
import { fromTfjs, type InteropModel } from './tfjs.js';
import { fromModelJson, parseJson, read, toUrl, type TfjsSource } from './tfjs-io.js';
import { isObject, type TfjsArtifacts } from './tfjs-format.js';

/**
 * Sequences as users hold them: `[sequence][step]` numbers (one input), or `[sequence][step][input]`.
 * @category Interop and serving
 */
export type NestedSequences = ReadonlyArray<ReadonlyArray<number | ReadonlyArray<number>>>;

/**
 * What a model can be served from: elman's JSON, TF.js artifacts, or a URL / path of either file.
 * @category Interop and serving
 */
export type ModelSource = ElmanJSON | RNNJSON | TfjsSource;

/** The elman model a saved JSON describes (ElmanRNN or RNN, by its format), or undefined for anything else. */
function fromElmanJson(json: unknown, options: { backend?: BackendName }): InteropModel | undefined {
  if (!isObject(json)) return undefined;
  if (json.format === 'elman.ElmanRNN') return ElmanRNN.fromJSON(json as unknown as ElmanJSON, options);
  if (json.format === 'elman.RNN') return RNN.fromJSON(json as unknown as RNNJSON, options);
  return undefined;
}

// Requests larger than this many input values are refused before anything is allocated.
const MAX_VALUES = 2 ** 26;

/**
 * A model ready to serve: sequences in, outputs out, in the data's own units. When the model was saved
 * with a Scaler (TF.js userDefinedMetadata.scaler), inputs are standardised with it and outputs mapped back
 * (output o belongs to series `targets[o mod targets.length]`, targets defaulting to every series).
 * @example
 * ```ts
 * import { init, ElmanRNN, Predictor, Scaler } from 'elman-rnn';
 *
 * await init();
 * const model = new ElmanRNN({ inputSize: 1, hiddenSize: 4, outputSize: 1, seed: 1 });
 * const predictor = Predictor.of(model, { scaler: new Scaler([100], [10]).toJSON() });
 * console.log(predictor.predict([[95, 100, 105], [110, 108]]));   // [[y], [y]], in the data's units
 * ```
 * @category Interop and serving
 */
export class Predictor {
  private constructor(
    /** The model that computes the outputs. */
    readonly model: InteropModel,
    /** The Scaler saved with the model, which standardises inputs and maps outputs back; undefined when there was none. */
    readonly scaler: Scaler | undefined,
    private readonly targets: readonly number[],
    /** The JSON saved with the model (TF.js userDefinedMetadata), if any. */
    readonly metadata: Record<string, unknown> | undefined,
  ) {}

  /** Load a model from elman JSON (ElmanRNN or RNN), TF.js artifacts, or a URL / path (a .json file of either kind). */
  static async load(source: ModelSource, options: { backend?: BackendName } = {}): Promise<Predictor> {
    const own = source instanceof URL ? undefined : fromElmanJson(source, options);
    if (own) return Predictor.of(own);
    if (isObject(source) && !(source instanceof URL) && !('modelTopology' in source)) throw new ConfigError('source', source, 'elman JSON, TF.js artifacts, or a URL or path of model.json');
    if (typeof source === 'string' || source instanceof URL) {
      // One read tells the two file kinds apart: elman's toJSON() output or TF.js's model.json.
      const url = toUrl(source);
      const text = new TextDecoder().decode(await read(url));
      const json = parseJson(text, url.href);
      const saved = fromElmanJson(json, options);
      if (saved) return Predictor.of(saved);
      const { model, metadata } = await fromModelJson(text, url, options);
      return Predictor.of(model, metadata);
    }
    const { model, metadata } = fromTfjs(source as TfjsArtifacts, options);
    return Predictor.of(model, metadata);
  }

  /** Serve an elman model already in memory, with an optional saved scaler (`{ scaler, targets }`). */
  static of(model: InteropModel, metadata?: Record<string, unknown>): Predictor {
    try {
      const scaler = metadata?.scaler === undefined ? undefined : Scaler.fromJSON(metadata.scaler as ScalerJSON);
      const series = scaler?.mean.length ?? model.inputSize;
      const targets = (metadata?.targets as number[] | undefined) ?? Array.from({ length: series }, (_, s) => s);
      if (scaler && scaler.mean.length !== model.inputSize) throw new ShapeError('metadata.scaler.mean', scaler.mean, `have ${model.inputSize} values (the model's inputSize)`, `${scaler.mean.length}`);
      if (!Array.isArray(targets) || targets.length === 0 || targets.some((t) => !Number.isInteger(t) || t < 0 || t >= series)) throw new ConfigError('metadata.targets', targets, `a non-empty array of series indices in [0, ${series - 1}]`);
      return new Predictor(model, scaler, targets, metadata);
    } catch (error) {
      model.dispose(); // a model loaded only to be served is not left behind
      throw error;
    }
  }

  /**
   * Outputs per sequence: `[outputSize]` numbers, or `[steps][outputSize]` when the model returns sequences.
   * Sequences may differ in length; each length runs as one batch.
   */
  predict(sequences: NestedSequences): number[][] | number[][][] {
    const I = this.model.inputSize;
    if (!Array.isArray(sequences) || sequences.length === 0) throw new ConfigError('sequences', sequences, 'a non-empty array of sequences');
    let total = 0;
    const byLength = new Map<number, number[]>();
    sequences.forEach((seq, n) => {
      if (!Array.isArray(seq) || seq.length === 0) throw new ShapeError(`sequences[${n}]`, seq, 'be a non-empty array of steps');
      total += seq.length * I;
      // One array per length, appended to: linear in the number of sequences.
      const members = byLength.get(seq.length);
      if (members) members.push(n);
      else byLength.set(seq.length, [n]);
    });
    if (total > MAX_VALUES) throw new ConfigError('sequences', `${total} values`, `at most ${MAX_VALUES} input values per call`);
    const out: Array<number[] | number[][]> = new Array(sequences.length);
    for (const [steps, members] of byLength) {
      const B = members.length;
      const x = new Float32Array(steps * B * I);
      members.forEach((n, b) => {
        sequences[n]!.forEach((step: number | ReadonlyArray<number>, k: number) => {
          const values = typeof step === 'number' ? [step] : step;
          if (!Array.isArray(values) || values.length !== I) throw new ShapeError(`sequences[${n}][${k}]`, step, I === 1 ? 'be a number' : `be an array of ${I} numbers`);
          checkValues(`sequences[${n}][${k}]`, values);
          for (let i = 0; i < I; i++) x[(k * B + b) * I + i] = this.scaler ? (values[i]! - this.scaler.mean[i]!) / this.scaler.std[i]! : values[i]!;
        });
      });
      const O = this.model.outputSize;
      const seq = this.model.returnSequences;
      // ElmanRNN.predict checks targets' shape too: zeros of the right length stand in for them.
      // An encoder–decoder outputs its decoder's steps.
      const outSteps = seq ? this.model.outputSteps(steps) : 1;
      const targets = new Float32Array(outSteps * B * O);
      const y = this.model.predict({ samples: B, steps, inputSize: I, outputSize: O, x, targets, targetsPerStep: seq, ...(outSteps !== steps && seq && { outputSteps: outSteps }) });
      const row = (k: number, b: number) => Array.from({ length: O }, (_, o) => this.unscale(y[(k * B + b) * O + o]!, o));
      members.forEach((n, b) => (out[n] = seq ? Array.from({ length: outSteps }, (_, k) => row(k, b)) : row(0, b)));
    }
    return out as number[][] | number[][][];
  }

  /** Free the model's buffers. */
  dispose(): void {
    this.model.dispose();
  }

  private unscale(v: number, o: number): number {
    if (!this.scaler) return v;
    const s = this.targets[o % this.targets.length]!;
    return v * this.scaler.std[s]! + this.scaler.mean[s]!;
  }
}
