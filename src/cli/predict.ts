import { parseArgs } from 'node:util';
import { readFile, stat } from 'node:fs/promises';
import { BACKENDS } from '../backends/backend.js';
import { init } from '../backends/wasm/embedded.js';
import { Predictor } from '../interop/predictor.js';
import { oneOf, UsageError } from './args.js';
import { readStdin } from './data-file.js';

/** Flags of `elman predict`. */
export const predictFlags = {
  model: { type: 'string' },
  input: { type: 'string' },
  backend: { type: 'string', default: 'wasm' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The text of `elman predict --help`. */
export const predictHelp = `elman predict --model FILE [flags]   run a saved model on sequences, print its outputs as JSON

  --model FILE            elman JSON (an ElmanRNN's or RNN's toJSON(), e.g. from elman train --save) or a TF.js
                          model.json of SimpleRNN / GRU / LSTM layers + Dense (weights beside it);
                          a scaler saved with it (userDefinedMetadata.scaler) is applied both ways
  --input FILE            JSON sequences to read instead of stdin: [[x0, x1, ...], ...] for one input,
                          [[[x0a, x0b], ...], ...] for several; sequences may differ in length
  --backend wasm|js       WebAssembly core or plain TypeScript  [wasm]

  prints one JSON array: per sequence, its outputs (a list per step when the model returns sequences)`;

/** Run `elman predict`; resolves to the exit code. `stdin` is read when --input is absent. */
export async function runPredict(args: string[], out: (line: string) => void, stdin: () => Promise<string> = () => readStdin('elman predict: reading JSON sequences from stdin (end with Ctrl-D; or give --input FILE)')): Promise<number> {
  const { values: v } = parseArgs({ args, options: predictFlags, strict: true, allowPositionals: false });
  if (v.help) {
    out(predictHelp);
    return 0;
  }
  if (v.model === undefined) throw new UsageError('--model', undefined, 'a model file (elman JSON or a TF.js model.json)');
  const backend = oneOf('backend', v.backend, BACKENDS)!;
  const text = v.input === undefined ? await stdin() : await readFile(v.input, 'utf8').catch((e: Error) => {
    throw new UsageError('--input', v.input, `a readable file (${e.message})`);
  });
  let sequences: unknown;
  try {
    sequences = JSON.parse(text);
  } catch (error) {
    throw new UsageError(v.input === undefined ? 'stdin' : '--input', text.slice(0, 40), `JSON sequences (${(error as Error).message})`);
  }
  // The model path judged before anything is read: a folder or a device (/dev/zero never ends) is no model file.
  const info = await stat(v.model).catch((e: Error & { code?: string }) => {
    throw new UsageError('--model', v.model, `an existing file (${e.code ?? e.message})`);
  });
  if (!info.isFile()) throw new UsageError('--model', v.model, `a model file, not ${info.isDirectory() ? 'a folder' : 'a device or socket'}`);
  if (backend === 'wasm') await init();
  const predictor = await Predictor.load(v.model, { backend });
  try {
    out(JSON.stringify(predictor.predict(sequences as never)));
  } finally {
    predictor.dispose();
  }
  return 0;
}
