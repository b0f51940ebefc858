// The page's settings in its URL, so a figure can be shared:
// ?runs=rmsprop:0.001:2000:200:0.09:0.011,sgd:1e-05:2000:200&wx=1&wrec=1.5&seq=1011001 (runs: optimizer:lr:epochs:rate[:wx:wrec]).
import { OPTIMIZER_SPECS, type LinearWeights, type OptimizerName } from '../src/index.js';
import type { RunSettings } from './protocol.js';

const OPTIMIZERS = new Set(Object.keys(OPTIMIZER_SPECS));

/** One run as a URL word. */
const word = (s: RunSettings) => `${s.optimizer}:${s.lr}:${s.epochs}:${s.rate}:${s.start.wx}:${s.start.wRec}`;

/** The runs a URL lists, skipping words that do not parse (a hand-edited link should still open); `start` where a word names none. */
export function runsFromUrl(search: string, start: LinearWeights): RunSettings[] {
  const list = new URLSearchParams(search).get('runs');
  if (!list) return [];
  const out: RunSettings[] = [];
  for (const w of list.split(',')) {
    const [optimizer, lr, epochs, rate, wx, wRec] = w.split(':');
    const s = { optimizer: optimizer as OptimizerName, lr: Number(lr), epochs: Number(epochs), rate: Number(rate ?? 200), start: wx === undefined ? start : { wx: Math.fround(Number(wx)), wRec: Math.fround(Number(wRec)) } };
    const ok = OPTIMIZERS.has(s.optimizer) && s.lr > 0 && Number.isInteger(s.epochs) && s.epochs >= 1 && s.epochs <= 100_000 && Number.isInteger(s.rate) && s.rate >= 1;
    if (ok && Number.isFinite(s.start.wx) && Number.isFinite(s.start.wRec)) out.push(s);
  }
  return out;
}

/** Write the runs and the point's settings into the address bar, without a reload. */
export function saveToUrl(runs: readonly RunSettings[], extra: Record<string, string>): void {
  const p = new URLSearchParams();
  if (runs.length > 0) p.set('runs', runs.map(word).join(','));
  for (const [k, v] of Object.entries(extra)) if (v !== '') p.set(k, v);
  const query = p.toString().replaceAll('%3A', ':').replaceAll('%2C', ',');
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
}

/** A single value from the URL, or undefined. */
export const fromUrl = (key: string): string | undefined => new URLSearchParams(location.search).get(key) ?? undefined;
