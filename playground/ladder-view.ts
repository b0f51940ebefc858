// The unrolled network at the chosen point, one row per step: the forward states, the backward dL/ds_k
// (a bar on a log scale, so exploding and vanishing gradients show), each step's contributions to
// dL/dw_x and dL/dw_rec, and how the sequences' gradients add up to the arrow on the surface.
import type { LinearWeights } from '../src/index.js';
import { formatNumber, unrollCounter, type Unrolled } from '../src/plots/index.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const f = (v: number) => formatNumber(v, 4);

/**
 * "a = b" when the shown numbers give the shown result at its precision, else "a ≈ b": a learner
 * checking the arithmetic by hand never meets a false "=".
 */
export function equation(lhs: string, shown: number[], value: (shown: number[]) => number, result: number): string {
  const again = f(value(shown.map((v) => Number(f(v)))));
  return `${lhs} ${again === f(result) ? '=' : '≈'} ${f(result)}`;
}

/** A row of the table: cells as text (with an optional class). */
const row = (cells: (string | Node)[], head = false): HTMLTableRowElement => {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement(head ? 'th' : 'td');
    if (head) td.scope = 'col';
    td.append(c);
    tr.append(td);
  }
  return tr;
};

/** A signed bar on a log scale: its length grows with log10|v| between the decades `lo` and `hi`. */
function bar(v: number, lo: number, hi: number): SVGSVGElement {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('width', '48');
  svg.setAttribute('height', '12');
  svg.setAttribute('aria-hidden', 'true');
  const rect = document.createElementNS(NS, 'rect');
  const t = v === 0 ? 0 : Math.min(1, Math.max(0, (Math.log10(Math.abs(v)) - lo) / (hi - lo)));
  const width = v === 0 ? 0 : 3 + 45 * t;
  rect.setAttribute('width', width.toFixed(2));
  rect.setAttribute('height', '12');
  rect.setAttribute('fill', v > 0 ? '#b2182b' : '#2166ac');
  rect.classList.add('bar');
  rect.dataset.value = String(v);
  svg.append(rect);
  return svg;
}

/** dL/ds_k's value over its bar. */
function gradCell(v: number, lo: number, hi: number): HTMLElement {
  const span = Object.assign(document.createElement('span'), { className: 'grad', textContent: f(v) });
  span.append(bar(v, lo, hi));
  return span;
}

export class LadderView {
  /** The sequences of the data set (0s and 1s) and their targets. */
  constructor(
    private readonly sequences: number[][],
    private readonly targets: number[],
  ) {}

  /**
   * Unroll `sequence` (or the data set's sequence `index`) at `w`; draw its rows, then the data set's
   * per-sequence gradients and their sum. Returns the sum over the data set (float64, from the recurrence).
   */
  draw(w: LinearWeights, index: number, own?: number[]): LinearWeights {
    const all = this.sequences.map((s, n) => unrollCounter(s, w, this.targets[n]));
    const u = own ? unrollCounter(own, w) : all[index]!;
    this.drawSteps(u);
    const total = { wx: all.reduce((a, v) => a + v.gradWx, 0), wRec: all.reduce((a, v) => a + v.gradWRec, 0) };
    this.drawSums(all, own ? -1 : index, total);
    return total;
  }

  private drawSteps(u: Unrolled): void {
    const T = u.x.length;
    const { wx, wRec } = u.weights;
    const g = u.grads;
    const sizes = g.slice(1).map(Math.abs).filter((v) => v > 0 && Number.isFinite(v));
    let lo = sizes.length > 0 ? Math.floor(Math.log10(Math.min(...sizes))) : 0;
    let hi = sizes.length > 0 ? Math.ceil(Math.log10(Math.max(...sizes))) : 1;
    if (hi <= lo) [lo, hi] = [lo - 1, hi];
    const table = $('ladder');
    table.dataset.lo = String(lo);
    table.dataset.hi = String(hi);
    const body = document.createElement('tbody');
    body.append(row(['0', f(0), gradCell(g[0]!, lo, hi), '', '']));
    for (let k = 1; k <= T; k++) {
      const tr = row([`${k} (${u.x[k - 1]})`, f(u.states[k]!), gradCell(g[k]!, lo, hi), f(g[k]! * u.x[k - 1]!), f(g[k]! * u.states[k - 1]!)]);
      tr.dataset.k = String(k);
      body.append(tr);
    }
    const foot = document.createElement('tfoot');
    foot.append(row(['Σ_k', '', '', f(u.gradWx), f(u.gradWRec)]));
    const head = document.createElement('thead');
    head.append(row(['k (x_k)', 's_k', 'dL/ds_k', 'dL/ds_k\n·x_k', 'dL/ds_k\n·s_k−1'], true));
    table.replaceChildren(Object.assign(document.createElement('caption'), { textContent: `The sequence ${u.x.join('')} unrolled at w_x = ${f(wx)}, w_rec = ${f(wRec)}: forward states s_k, backward dL/ds_k (bars on a log scale from 1e${lo} to 1e${hi}), and each step's share of dL/dw_x and dL/dw_rec, summed in the last row (Σ_k)` }), head, body, foot);
    $('ladder-output').textContent = `output y = s_${T} = ${f(u.y)}, target t = ${f(u.target)}, loss L = (y − t)² = ${f(u.loss)}, dL/ds_${T} = 2(y − t) = ${f(g[T]!)}`;
    // The arithmetic of every step, to check by hand.
    const lines: string[] = [];
    for (let k = 1; k <= T; k++) lines.push(equation(`s_${k} = x_${k}·w_x + s_${k - 1}·w_rec = ${f(u.x[k - 1]!)}·${f(wx)} + ${f(u.states[k - 1]!)}·${f(wRec)}`, [u.x[k - 1]!, wx, u.states[k - 1]!, wRec], ([a, b, c, d]) => a! * b! + c! * d!, u.states[k]!));
    for (let k = T - 1; k >= 0; k--) lines.push(equation(`dL/ds_${k} = dL/ds_${k + 1}·w_rec = ${f(g[k + 1]!)}·${f(wRec)}`, [g[k + 1]!, wRec], ([a, b]) => a! * b!, g[k]!));
    $('ladder-check').replaceChildren(...lines.map((l) => Object.assign(document.createElement('li'), { textContent: l })));
  }

  private drawSums(all: Unrolled[], chosen: number, total: LinearWeights): void {
    const table = $('shares');
    const body = document.createElement('tbody');
    all.forEach((u, n) => {
      const tr = row([String(n + 1), u.x.join(''), f(u.gradWx), f(u.gradWRec)]);
      if (n === chosen) tr.setAttribute('aria-current', 'true');
      body.append(tr);
    });
    const foot = document.createElement('tfoot');
    foot.append(row(['Σ', 'all 20: the arrow', f(total.wx), f(total.wRec)]));
    const head = document.createElement('thead');
    head.append(row(['#', 'sequence', 'dL/dw_x', 'dL/dw_rec'], true));
    table.replaceChildren(Object.assign(document.createElement('caption'), { textContent: 'Each sequence’s gradient; their sum is the gradient of the loss on the surface' }), head, body, foot);
  }
}
