import { type LinearWeights } from '../src/index.js';
import { renderSvg, unrollCounter, type Unrolled, unrolledCaption, unrolledFrames, unrolledSpec } from '../src/plots/index.js';
// The unrolled network, animated: step forward through the states, then back through dL/ds_k.

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Weight presets of the view, beside each run's current weights. */
const PRESETS: Record<string, LinearWeights & { label: string }> = {
  explode: { wx: 1, wRec: 1.5, label: 'w_rec = 1.5: the gradient explodes' },
  vanish: { wx: 1, wRec: 0.5, label: 'w_rec = 0.5: the gradient vanishes' },
  flip: { wx: 1, wRec: -1.2, label: 'w_rec = -1.2: it flips sign as it grows' },
  exact: { wx: 1, wRec: 1, label: 'w_x = w_rec = 1: the exact counter' },
};

export class UnrolledView {
  private u: Unrolled | undefined;
  private step = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private drawn = 0;
  private readonly seq = $<HTMLInputElement>('unroll-seq');
  private readonly wx = $<HTMLInputElement>('unroll-wx');
  private readonly wRec = $<HTMLInputElement>('unroll-wrec');
  private readonly preset = $<HTMLSelectElement>('unroll-preset');
  private readonly play = $<HTMLButtonElement>('unroll-play');
  /** Each run's latest weights, offered as presets. */
  private runs: { id: number; name: string; weights: LinearWeights }[] = [];

  constructor(private readonly changed: () => void) {
    this.fillPresets();
    for (const input of [this.seq, this.wx, this.wRec]) input.addEventListener('input', () => this.update(true));
    this.preset.addEventListener('change', () => {
      const w = this.presetWeights(this.preset.value);
      if (w) [this.wx.value, this.wRec.value] = [String(w.wx), String(w.wRec)];
      this.update(true);
    });
    $('unroll-back').addEventListener('click', () => this.go(this.step - 1));
    $('unroll-forward').addEventListener('click', () => this.go(this.step + 1));
    $('unroll-reset').addEventListener('click', () => this.go(0));
    this.play.addEventListener('click', () => (this.timer ? this.pause() : this.start()));
    this.update(false);
  }

  /** The sequence and weights, for the URL. */
  settings(): Record<string, string> {
    return { seq: this.seq.value, wx: this.wx.value, wrec: this.wRec.value };
  }

  /** Offer each run's weights (its latest finite ones) as presets. */
  setRuns(runs: { id: number; name: string; weights: LinearWeights | undefined }[]): void {
    this.runs = runs.filter((r) => r.weights).map((r) => ({ id: r.id, name: r.name, weights: r.weights! }));
    this.fillPresets();
  }

  private presetWeights(value: string): LinearWeights | undefined {
    if (value.startsWith('run:')) return this.runs.find((r) => `run:${r.id}` === value)?.weights;
    return PRESETS[value];
  }

  private fillPresets(): void {
    const keep = this.preset.value;
    const options = [
      ['', 'choose…'],
      ...Object.entries(PRESETS).map(([k, p]) => [k, p.label]),
      ...this.runs.map((r) => [`run:${r.id}`, `${r.name}: w_x = ${r.weights.wx.toFixed(4)}, w_rec = ${r.weights.wRec.toFixed(4)}`]),
    ];
    this.preset.replaceChildren(...options.map(([value, text]) => new Option(text, value)));
    this.preset.value = options.some(([v]) => v === keep) ? keep : '';
  }

  /** Re-unroll from the fields; on a bad field, say which and keep the last good figure. */
  private update(byUser: boolean): void {
    const error = $('unroll-error');
    const text = this.seq.value.trim();
    const [wx, wRec] = [this.wx, this.wRec].map((i) => (i.value.trim() === '' ? NaN : Number(i.value)));
    let message = '';
    if (!/^[01]{1,24}$/.test(text)) message = `sequence must be 1 to 24 digits, each 0 or 1, got ${text === '' ? 'an empty field' : `"${text}"`}`;
    else if (!Number.isFinite(wx)) message = `w_x must be a number, got ${this.wx.value.trim() === '' ? 'an empty field' : this.wx.value}`;
    else if (!Number.isFinite(wRec)) message = `w_rec must be a number, got ${this.wRec.value.trim() === '' ? 'an empty field' : this.wRec.value}`;
    error.textContent = message;
    if (message) return;
    const fresh = !this.u || this.u.x.join('') !== text;
    this.u = unrollCounter([...text].map(Number), { wx: wx!, wRec: wRec! });
    // A new sequence starts the animation over; new weights keep the frame, so their effect can be compared.
    this.go(fresh ? (byUser ? 0 : unrolledFrames(this.u) - 1) : this.step);
    if (byUser) this.changed();
  }

  private go(step: number): void {
    if (!this.u) return;
    this.step = Math.max(0, Math.min(step, unrolledFrames(this.u) - 1));
    void this.draw();
  }

  private start(): void {
    if (!this.u) return;
    if (this.step >= unrolledFrames(this.u) - 1) this.go(0);
    this.play.textContent = '❚❚ pause';
    this.timer = setInterval(() => {
      if (this.step >= unrolledFrames(this.u!) - 1) this.pause();
      else this.go(this.step + 1);
    }, 700);
  }

  private pause(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.play.textContent = '▶ play';
  }

  /** Render the current frame; a slower render of an older frame never replaces a newer one. */
  private async draw(): Promise<void> {
    const [u, step] = [this.u!, this.step];
    const ticket = ++this.drawn;
    const svg = await renderSvg(unrolledSpec(u, { step }));
    if (ticket !== this.drawn) return;
    const figure = $('unrolled');
    figure.innerHTML = svg;
    figure.dataset.step = String(step);
    $('unroll-frame').textContent = `frame ${step} of ${unrolledFrames(u) - 1}: ${unrolledCaption(u, step)}`;
  }

  /** Restore the fields from the URL's values. */
  static restore(seq: string | undefined, wx: string | undefined, wRec: string | undefined): void {
    if (seq !== undefined) $<HTMLInputElement>('unroll-seq').value = seq;
    if (wx !== undefined) $<HTMLInputElement>('unroll-wx').value = wx;
    if (wRec !== undefined) $<HTMLInputElement>('unroll-wrec').value = wRec;
  }
}
