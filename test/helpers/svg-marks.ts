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
