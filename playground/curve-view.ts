// The loss curves, hand-drawn in SVG (a few hundred vertices per run): epoch e's loss, computed before
// its update, at x = e (1-based, as the CLI prints it); a run's final loss (at its final weights) is its end marker.
import { formatNumber } from '../src/plots/index.js';
import { MARKERS, markerPath } from './colors.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 420;
const H = 260;
const PLOT = { left: 52, top: 10, right: W - 14, bottom: H - 40 };

export interface CurveRun {
  id: number;
  name: string;
  color: string;
  order: number;
  loss: readonly number[];
  /** The loss at the final weights, once the run has ended. */
  final?: number;
}

export class CurveView {
  private readonly svg: SVGSVGElement;

  constructor(host: HTMLElement) {
    this.svg = document.createElementNS(NS, 'svg');
    this.svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    this.svg.setAttribute('role', 'img');
    this.svg.setAttribute('aria-labelledby', 'curve-caption');
    this.svg.classList.add('curve-svg');
    host.replaceChildren(this.svg);
  }

  draw(runs: readonly CurveRun[]): void {
    const put = (name: string, attrs: Record<string, string | number>, parent: Element = this.svg) => {
      const e = document.createElementNS(NS, name);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
      parent.append(e);
      return e;
    };
    this.svg.replaceChildren();
    const values = runs.flatMap((r) => [...r.loss, ...(r.final === undefined ? [] : [r.final])]).filter((v) => v > 0 && Number.isFinite(v));
    const epochs = Math.max(10, ...runs.map((r) => r.loss.length));
    const lo = values.length > 0 ? Math.floor(Math.log10(Math.min(...values))) : -3;
    const hi = values.length > 0 ? Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values)))) : 3;
    const sx = (e: number) => PLOT.left + ((e - 1) / Math.max(1, epochs - 1)) * (PLOT.right - PLOT.left);
    const sy = (v: number) => PLOT.bottom - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * (PLOT.bottom - PLOT.top);
    const axes = put('g', { 'aria-hidden': 'true', 'font-size': 12, fill: '#222' });
    put('rect', { x: PLOT.left, y: PLOT.top, width: PLOT.right - PLOT.left, height: PLOT.bottom - PLOT.top, fill: 'none', stroke: '#555' }, axes);
    const every = Math.max(1, Math.ceil((hi - lo) / 6));
    for (let d = lo; d <= hi; d += every) {
      put('line', { x1: PLOT.left - 4, x2: PLOT.right, y1: sy(10 ** d), y2: sy(10 ** d), stroke: '#e3e3e3' }, axes);
      put('text', { x: PLOT.left - 7, y: sy(10 ** d) + 4, 'text-anchor': 'end' }, axes).textContent = `1e${d}`;
    }
    for (const e of [1, Math.round(epochs / 2), epochs]) put('text', { x: sx(e), y: PLOT.bottom + 16, 'text-anchor': 'middle' }, axes).textContent = formatNumber(e, 4);
    put('text', { x: (PLOT.left + PLOT.right) / 2, y: PLOT.bottom + 32, 'text-anchor': 'middle' }, axes).textContent = 'epoch (its loss is computed before its update)';
    const marks = put('g', { 'aria-hidden': 'true' });
    for (const r of runs) {
      const n = r.loss.length;
      // At most ~400 vertices per run: every stride-th epoch, the last one always.
      const stride = Math.max(1, Math.ceil(n / 400));
      const pts: string[] = [];
      for (let i = 0; i < n; i += stride) if (Number.isFinite(r.loss[i]!)) pts.push(`${sx(i + 1).toFixed(1)},${sy(r.loss[i]!).toFixed(1)}`);
      if (n > 0 && (n - 1) % stride !== 0 && Number.isFinite(r.loss[n - 1]!)) pts.push(`${sx(n).toFixed(1)},${sy(r.loss[n - 1]!).toFixed(1)}`);
      const line = put('polyline', { class: 'curve', points: pts.join(' '), fill: 'none', stroke: r.color, 'stroke-width': 2 }, marks);
      line.dataset.run = String(r.id);
      line.dataset.epochs = String(n);
      if (n > 0) line.dataset.last = String(r.loss[n - 1]);
      if (r.final !== undefined && Number.isFinite(r.final)) {
        const end = put('path', { class: 'final', d: markerPath(MARKERS[r.order % MARKERS.length]!, 7), fill: 'none', stroke: r.color, 'stroke-width': 2, transform: `translate(${sx(n).toFixed(1)},${sy(r.final).toFixed(1)})` }, marks);
        end.dataset.run = String(r.id);
        end.dataset.loss = String(r.final);
      }
    }
  }
}
