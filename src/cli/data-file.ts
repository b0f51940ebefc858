import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { ElmanError } from '../errors.js';
import { UsageError } from './args.js';
// Reading the user's data for `elman train --data`: CSV with a header, JSON, JSON lines, or stdin.

/** A malformed data file, as one line naming the file, the row and the column (exit 2). */
export class FileError extends ElmanError {
  /** This class's `error.name`, kept when a minifier renames the class. */
  static readonly label: string = 'FileError';
  constructor(file: string, row: number, column: string | undefined, problem: string) {
    super(`${file} row ${row}${column === undefined ? '' : `, column ${column}`}: ${problem}`, '--data', file);
  }
}

/** Named columns of cells, one entry per data row; `rows[i]` is the row number users see (CSV: the header is row 1). */
export interface Table {
  kind: 'table';
  file: string;
  names: string[];
  cells: unknown[][];
  rows: number[];
}

/** Sequences with a class label each (`{ x, y }` rows), for sequence classification. */
export interface Labelled {
  kind: 'labelled';
  file: string;
  x: number[][][];
  y: number[];
  rows: number[];
}

/**
 * All of stdin as text. On a terminal, `note` goes to stderr first: a program waiting silently for
 * typed input looks hung.
 */
export async function readStdin(note = 'elman: reading the data from stdin (end with Ctrl-D)'): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(`${note}\n`);
  return readCapped(process.stdin, 'stdin');
}

/** A stream's text, refused once it passes MAX_BYTES (a pipe can be endless). */
async function readCapped(stream: AsyncIterable<unknown>, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > MAX_BYTES) throw new UsageError(what, `${size} bytes`, `at most ${MAX_BYTES / 2 ** 20} MiB`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// Files larger than this are refused before they are read: 512 MiB of text is far past what a model here trains on.
const MAX_BYTES = 512 * 2 ** 20;

/** The text of `--data FILE` (a file, or a pipe such as bash's <(...)), or of stdin for `-`; an unreadable file is one line naming it. */
export async function readData(file: string, stdin: () => Promise<string>): Promise<string> {
  if (file === '-') return stdin();
  const unreadable = (e: NodeJS.ErrnoException): never => {
    throw e instanceof UsageError ? e : new UsageError('--data', file, `a readable file (${e.code ?? e.message})`);
  };
  const info = await stat(file).catch(unreadable);
  if (info.isDirectory()) throw new UsageError('--data', file, 'a file (not a folder)');
  if (info.size > MAX_BYTES) throw new UsageError('--data', file, `a file of at most ${MAX_BYTES / 2 ** 20} MiB (it has ${(info.size / 2 ** 20).toFixed(0)} MiB)`);
  return readCapped(createReadStream(file), '--data').catch(unreadable);
}

/** Parse a data file by its extension (.csv, .json, .jsonl / .ndjson; stdin by its first character). */
export function parseData(file: string, text: string): Table | Labelled {
  const name = file === '-' ? 'stdin' : file;
  const ext = extname(file).toLowerCase();
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) throw new FileError(name, 1, undefined, 'the file is empty (a CSV needs a header row and data rows)');
  if (ext === '.json' || (file === '-' && first === '[')) return fromJsonRows(name, parseJson(name, text, 0), (i) => i + 1);
  if (ext === '.jsonl' || ext === '.ndjson' || (file === '-' && first === '{')) {
    const lines = text.split('\n');
    const values: unknown[] = [];
    const rows: number[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      values.push(parseJson(name, line, i));
      rows.push(i + 1);
    });
    return fromJsonRows(name, values, (i) => rows[i]!);
  }
  return parseCsv(name, text);
}

