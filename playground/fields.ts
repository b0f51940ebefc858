// The form's fields, read and checked in the page so every refusal names the field and what was typed.
import { OPTIMIZER_SPECS, type LinearWeights, type OptimizerName } from '../src/index.js';
import type { RunSettings } from './protocol.js';

/** The value each optimizer's box starts at: the registry's setting that converges on the tutorial's data. */
export const SUGGESTED_LR = Object.fromEntries(
  Object.entries(OPTIMIZER_SPECS).map(([name, spec]) => [name, Object.values(spec.tutorial as Record<string, number>)[0]!]),
) as Record<OptimizerName, number>;

/** Whether the box sets a learning rate or, for an optimizer without one (Rprop), the option its tutorial setting names. */
const hasLr = (optimizer: string): boolean => 'lr' in ((OPTIMIZER_SPECS as Record<string, { options: object }>)[optimizer]?.options ?? { lr: 0 });

/** What the learning-rate box means for this optimizer: Rprop has no learning rate, only an initial step. */
export const lrLabel = (optimizer: string): string => (hasLr(optimizer) ? 'learning rate' : 'initial step');

/** A run's legend name: its number, optimizer and what its box set ("#2 rprop step=0.001"). */
export const runName = (id: number, s: RunSettings): string => `#${id} ${s.optimizer} ${hasLr(s.optimizer) ? 'lr' : 'step'}=${s.lr}`;

/** A field the page refused: which input, and the sentence to show. */
export class FieldError extends Error {
  constructor(
    readonly input: HTMLInputElement,
    message: string,
  ) {
    super(message);
  }
}

/** What was typed, for a message: a number input holding text reads as '' with `badInput` set. */
function typed(input: HTMLInputElement): string {
  if (input.validity.badInput) return 'text that is not a number';
  if (input.value.trim() === '') return 'an empty field';
  return input.value.trim();
}

function number(input: HTMLInputElement, label: string, expected: string, ok: (v: number) => boolean): number {
  const v = input.value.trim() === '' || input.validity.badInput ? NaN : Number(input.value);
  if (!ok(v)) throw new FieldError(input, `${label} must be ${expected}, got ${typed(input)}`);
  return v;
}

/** The point's two weights from their fields, as float32 values (the model's precision), or a FieldError naming the bad one. */
export function readPoint(f: { wx: HTMLInputElement; wRec: HTMLInputElement }): LinearWeights {
  const finite = (v: number) => Number.isFinite(Math.fround(v));
  return { wx: Math.fround(number(f.wx, 'w_x', 'a finite number', finite)), wRec: Math.fround(number(f.wRec, 'w_rec', 'a finite number', finite)) };
}

/** Read the form into run settings (starting at `start`), or throw a FieldError naming the first bad field. */
export function readSettings(f: { optimizer: HTMLSelectElement; lr: HTMLInputElement; epochs: HTMLInputElement; speed: HTMLSelectElement }, start: LinearWeights): RunSettings {
  const optimizer = f.optimizer.value as OptimizerName;
  const lr = number(f.lr, lrLabel(optimizer), 'a number > 0', (v) => Number.isFinite(v) && v > 0);
  const epochs = number(f.epochs, 'epochs', 'an integer from 1 to 100,000', (v) => Number.isInteger(v) && v >= 1 && v <= 100_000);
  return { optimizer, lr, epochs, rate: Number(f.speed.value), start };
}
