import { parseArgs } from 'node:util';
import { unrollCounter } from '../analysis/unrolled.js';
import { unrolledFrames, unrolledSpec } from '../plots/unrolled.js';
import { int, num, pair, UsageError } from './args.js';
import { writeSvg } from './figures.js';

/** Flags of `elman plot unrolled`. */
export const plotUnrolledFlags = {
  sequence: { type: 'string', default: '1011001' },
  weights: { type: 'string', default: '1,1.5' },
  target: { type: 'string' },
  step: { type: 'string' },
  out: { type: 'string', default: 'plots' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The text of `elman plot unrolled --help`. */
export const plotUnrolledHelp = `elman plot unrolled [flags]    the counter unrolled over one sequence: states forward, dL/ds_k backward

  --sequence 1011001      the inputs x_1..x_T, 0s and 1s (at most 64)
  --weights wx,wrec       the weights on the edges; |w_rec| > 1 explodes the gradient, < 1 makes it vanish  [1,1.5]
  --target N              the target (default: the number of ones)
  --step N                the animation frame: 0..T forward, T+1 the loss, then backward (default: the last, all shown)
  --out DIR               where to write DIR/unrolled.svg                 [plots]`;

/** Run `elman plot unrolled` with raw arguments; resolves to the exit code. */
export async function runPlotUnrolled(args: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: plotUnrolledFlags, strict: true, allowPositionals: false });
  if (values.help) {
    out(plotUnrolledHelp);
    return 0;
  }
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