/** CSV with a header row: comma-separated, fields may be double-quoted ("a, b", "say ""hi"""). */
function parseCsv(file: string, text: string): Table {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const h = lines.findIndex((l) => l.trim() !== '');
  const names = fields(file, lines[h]!, h + 1).map((s) => s.trim());
  names.forEach((n, j) => {
    if (n === '') throw new FileError(file, h + 1, `${j + 1}`, 'the header names every column (this one is empty)');
    if (names.indexOf(n) !== j) throw new FileError(file, h + 1, `${j + 1}`, `the header names "${n}" twice`);
  });
  const cells: string[][] = [];
  const rows: number[] = [];
  for (let i = h + 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const f = fields(file, lines[i]!, i + 1);
    if (f.length !== names.length) {
      const j = Math.min(f.length, names.length);
      throw new FileError(file, i + 1, f.length < names.length ? `${j + 1} "${names[j]}"` : `${j + 1}`, `${f.length} fields, the header has ${names.length}`);
    }
    cells.push(f);
    rows.push(i + 1);
  }
  if (cells.length === 0) throw new FileError(file, h + 2, undefined, 'no data rows after the header');
  return { kind: 'table', file, names, cells, rows };
}

/** One CSV line's fields; a quote left open is an error naming its column. */
function fields(file: string, line: string, row: number): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) throw new FileError(file, row, `${out.length + 1}`, 'a quote is opened and never closed');
        value += line.slice(j, q);
        if (line[q + 1] === '"') {
          value += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const comma = line.indexOf(',', i);
      const rest = comma < 0 ? line.slice(i) : line.slice(i, comma);
      if (rest.trim() !== '') throw new FileError(file, row, `${out.length + 1}`, 'text after a closing quote');
      out.push(value);
      if (comma < 0) return out;
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      out.push(comma < 0 ? line.slice(i) : line.slice(i, comma));
      if (comma < 0) return out;
      i = comma + 1;
    }
  }
}

/** JSON rows: numbers (one column "value"), objects of named values, or `{ x, y }` labelled sequences. */
function fromJsonRows(file: string, json: unknown, rowOf: (i: number) => number): Table | Labelled {
  const values = Array.isArray(json) ? json : [json];
  if (values.length === 0) throw new FileError(file, 1, undefined, 'no rows (an empty array)');
  const first = values[0];
  if (typeof first === 'object' && first !== null && !Array.isArray(first) && 'x' in first && 'y' in first && Array.isArray((first as { x: unknown }).x)) return labelled(file, values, rowOf);
  if (typeof first === 'number') {
    values.forEach((v, i) => {
      if (typeof v !== 'number') throw new FileError(file, rowOf(i), '"value"', `${show(v)} is not a number (row 1 is a number, so every row is)`);
    });
    return { kind: 'table', file, names: ['value'], cells: values.map((v) => [v]), rows: values.map((_, i) => rowOf(i)) };
  }
  if (typeof first !== 'object' || first === null || Array.isArray(first)) throw new FileError(file, rowOf(0), undefined, `${show(first)}: rows are numbers, objects of named values, or { x, y } sequences`);
  const names = Object.keys(first);
  if (names.length === 0) throw new FileError(file, rowOf(0), undefined, 'an object with no values');
  const cells = values.map((v, i) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FileError(file, rowOf(i), undefined, `${show(v)} is not an object like row ${rowOf(0)}`);
    return names.map((n) => {
      if (!Object.hasOwn(v, n)) throw new FileError(file, rowOf(i), `"${n}"`, 'missing (row 1 has it)');
      return (v as Record<string, unknown>)[n];
    });
  });
  return { kind: 'table', file, names, cells, rows: values.map((_, i) => rowOf(i)) };
}

