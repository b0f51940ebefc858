import { parseArgs } from 'node:util';
import { gradientFlow } from '../analysis/gradient-flow.js';
import { lossSurface } from '../analysis/surface.js';
import type { LinearWeights } from '../models/linear.js';
import { gradientFlowSpec } from '../plots/gradient-flow.js';
import { lossCurveSpec, type LossSeries } from '../plots/loss-curve.js';
import { lossSurfaceSpec, type WeightPath } from '../plots/loss-surface.js';
import { train, type History } from '../training/train.js';
import { ElmanError } from '../errors.js';
import { int, UsageError } from './args.js';
import { checkOutput, runName, writeFigures } from './figures.js';
import { COUNTER_DEFAULTS, prepareTrain, trainFlags, type Prepared, type Values } from './train.js';
import { OPTIMIZER_SPECS, type OptimizerName } from '../optimizers/index.js';
import { flagOf, optimizerFlags } from './flags.js';
import { progress } from './progress.js';

/** Flags of `elman plot`: the training flags (optimizer and lr take comma lists), plus where and how to draw. */
export const plotFlags = {
  ...trainFlags,
  optimizer: { type: 'string', default: 'sgd,rmsprop,adam,rprop' },
  out: { type: 'string', default: 'plots' },
  grid: { type: 'string', default: '50' },
  'linear-scale': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The text of `elman plot --help`. */
export const plotHelp = `elman plot [flags]    train, then write three SVG figures (needs vega, vega-lite)

  --out DIR               where to write them (checked before training; all three are written or none)  [plots]
  --optimizer a,b,...     runs to compare                                  [sgd,rmsprop,adam,rprop]
  --lr x,y,...            one learning rate per optimizer, or one for all; for rprop it is the initial step
                          [each optimizer's default: ${Object.entries(COUNTER_DEFAULTS).map(([n, lr]) => `${n} ${lr}`).join(', ')}]
  --grid 50               loss-surface points per axis (2 to 400)
  --linear-scale          loss curve on a linear axis instead of log
  and every flag of elman train (data, loss, epochs, --init, --backend, hyper-parameters).

  DIR/loss-curve.svg      loss per epoch, one line per run
  DIR/loss-surface.svg    loss over (w_x, w_rec) in log colour with each run's path (dot per step, star at the end)
  DIR/gradient-flow.svg   dL/dS[k] back through time for w_rec in {2, -2, 0, 0.5, -0.5} (w_x = 1) and (2, 1)`;

// The notes' exploding/vanishing figure: w_x = 1 with five values of w_rec, and (2, 1).
const FLOW_WEIGHTS: readonly LinearWeights[] = [
  { wx: 1, wRec: 2 }, { wx: 1, wRec: -2 }, { wx: 1, wRec: 0 }, { wx: 1, wRec: 0.5 }, { wx: 1, wRec: -0.5 }, { wx: 2, wRec: 1 },
];

/** Run `elman plot` with raw arguments; resolves to the exit code. Every argument is checked before any training. */
export async function runPlot(args: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: plotFlags, strict: true, allowPositionals: false });
  if (values.help) {
    out(plotHelp);
    return 0;
  }
  const names = values.optimizer.split(',').map((s) => s.trim());
  const lrs = values.lr?.split(',').map((s) => s.trim());
  if (lrs && lrs.length !== 1 && lrs.length !== names.length) throw new UsageError('--lr', values.lr, `one value, or one per optimizer (${names.length})`);
  const grid = int('grid', values.grid, 2, 400)!;

  // The runs share the optimizer flags: each takes those it has, and a flag none of them takes is refused.
  for (const [flag, value] of Object.entries(values)) {
    if (!(flag in optimizerFlags) || value === undefined || value === false) continue;
    const takers = names.filter((n) => Object.keys(OPTIMIZER_SPECS[n as OptimizerName]?.options ?? {}).some((k) => flagOf(k) === flag));
    if (takers.length === 0) throw new UsageError(`--${flag}`, value, `left out: none of ${names.join(', ')} takes it`);
  }
  const runs: Prepared[] = [];
  try {
    for (const [i, optimizer] of names.entries()) runs.push(await prepareTrain({ ...(values as Values), optimizer, lr: lrs?.[lrs.length === 1 ? 0 : i] }, false));
    await checkOutput(values.out);

    const curves: LossSeries[] = [];
    const paths: WeightPath[] = [];
    for (const [i, run] of runs.entries()) {
      const name = runName(names[i]!, lrs?.[lrs.length === 1 ? 0 : i] ?? String(COUNTER_DEFAULTS[names[i] as OptimizerName]));
      let history: History<LinearWeights>;
      const bar = progress(run.epochs);
      try {
        // The callback only on a terminal: without it the loop keeps its fastest path.
        const onEpoch = bar && (({ epoch, loss }: { epoch: number; loss: number }) => bar.tick(epoch + 1, loss));
        history = await train(run.model, run.data, { optimizer: run.optimizer, epochs: run.epochs, loss: run.loss, trackWeights: true, ...(onEpoch && { onEpoch, logEvery: 1 }) });
      } catch (error) {
        if (error instanceof ElmanError) error.message = `${name}: ${error.message}`;
        throw error;
      } finally {
        bar?.clear();
      }
      curves.push({ name, loss: history.loss });
      paths.push({ name, weights: history.weights });
      const w = run.model.weights;
      out(`${name.padEnd(22)} final loss ${history.loss.at(-1)!.toPrecision(4)}, wx = ${w.wx.toFixed(4)}, wRec = ${w.wRec.toFixed(4)}`);
    }
    const { data, loss, backend } = runs[0]!;

    // The notes' zoom [-0.1, 2.1]², widened to keep every path on the picture.
    let [lo, hi] = [-0.1, 2.1];
    const finite = paths.flatMap((p) => p.weights.flatMap((w) => [w.wx, w.wRec])).filter(Number.isFinite);
    for (const v of finite) [lo, hi] = [Math.min(lo, v - 0.1), Math.max(hi, v + 0.1)];
    const axis = { min: lo, max: hi, count: grid };
    const surface = lossSurface(data, { wx: axis, wRec: axis, loss, backend });
    const flows = FLOW_WEIGHTS.map((w) => ({ name: `w_x = ${w.wx}, w_rec = ${w.wRec}`, grad: gradientFlow(data, w, loss) }));

    const files = await writeFigures(values.out, [
      ['loss-curve.svg', lossCurveSpec(curves, { log: !values['linear-scale'], title: `Loss per epoch (${loss})` })],
      ['loss-surface.svg', lossSurfaceSpec(surface, paths, { title: `${loss} loss over (w_x, w_rec), log colour, with each optimizer's path` })],
      ['gradient-flow.svg', gradientFlowSpec(flows)],
    ]);
    out(`Wrote ${files.join(', ')}`);
    return 0;
  } finally {
    for (const run of runs) run.model.dispose();
  }
}
