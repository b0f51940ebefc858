// The page's settings in its URL (?runs=rmsprop:0.001:2001:20,sgd:1e-05:2001:20&seq=1011001), so a figure can be shared.
import { OPTIMIZER_SPECS, type OptimizerName } from '../src/index.js';
import type { RunSettings } from './protocol.js';

const OPTIMIZERS = new Set(Object.keys(OPTIMIZER_SPECS));

/** One run as a URL word: optimizer:lr:epochs:perFrame. */
const word = (s: RunSettings) => `${s.optimizer}:${s.lr}:${s.epochs}:${s.perFrame}`;

/** The runs a URL lists, skipping words that do not parse (a hand-edited link should still open). */
export function runsFromUrl(search: string): RunSettings[] {
  const list = new URLSearchParams(search).get('runs');
  if (!list) return [];
  const out: RunSettings[] = [];
  for (const w of list.split(',')) {
    const [optimizer, lr, epochs, perFrame] = w.split(':');
    const s = { optimizer: optimizer as OptimizerName, lr: Number(lr), epochs: Number(epochs), perFrame: Number(perFrame ?? 20) };
    if (OPTIMIZERS.has(s.optimizer) && s.lr > 0 && Number.isInteger(s.epochs) && s.epochs >= 1 && s.epochs <= 100_000 && Number.isInteger(s.perFrame) && s.perFrame >= 1) out.push(s);
  }
  return out;
}

/** Write the runs and the unrolled view's sequence and weights into the address bar, without a reload. */
export function saveToUrl(runs: readonly RunSettings[], extra: Record<string, string>): void {
  const p = new URLSearchParams();
  if (runs.length > 0) p.set('runs', runs.map(word).join(','));
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  const query = p.toString().replaceAll('%3A', ':').replaceAll('%2C', ',');
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
}

/** A single value from the URL, or undefined. */
export const fromUrl = (key: string): string | undefined => new URLSearchParams(location.search).get(key) ?? undefined;
