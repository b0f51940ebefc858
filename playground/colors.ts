// Colours of the learner's loop: a light surface scale and dark run colours chosen against it (WCAG contrast ≥ 3:1).

/** The surface's colour stops, low loss first: all light (relative luminance ≥ 0.5), so dark paths stand out everywhere. */
export const SURFACE_STOPS = ['#ffffff', '#ffffcc', '#fee391', '#c7e9b4', '#7fcdbb'] as const;

/** Run colours: dark (luminance ≤ 0.12), distinct hues; each has contrast ≥ 3:1 against every surface colour. */
export const RUN_COLORS = ['#b2182b', '#08519c', '#006d2c', '#6a3d9a', '#8c510a', '#01665e'] as const;

/** End-marker shapes, one per run in turn: ends at the same point nest (sizes shrink) instead of hiding each other. */
export const MARKERS = ['star', 'square', 'triangle', 'diamond', 'circle', 'cross'] as const;

const rgb = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const hex = (c: number[]) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** WCAG relative luminance of an sRGB colour. */
export function relativeLuminance(c: number[]): number {
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio of two colours. */
export function contrast(a: number[], b: number[]): number {
  const [x, y] = [relativeLuminance(a), relativeLuminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

/** The surface colour at t ∈ [0, 1] (0: lowest loss), as [r, g, b]. */
export function surfaceColor(t: number): number[] {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 1)) * (SURFACE_STOPS.length - 1);
  const i = Math.min(SURFACE_STOPS.length - 2, Math.floor(u));
  const [a, b] = [rgb(SURFACE_STOPS[i]!), rgb(SURFACE_STOPS[i + 1]!)];
  return a.map((v, j) => v + (b[j]! - v) * (u - i));
}

export const surfaceHex = (t: number) => hex(surfaceColor(t));

/** An SVG path of marker `shape` centred on (0, 0) with radius r. */
export function markerPath(shape: (typeof MARKERS)[number], r: number): string {
  const poly = (pts: number[][]) => `M${pts.map(([x, y]) => `${x!.toFixed(2)},${y!.toFixed(2)}`).join('L')}Z`;
  const around = (n: number, radius: (i: number) => number, turn = -Math.PI / 2) =>
    Array.from({ length: n }, (_, i) => [radius(i) * Math.cos(turn + (2 * Math.PI * i) / n), radius(i) * Math.sin(turn + (2 * Math.PI * i) / n)]);
  switch (shape) {
    case 'star': return poly(around(10, (i) => (i % 2 === 0 ? r : r * 0.45)));
    case 'square': return poly([[-r * 0.8, -r * 0.8], [r * 0.8, -r * 0.8], [r * 0.8, r * 0.8], [-r * 0.8, r * 0.8]]);
    case 'triangle': return poly(around(3, () => r));
    case 'diamond': return poly(around(4, () => r));
    case 'circle': return `M${-r},0A${r},${r} 0 1,0 ${r},0A${r},${r} 0 1,0 ${-r},0Z`;
    case 'cross': return `M${-r * 0.7},${-r * 0.7}L${r * 0.7},${r * 0.7}M${-r * 0.7},${r * 0.7}L${r * 0.7},${-r * 0.7}`;
  }
}