/** `{ x, y }` rows: x a sequence of numbers or of arrays (one per step, all alike), y a class label 0, 1, 2, ... */
function labelled(file: string, values: unknown[], rowOf: (i: number) => number): Labelled {
  let steps = -1;
  let width = -1;
  const x: number[][][] = [];
  const y: number[] = [];
  values.forEach((v, i) => {
    const row = rowOf(i);
    if (typeof v !== 'object' || v === null || !Array.isArray((v as { x?: unknown }).x)) throw new FileError(file, row, '"x"', 'missing: every row is { x: [...], y: label }');
    const { x: seq, y: label } = v as { x: unknown[]; y: unknown };
    if (steps < 0) steps = seq.length;
    if (seq.length === 0 || seq.length !== steps) throw new FileError(file, row, '"x"', `${seq.length} steps, row ${rowOf(0)} has ${steps} (sequences here are all one length)`);
    x.push(seq.map((step, k) => {
      const s = typeof step === 'number' ? [step] : step;
      if (width < 0 && Array.isArray(s)) width = s.length;
      if (!Array.isArray(s) || s.length !== width || s.length === 0) throw new FileError(file, row, `"x" step ${k + 1}`, `${show(step)}: each step is a number, or an array of ${width} numbers as in row ${rowOf(0)}`);
      return s.map((n, c) => {
        if (typeof n !== 'number' || !Number.isFinite(n)) throw new FileError(file, row, `"x" step ${k + 1}${width > 1 ? ` value ${c + 1}` : ''}`, `${show(n)} is not a finite number`);
        return n;
      });
    }));
    if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label > 65535) throw new FileError(file, row, '"y"', `${show(label)} is not a class label (an integer in [0, 65535])`);
    y.push(label);
  });
  return { kind: 'labelled', file, x, y, rows: values.map((_, i) => rowOf(i)) };
}

// A plain decimal number, as a CSV cell holds one (blanks around it allowed).
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

/** Column `j` of the table as finite numbers; the first cell that is not one is an error naming its row and column. */
export function numbers(table: Table, j: number): number[] {
  return table.cells.map((r, i) => {
    const cell = r[j];
    const v = typeof cell === 'number' ? cell : typeof cell === 'string' && NUMBER.test(cell) ? Number(cell) : NaN;
    if (!Number.isFinite(v)) {
      const what = cell === '' || cell === null ? 'empty: every value of a column used is a number' : `${show(cell)} is not a finite number`;
      throw new FileError(table.file, table.rows[i]!, `${j + 1} "${table.names[j]}"`, what);
    }
    return v;
  });
}

/** Is cell `j` of the first data row a number? (Which columns a table offers by default.) */
export function numericAtFirst(table: Table, j: number): boolean {
  const cell = table.cells[0]![j];
  return typeof cell === 'number' || (typeof cell === 'string' && NUMBER.test(cell));
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Parse JSON text; a syntax error names the row (line) and column (character) where the text stops being JSON. */
function parseJson(file: string, text: string, line0: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = jsonErrorAt(text);
    const before = text.slice(0, Math.max(0, at));
    const row = line0 + (before.match(/\n/g)?.length ?? 0) + 1;
    const column = at - (before.lastIndexOf('\n') + 1) + 1;
    throw new FileError(file, row, at < 0 ? undefined : `${column}`, `not valid JSON (${(error as Error).message.split('\n')[0]!.replace(/, ".*$| in JSON at position.*$/, '').slice(0, 60)})`);
  }
}

/** Where JSON text that does not parse first goes wrong (a character offset), by a small scanner; -1 if too deep to scan. */
function jsonErrorAt(t: string): number {
  let i = 0;
  const ws = () => {
    while (i < t.length && (t[i] === ' ' || t[i] === '\t' || t[i] === '\n' || t[i] === '\r')) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const str = () => {
    i++;
    while (i < t.length && t[i] !== '"') {
      if (t[i]! < ' ') fail();
      i += t[i] === '\\' ? 2 : 1;
    }
    if (i >= t.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = t[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (t[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          ws();
          if (t[i] !== '"') fail();
          str();
          ws();
          if (t[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (t[i] === ',') i++;
        else if (t[i] === close) return void i++;
        else fail();
      }
    }
    if (c === '"') return str();
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(t.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    return i < t.length ? i : t.length;
  } catch (at) {
    if (typeof at === 'number') return at;
    return -1; // a RangeError: nested deeper than the stack allows
  }
}
