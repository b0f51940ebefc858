// The recurrent cells of the core, by code (src/abi/cells.ts): the one table every caller dispatches
// through (the stacks' bindings from the host, the threads core's blocks). Each kernel takes one
// layer block laid out in src/abi/gated.ts and scratch the host sized from the cell's spec
// (src/cells/); an unknown code traps.

import { CELL_GRU, CELL_LSTM, CELL_MGU, CELL_SIMPLE } from '../src/abi/cells';
import { simpleBackward, simpleForward, simpleStep } from './simple';
import { gruBackward, gruForward, gruStep } from './gru';
import { lstmBackward, lstmForward, lstmStep } from './lstm';
import { mguBackward, mguForward, mguStep } from './mgu';

/** h[1..T] (and c, for cells that carry one) from the initial state and x. */
export function cellForward(cell: i32, blk: usize): void {
  switch (cell) {
    case CELL_SIMPLE: simpleForward(blk); return;
    case CELL_GRU: gruForward(blk); return;
    case CELL_LSTM: lstmForward(blk); return;
    case CELL_MGU: mguForward(blk); return;
    default: unreachable();
  }
}

/** BPTT after cellForward on the same block: adds into the gradients, writes dx. */
export function cellBackward(cell: i32, blk: usize): void {
  switch (cell) {
    case CELL_SIMPLE: simpleBackward(blk); return;
    case CELL_GRU: gruBackward(blk); return;
    case CELL_LSTM: lstmBackward(blk); return;
    case CELL_MGU: mguBackward(blk); return;
    default: unreachable();
  }
}

/** One step in place over the carried state. */
export function cellStep(cell: i32, blk: usize): void {
  switch (cell) {
    case CELL_SIMPLE: simpleStep(blk); return;
    case CELL_GRU: gruStep(blk); return;
    case CELL_LSTM: lstmStep(blk); return;
    case CELL_MGU: mguStep(blk); return;
    default: unreachable();
  }
}
