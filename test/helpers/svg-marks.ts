/** One mark group of a Vega SVG: its mark type, its layer's class, and the `d` (and transform) of each item. */
export interface MarkGroup {
  type: string;
  layer: string;
  items: { d: string; transform: string | undefined; fill: string | undefined }[];
}

/** The leaf mark groups of an SVG that Vega rendered (`<g class="mark-line role-mark layer_1_marks">`). */
export function markGroups(svg: string): MarkGroup[] {
  const groups: MarkGroup[] = [];
  for (const m of svg.matchAll(/<g class="mark-(\w+) role-mark ?([^"]*)"[^>]*>(.*?)<\/g>/gs)) {
    const items = [...m[3]!.matchAll(/<path ([^>]*)>/g)].map((p) => ({
      d: /\sd="([^"]*)"/.exec(' ' + p[1])?.[1] ?? '',
      transform: /transform="([^"]*)"/.exec(p[1]!)?.[1],
      fill: /fill="([^"]*)"/.exec(p[1]!)?.[1],
    }));
    groups.push({ type: m[1]!, layer: m[2]!, items });
  }
  return groups;
}

/** The vertices of an SVG path made of M/L commands, as [x, y] pairs. */
export function vertices(d: string): [number, number][] {
  return [...d.matchAll(/[ML]([-\d.e]+),([-\d.e]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** The symbols of one named layer (`nodes` → `nodes_marks`) grouped in rows by y, top row first, each left to right. */
export function symbolRows(svg: string, layer: string): { x: number; y: number; fill: string }[][] {
  const group = markGroups(svg).find((g) => g.layer.startsWith(`${layer}_marks`));
  const at = (group?.items ?? []).map((n) => {
    const [x, y] = /translate\(([-\d.]+),([-\d.]+)\)/.exec(n.transform ?? '')!.slice(1).map(Number);
    return { x: x!, y: y!, fill: n.fill ?? '' };
  });
  const ys = [...new Set(at.map((n) => n.y))].sort((a, b) => a - b);
  return ys.map((y) => at.filter((n) => n.y === y).sort((a, b) => a.x - b.x));
}

/** The stroke colour of each item of a layer's mark groups (lines: one group per series), in order. */
export function strokes(svg: string, layer: string): string[] {
  return [...svg.matchAll(new RegExp(`role-mark ${layer}_marks"[^>]*>(.*?)</g>`, 'gs'))].flatMap((m) => [...m[1]!.matchAll(/<path [^>]*stroke="([^"]*)"/g)].map((s) => s[1]!));
}

/** The [x, y] of a symbol's `translate(x,y)`. */
export function position(transform: string | undefined): [number, number] {
  const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(transform ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
}

/** Perceived brightness (0-255) of an `rgb(r,g,b)` or `#rrggbb` fill. */
export function luminance(fill: string): number {
  const [r, g, b] = fill.startsWith('#') ? [1, 3, 5].map((i) => parseInt(fill.slice(i, i + 2), 16)) : fill.match(/\d+/g)!.map(Number);
  return 0.299 * r! + 0.587 * g! + 0.114 * b!;
}
