// The registry of recurrent cells: one line per cell. Everything that lists, checks, sizes, runs,
// imports or exports cells reads it.
import { gru } from './gru.js';
import { lstm } from './lstm.js';
import { mgu } from './mgu.js';
import { simple } from './simple.js';
import type { CellSpec } from './spec.js';

export type { CellSpec };

/**
 * The recurrent cells a layer can be.
 * @category Models
 */
export type CellKind = 'simple' | 'gru' | 'lstm' | 'mgu';

/**
 * Every cell by name.
 * @category Models
 */
export const CELL_SPECS: Readonly<Record<CellKind, CellSpec>> = { simple, gru, lstm, mgu };

/**
 * Every cell name, in registry order.
 * @category Models
 */
export const CELLS = Object.keys(CELL_SPECS) as readonly CellKind[];
