// The loss surface: a static layer (heat map, axes, colour bar) drawn once, and an overlay of run paths,
// end markers, the chosen point and its gradient arrow that is updated in place (attributes, never rebuilt).
import type { LinearWeights, Surface } from '../src/index.js';
import { formatNumber } from '../src/plots/index.js';
import { MARKERS, markerPath, surfaceColor, surfaceHex } from './colors.js';

const NS = 'http://www.w3.org/2000/svg';
const el = <K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number> = {}, parent?: Element): SVGElementTagNameMap[K] => {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.append(e);
  return e;
};

/** The figure's size in its own units (the SVG scales to the page's width). */
const W = 420;
const H = 400;
const PLOT = { left: 46, top: 10, right: W - 10, bottom: 330 };

/** One run as the overlay draws it. */
export interface RunMarks {
  id: number;
  name: string;
  color: string;
  /** Index into MARKERS and the nesting size. */
  order: number;
  path: readonly LinearWeights[];
  /** Set once the run has ended. */
  end?: LinearWeights;
}

export class SurfaceView {
  readonly svg: SVGSVGElement;
  private readonly overlay: SVGGElement;
  private readonly exits: SVGGElement;
  private readonly ends: SVGGElement;
  private readonly runs = new Map<number, { g: SVGGElement; casing: SVGPolylineElement; line: SVGPolylineElement; start: SVGPathElement; end: SVGPathElement; exit: SVGPathElement; title: SVGTitleElement; drawn: number; checked: number; firstOut: number }>();
  private readonly point: { g: SVGGElement; ring: SVGCircleElement; arrow: SVGLineElement; casing: SVGLineElement; head: SVGPathElement };
  private readonly sx: (v: number) => number;
  private readonly sy: (v: number) => number;

