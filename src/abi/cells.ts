// The recurrent cells' codes, shared by the core's dispatch (assembly/cells.ts) and the cell specs
// (src/cells/): one line per cell. Only `export const NAME = <integer literal>;` lines belong here.

/** Keras SimpleRNN (assembly/simple.ts). */
export const CELL_SIMPLE = 0;
/** GRU (assembly/gru.ts). */
export const CELL_GRU = 1;
/** LSTM (assembly/lstm.ts). */
export const CELL_LSTM = 2;
/** Minimal gated unit (assembly/mgu.ts). */
export const CELL_MGU = 3;
