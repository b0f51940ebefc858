// The registry of recurrent cells: one line per cell. Everything that lists, checks, sizes, runs,
// imports or exports cells reads it.
import { gru } from './gru.js';
import { lstm } from './lstm.js';
import { mgu } from './mgu.js';
import { simple } from './simple.js';
import type { CellSpec } from './spec.js';

export type { CellSpec };

/** Every cell by name. */
export const CELL_SPECS = { simple, gru, lstm, mgu } as const satisfies Record<string, CellSpec>;

/** The recurrent cells a layer can be. */
export type CellKind = keyof typeof CELL_SPECS;

/** Every cell name, in registry order. */
export const CELLS = Object.keys(CELL_SPECS) as readonly CellKind[];
