// Masks and sample weights (issue 19 item 2) for `npm run bench`: the same training with and without
// them, same work per row (every step of every sample is computed either way: a masked step runs its
// cell, then the state is held), so the ratio is the price of holding states, routing gradients and
// weighing the loss rows. Target: masked + weighted costs at most 10 % more CPU than unmasked.
import { adam, init, RNN, trainSync } from '../dist/index.js';
import { interleaved } from './rounds.js';

/** Sizes: a padded batch of variable-length sequences, as a text or sensor job has them. */
export const MASKS = { samples: 256, steps: 50, input: 8, output: 4, batchSize: 64, epochs: 1 };

/** Seeded data (an LCG): inputs and targets in [-1, 1), lengths in [steps/2, steps], weights in [0.5, 2). */
function masksData({ samples, steps, input, output }) {
  let s = 19;
  const u = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const x = Float32Array.from({ length: samples * steps * input }, u);
  const targets = Float32Array.from({ length: samples * steps * output }, u);
  const lengths = Array.from({ length: samples }, () => Math.round(steps * (0.75 + u() / 4)));
  const sampleWeights = Array.from({ length: samples }, () => 1.25 + 0.75 * u());
  const base = { samples, steps, inputSize: input, outputSize: output, x, targets, targetsPerStep: true };
  return { base, weighted: { ...base, lengths, sampleWeights } };
}

/** One row per cell and form: a model, its data placed once, one epoch of trainSync per call from the same weights. */
function rows(cell, hidden, data) {
  return ['unmasked', 'masked + weighted'].map((form) => {
    const model = new RNN({ inputSize: MASKS.input, outputSize: MASKS.output, returnSequences: true, layers: [{ cell, units: hidden }], seed: 1 });
    const placed = model.place(form === 'unmasked' ? data.base : data.weighted);
    const start = model.params.slice();
    return {
      key: `${cell}-${form}`, name: `${cell.toUpperCase()} ${hidden}, ${form}`, cell, form,
      run: () => {
        model.params.set(start);
        trainSync(model, placed, { optimizer: adam({ lr: 1e-3 }), epochs: MASKS.epochs, batchSize: MASKS.batchSize });
      },
      dispose: () => model.dispose(),
    };
  });
}

/** The section: rows per cell, CPU beside wall, the ratio beside its target. */
export async function masksSection(say, { quick, fmt }) {
  await init();
  const data = masksData(MASKS);
  const { samples, steps, input, output, batchSize } = MASKS;
  say('## Masks and sample weights (issue 19)');
  say();
  say(`\`trainSync\`, one epoch per call, ${samples} sequences × ${steps} steps (${input} inputs, ${output} outputs at every step, mse), batch ${batchSize}, Adam; the masked rows`);
  say('add a length per sample (uniform in [½, 1] of the steps: about a quarter of the steps masked) and a weight per sample. Same work in');
  say('both rows: a masked step still runs its cell, then holds the state. Target: masked + weighted ≤ 10 % more CPU than unmasked.');
  say();
  say('| model | rows | wall per epoch | CPU per epoch | CPU over unmasked (target ≤ +10 %) |');
  say('| --- | --- | ---: | ---: | ---: |');
  const out = {};
  for (const [cell, hidden] of [['simple', 32], ['gru', 32], ['lstm', 64]]) {
    const made = rows(cell, hidden, data);
    const [plain, masked] = await interleaved(made, quick ? { rounds: 2, minRounds: 1 } : { rounds: 7, minRounds: 3 });
    const over = masked.cpu / plain.cpu - 1;
    for (const r of [plain, masked]) {
      const extra = r === plain ? '—' : `${over >= 0 ? '+' : ''}${(100 * over).toFixed(1)} % ${over <= 0.1 ? '(met)' : '(**missed**)'}`;
      say(`| ${cell.toUpperCase()} ${hidden} | ${r.form} | ${fmt.time(r.wall)} | ${fmt.time(r.cpu)} | ${extra} |`);
    }
    out[cell] = over;
    for (const r of made) r.dispose();
  }
  say();
  return out;
}
