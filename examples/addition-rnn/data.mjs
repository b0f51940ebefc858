// The task of TF.js's addition-rnn example (itself Keras's addition_rnn): read "a+b" as characters,
// answer the sum as characters. Questions are padded with spaces to digits + 1 + digits characters,
// answers to digits + 1; every unordered pair {a, b} appears once; 90% train, 10% validation.
import { RandomState } from 'elman-rnn';

/** The characters, in the example's order: a one-hot vector over these stands for each. */
export const CHARS = '0123456789+ ';

/** `size` distinct questions and their answers, drawn with a seeded RandomState (the example uses Math.random). */
export function additionPairs({ digits = 3, size = 5000, seed = 1 } = {}) {
  const rng = new RandomState(seed);
  const number = () => {
    let s = '';
    for (let i = 0; i < digits; i++) s += Math.floor(rng.randomSample() * 10);
    return Number(s);
  };
  const seen = new Set();
  const questions = [];
  const answers = [];
  while (questions.length < size) {
    const a = number(), b = number();
    const key = a < b ? `${a}+${b}` : `${b}+${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    questions.push(`${a}+${b}`.padEnd(2 * digits + 1));
    answers.push(String(a + b).padEnd(digits + 1));
  }
  return { questions, answers };
}

/** Strings of equal length as one-hot sequences, time-major [steps][samples][CHARS.length]. */
export function oneHot(strings) {
  const n = strings.length, T = strings[0].length, C = CHARS.length;
  const x = new Float32Array(T * n * C);
  strings.forEach((s, j) => {
    for (let k = 0; k < T; k++) x[(k * n + j) * C + CHARS.indexOf(s[k])] = 1;
  });
  return x;
}

/** Decode time-major per-step scores [steps][samples][CHARS.length] back to strings (the best character each step). */
export function decode(scores, samples, steps) {
  const C = CHARS.length;
  return Array.from({ length: samples }, (_, j) => {
    let s = '';
    for (let k = 0; k < steps; k++) {
      const row = scores.subarray((k * samples + j) * C, (k * samples + j + 1) * C);
      s += CHARS[row.indexOf(Math.max(...row))];
    }
    return s;
  });
}

/** Share of characters and of whole answers right. */
export function scores(got, want) {
  let chars = 0, whole = 0;
  got.forEach((g, j) => {
    for (let k = 0; k < g.length; k++) chars += g[k] === want[j][k] ? 1 : 0;
    whole += g === want[j] ? 1 : 0;
  });
  return { chars: chars / (got.length * want[0].length), whole: whole / got.length };
}
