// Checking weights and options a user hands a model: shared by ElmanRNN and the stacked RNN.

import { finite32 } from '../checks.js';
import { ConfigError, ShapeError } from '../errors.js';


/** A weight given flat (rows·cols values) or as rows, checked and copied to float32. */
export function flatten(name: string, v: unknown, rows: number, cols: number): Float32Array {
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<unknown>).length !== 'number') throw new ConfigError(name, v, `an array of ${rows * cols} numbers or ${rows} rows of ${cols}`);
  const a = v as ArrayLike<unknown>;
  const out = new Float32Array(rows * cols);
  if (a.length > 0 && typeof a[0] === 'object') {
    if (a.length !== rows) throw new ShapeError(name, v, `have ${rows} rows`, `${a.length}`);
    for (let r = 0; r < rows; r++) {
      const row = a[r] as ArrayLike<unknown> | null;
      if (row?.length !== cols) throw new ShapeError(`${name}[${r}]`, row, `have length ${cols}`, `length ${row?.length}`);
      for (let c = 0; c < cols; c++) out[r * cols + c] = finite32(`${name}[${r}]`, row[c], c);
    }
    return out;
  }
  if (a.length !== rows * cols) throw new ShapeError(name, v, `have length ${rows * cols} (${rows} × ${cols})`, `length ${a.length}`);
  for (let i = 0; i < out.length; i++) out[i] = finite32(name, a[i], i);
  return out;
}