  constructor(
    host: HTMLElement,
    private readonly surface: Surface,
    onPick: (w: LinearWeights) => void,
    onHover: (w: LinearWeights | undefined) => void,
  ) {
    const [x0, x1, y0, y1] = [surface.wx[0]!, surface.wx.at(-1)!, surface.wRec[0]!, surface.wRec.at(-1)!];
    this.sx = (v) => PLOT.left + ((v - x0) / (x1 - x0)) * (PLOT.right - PLOT.left);
    this.sy = (v) => PLOT.bottom - ((v - y0) / (y1 - y0)) * (PLOT.bottom - PLOT.top);
    // Two stacked SVGs: the static one is painted once; the overlay (its own compositing layer) repaints alone as paths grow.
    const under = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'surface-static', 'aria-hidden': 'true' });
    el('clipPath', { id: 'heat-clip' }, el('defs', {}, under)).append(el('rect', { x: PLOT.left, y: PLOT.top, width: PLOT.right - PLOT.left, height: PLOT.bottom - PLOT.top }));
    this.drawStatic(el('g', { class: 'static' }, under), [x0, x1, y0, y1]);
    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'surface-caption', class: 'surface-svg' });
    this.svg = svg;
    el('clipPath', { id: 'plot-clip' }, el('defs', {}, svg)).append(el('rect', { x: PLOT.left, y: PLOT.top, width: PLOT.right - PLOT.left, height: PLOT.bottom - PLOT.top }));
    this.overlay = el('g', { class: 'runs', 'clip-path': 'url(#plot-clip)', 'aria-hidden': 'true' }, svg);
    // Exit arrows and end markers sit above the clip, so marks on the border show whole.
    this.exits = el('g', { class: 'exits', 'aria-hidden': 'true' }, svg);
    this.ends = el('g', { class: 'ends', 'aria-hidden': 'true' }, svg);
    const pg = el('g', { class: 'point', 'aria-hidden': 'true' }, svg);
    this.point = {
      g: pg,
      casing: el('line', { stroke: 'white', 'stroke-width': 6, 'stroke-linecap': 'round' }, pg),
      arrow: el('line', { class: 'arrow', stroke: 'black', 'stroke-width': 2.5 }, pg),
      head: el('path', { class: 'arrow-head', fill: 'black', stroke: 'white', 'stroke-width': 1 }, pg),
      ring: el('circle', { class: 'ring', r: 7, fill: 'none', stroke: 'black', 'stroke-width': 2.5 }, pg),
    };
    const stack = document.createElement('div');
    stack.className = 'surface-stack';
    stack.append(under, svg);
    host.replaceChildren(stack);

    // Click or drag on the plot picks the point; hovering reports the weights under the pointer.
    const at = (e: PointerEvent): LinearWeights | undefined => {
      const m = svg.getScreenCTM();
      if (!m) return undefined;
      const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
      if (p.x < PLOT.left || p.x > PLOT.right || p.y < PLOT.top || p.y > PLOT.bottom) return undefined;
      const wx = x0 + ((p.x - PLOT.left) / (PLOT.right - PLOT.left)) * (x1 - x0);
      const wRec = y0 + ((PLOT.bottom - p.y) / (PLOT.bottom - PLOT.top)) * (y1 - y0);
      return { wx: Math.fround(wx), wRec: Math.fround(wRec) };
    };
    let dragging = false;
    svg.addEventListener('pointerdown', (e) => {
      const w = at(e);
      if (!w) return;
      dragging = true;
      svg.setPointerCapture(e.pointerId);
      e.preventDefault();
      onPick(w);
    });
    svg.addEventListener('pointermove', (e) => {
      const w = at(e);
      onHover(w);
      if (dragging && w) onPick(w);
    });
    svg.addEventListener('pointerup', () => (dragging = false));
    svg.addEventListener('pointerleave', () => onHover(undefined));
  }

  /** The heat map (one image, made once from the grid), axes and the colour bar. */
  private drawStatic(g: SVGGElement, [x0, x1, y0, y1]: [number, number, number, number]): void {
    const { wx, wRec, loss } = this.surface;
    const logs = Array.from(loss, (v) => Math.log10(Math.max(v, 1e-4)));
    const lo = Math.floor(Math.min(...logs));
    const hi = Math.ceil(Math.max(...logs));
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [wx.length, wRec.length];
    const ctx = canvas.getContext('2d')!;
    const img = ctx.createImageData(wx.length, wRec.length);
    for (let j = 0; j < wRec.length; j++) {
      for (let i = 0; i < wx.length; i++) {
        const c = surfaceColor((logs[j * wx.length + i]! - lo) / (hi - lo));
        const o = ((wRec.length - 1 - j) * wx.length + i) * 4; // row 0 of the image is the top: the largest w_rec
        [img.data[o], img.data[o + 1], img.data[o + 2], img.data[o + 3]] = [c[0]!, c[1]!, c[2]!, 255];
      }
    }
    ctx.putImageData(img, 0, 0);
    // Each grid point is the centre of its cell: the image spans half a cell beyond the extreme points, clipped.
    const [cw, ch] = [(this.sx(x1) - this.sx(x0)) / (wx.length - 1), (this.sy(y0) - this.sy(y1)) / (wRec.length - 1)];
    const heat = el('image', { class: 'heat', href: canvas.toDataURL('image/png'), x: this.sx(x0) - cw / 2, y: this.sy(y1) - ch / 2, width: this.sx(x1) - this.sx(x0) + cw, height: this.sy(y0) - this.sy(y1) + ch, preserveAspectRatio: 'none', 'clip-path': 'url(#heat-clip)' }, g);
    heat.dataset.lo = String(lo);
    heat.dataset.hi = String(hi);
    el('rect', { x: PLOT.left, y: PLOT.top, width: PLOT.right - PLOT.left, height: PLOT.bottom - PLOT.top, fill: 'none', stroke: '#555' }, g);
    const text = (x: number, y: number, s: string, anchor = 'middle', extra: Record<string, string | number> = {}) => (el('text', { x, y, 'text-anchor': anchor, 'font-size': 12, fill: '#222', ...extra }, g).textContent = s);
    for (let v = Math.ceil(x0 * 2) / 2; v <= x1 + 1e-9; v += 0.5) {
      el('line', { x1: this.sx(v), x2: this.sx(v), y1: PLOT.bottom, y2: PLOT.bottom + 4, stroke: '#555' }, g);
      text(this.sx(v), PLOT.bottom + 16, formatNumber(v));
    }
    for (let v = Math.ceil(y0 * 2) / 2; v <= y1 + 1e-9; v += 0.5) {
      el('line', { x1: PLOT.left - 4, x2: PLOT.left, y1: this.sy(v), y2: this.sy(v), stroke: '#555' }, g);
      text(PLOT.left - 7, this.sy(v) + 4, formatNumber(v), 'end');
    }
    text((PLOT.left + PLOT.right) / 2, PLOT.bottom + 31, 'w_x');
    text(14, (PLOT.top + PLOT.bottom) / 2, 'w_rec', 'middle', { transform: `rotate(-90 14 ${(PLOT.top + PLOT.bottom) / 2})` });
    // The minimum (1, 1): the exact counter.
    el('path', { d: `M${this.sx(1) - 5},${this.sy(1)}h10M${this.sx(1)},${this.sy(1) - 5}v10`, stroke: '#222', 'stroke-width': 1.5 }, g);
    // Colour bar: one decade per step.
    const [bx, by, bw] = [PLOT.left, H - 26, PLOT.right - PLOT.left - 70];
    const steps = 40;
    for (let i = 0; i < steps; i++) el('rect', { x: bx + (i * bw) / steps, y: by, width: bw / steps + 0.5, height: 8, fill: surfaceHex(i / (steps - 1)) }, g);
    el('rect', { x: bx, y: by, width: bw, height: 8, fill: 'none', stroke: '#888' }, g);
    for (let d = lo; d <= hi; d += Math.max(1, Math.ceil((hi - lo) / 6))) text(bx + ((d - lo) / (hi - lo)) * bw, by + 20, `1e${d}`, 'middle', { 'font-size': 11 });
    text(bx + bw + 6, by + 8, 'sse loss', 'start', { 'font-size': 11 });
  }

  /** Screen position of weights, unclipped. */
  position(w: LinearWeights): [number, number] {
    return [this.sx(w.wx), this.sy(w.wRec)];
  }

  private inside(w: LinearWeights): boolean {
    const [x, y] = this.position(w);
    return x >= PLOT.left && x <= PLOT.right && y >= PLOT.top && y <= PLOT.bottom;
  }

  /** Where the segment from inside point a to outside point b crosses the plot's border. */
  private exitPoint(a: [number, number], b: [number, number]): [number, number] {
    let t = 1;
    const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
    if (dx > 0) t = Math.min(t, (PLOT.right - a[0]) / dx);
    if (dx < 0) t = Math.min(t, (PLOT.left - a[0]) / dx);
    if (dy > 0) t = Math.min(t, (PLOT.bottom - a[1]) / dy);
    if (dy < 0) t = Math.min(t, (PLOT.top - a[1]) / dy);
    return [a[0] + t * dx, a[1] + t * dy];
  }

  /** Update (or add) one run's marks: its path grows in place; only new vertices are appended. */
  drawRun(r: RunMarks): void {
    let m = this.runs.get(r.id);
    if (!m) {
      const g = el('g', { class: 'run' }, this.overlay);
      g.dataset.run = String(r.id);
      m = {
        g,
        casing: el('polyline', { fill: 'none', stroke: 'white', 'stroke-width': 4, 'stroke-opacity': 0.8 }, g),
        line: el('polyline', { class: 'path', fill: 'none', stroke: r.color, 'stroke-width': 2 }, g),
        start: el('path', { class: 'start', d: markerPath('circle', 4), fill: 'white', stroke: r.color, 'stroke-width': 2 }, g),
        end: el('path', { class: 'end', fill: 'none', stroke: r.color, 'stroke-width': 2.5, visibility: 'hidden' }, g),
        exit: el('path', { class: 'exit', d: 'M-2,-7L10,0L-2,7Z', fill: r.color, stroke: 'white', 'stroke-width': 1.5, visibility: 'hidden' }, this.exits),
        title: el('title', {}, g),
        drawn: 0,
        checked: 0,
        firstOut: -1,
      };
      m.exit.dataset.run = String(r.id);
      m.end.dataset.run = String(r.id);
      this.ends.append(m.end);
      this.runs.set(r.id, m);
    }
    // Vertices beyond 4 px of the figure add nothing but weight: a point of a diverging path is clamped to a band around the plot.
    const clamp = ([x, y]: [number, number]): string => `${Math.min(W + 50, Math.max(-50, x)).toFixed(1)},${Math.min(H + 50, Math.max(-50, y)).toFixed(1)}`;
    const points = r.path.slice(m.drawn).map((w) => clamp(this.position(w)));
    if (points.length > 0) {
      const all = (m.line.getAttribute('points') ?? '') + (m.drawn > 0 ? ' ' : '') + points.join(' ');
      m.line.setAttribute('points', all);
      m.casing.setAttribute('points', all);
      m.drawn = r.path.length;
    }
    if (r.path.length > 0) m.start.setAttribute('transform', `translate(${this.position(r.path[0]!).map((v) => v.toFixed(1)).join(',')})`);
    // The first exit from the figure gets an arrow at the border, pointing the way the run went (new vertices only are searched).
    for (let i = Math.max(1, m.checked); i < r.path.length && m.firstOut < 0; i++) if (this.inside(r.path[i - 1]!) && !this.inside(r.path[i]!)) m.firstOut = i;
    m.checked = r.path.length;
    const firstOut = m.firstOut;
    const exitMark = m.exit;
    if (firstOut > 0 && exitMark.getAttribute('visibility') !== 'visible') {
      const [a, b] = [this.position(r.path[firstOut - 1]!), this.position(r.path[firstOut]!)];
      const p = this.exitPoint(a, b);
      const angle = (Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI;
      exitMark.setAttribute('transform', `translate(${p[0].toFixed(1)},${p[1].toFixed(1)}) rotate(${angle.toFixed(1)})`);
      exitMark.setAttribute('visibility', 'visible');
      exitMark.dataset.exit = `${r.path[firstOut]!.wx},${r.path[firstOut]!.wRec}`;
    }
    if (r.end) {
      const shape = MARKERS[r.order % MARKERS.length]!;
      const size = 11 - 1.5 * (r.order % 5);
      m.end.setAttribute('d', markerPath(shape, size));
      m.end.dataset.shape = shape;
      m.end.dataset.size = String(size);
      // An end outside the figure is drawn on its border, where the exit arrow points.
      const [x, y] = this.position(r.end);
      const cx = Math.min(PLOT.right, Math.max(PLOT.left, x));
      const cy = Math.min(PLOT.bottom, Math.max(PLOT.top, y));
      m.end.setAttribute('transform', `translate(${cx.toFixed(1)},${cy.toFixed(1)})`);
      m.end.dataset.outside = String(cx !== x || cy !== y);
      m.end.setAttribute('visibility', 'visible');
    }
    m.title.textContent = r.name;
  }

  removeRun(id: number): void {
    const m = this.runs.get(id);
    m?.g.remove();
    m?.end.remove();
    m?.exit.remove();
    this.runs.delete(id);
  }

  /**
   * The chosen point and the way down from it: the arrow points along −(dL/dw_x, dL/dw_rec) in weight
   * units, its length grows with log10(1 + |gradient|), so exploding gradients draw long arrows.
   */
  setPoint(w: LinearWeights, grad: LinearWeights | undefined): void {
    const [x, y] = this.position(w);
    const { ring, arrow, casing, head } = this.point;
    ring.setAttribute('cx', x.toFixed(2));
    ring.setAttribute('cy', y.toFixed(2));
    this.point.g.dataset.wx = String(w.wx);
    this.point.g.dataset.wrec = String(w.wRec);
    const norm = grad ? Math.hypot(grad.wx, grad.wRec) : 0;
    const show = grad !== undefined && norm > 0 && Number.isFinite(norm);
    for (const e of [arrow, casing, head]) e.setAttribute('visibility', show ? 'visible' : 'hidden');
    if (!show) return;
    // Direction on screen: the descent vector −g drawn in the axes' units (screen y runs down).
    const [ux, uy] = [this.sx(1) - this.sx(0), this.sy(0) - this.sy(1)];
    const [dx, dy] = [-grad.wx * ux, grad.wRec * uy];
    const d = Math.hypot(dx, dy);
    const length = Math.min(140, 14 + 18 * Math.log10(1 + norm));
    const [ex, ey] = [x + (dx / d) * length, y + (dy / d) * length];
    for (const line of [arrow, casing]) {
      line.setAttribute('x1', x.toFixed(2));
      line.setAttribute('y1', y.toFixed(2));
      line.setAttribute('x2', ex.toFixed(2));
      line.setAttribute('y2', ey.toFixed(2));
    }
    const angle = (Math.atan2(dy, dx) * 180) / Math.PI;
    head.setAttribute('d', 'M0,0L-10,-5L-10,5Z');
    head.setAttribute('transform', `translate(${ex.toFixed(2)},${ey.toFixed(2)}) rotate(${angle.toFixed(2)})`);
    arrow.dataset.gx = String(grad.wx);
    arrow.dataset.grec = String(grad.wRec);
    arrow.dataset.length = length.toFixed(2);
  }
}
