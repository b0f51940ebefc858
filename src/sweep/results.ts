// A sweep's results: one entry per run (done or failed), ranked by a metric, exported as CSV or JSON.

import { ConfigError } from '../errors.js';
import type { RunResult } from './run.js';

/** A metric runs are ranked by: the final training loss, the held-out loss, or the wall time. */
export type Metric = 'loss' | 'valLoss' | 'ms';

const metricOf = (r: RunResult, by: Metric): number | undefined => (by === 'ms' ? r.history?.ms : r.metrics?.[by]);

/** Quote a CSV field when it holds a comma, quote or line break. */
const field = (v: unknown): string => {
  const s = v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** The runs of a sweep, in the sweep's order. */
export class SweepResults {
  /** Every run with a result, in the sweep's order. */
  readonly runs: readonly RunResult[];

  constructor(runs: Iterable<RunResult>) {
    this.runs = [...runs].sort((a, b) => a.index - b.index);
  }

  /** Runs that finished. */
  get done(): RunResult[] {
    return this.runs.filter((r) => r.status === 'done');
  }

  /** Runs recorded as failed (their `error` says why). */
  get failed(): RunResult[] {
    return this.runs.filter((r) => r.status === 'failed');
  }

  /** The finished run with the lowest `by` (default 'valLoss'; ties: the earlier run); undefined when none has it. */
  best({ by = 'valLoss' }: { by?: Metric } = {}): RunResult | undefined {
    if (!['loss', 'valLoss', 'ms'].includes(by)) throw new ConfigError('by', by, "'loss', 'valLoss' or 'ms'");
    let best: RunResult | undefined;
    for (const r of this.done) {
      const v = metricOf(r, by);
      if (v !== undefined && Number.isFinite(v) && (best === undefined || v < metricOf(best, by)!)) best = r;
    }
    return best;
  }

  /** One row per run: id, status, the varied values, metrics, epochs, ms, error. */
  table(): Array<Record<string, unknown>> {
    const paths = [...new Set(this.runs.flatMap((r) => Object.keys(r.params)))];
    return this.runs.map((r) => ({
      id: r.id,
      status: r.status,
      ...Object.fromEntries(paths.map((p) => [p, r.params[p]])),
      loss: r.metrics?.loss,
      valLoss: r.metrics?.valLoss,
      epochs: r.history?.epochs,
      ms: r.history && Math.round(r.history.ms * 10) / 10,
      attempts: r.attempts,
      error: r.error?.message,
    }));
  }

  /** The table as CSV (a header line, then one line per run). */
  toCSV(): string {
    const rows = this.table();
    const columns = rows.length ? Object.keys(rows[0]!) : ['id', 'status'];
    return [columns.join(','), ...rows.map((row) => columns.map((c) => field(row[c])).join(','))].join('\n') + '\n';
  }

  /** Every run in full (config, history, metrics, model), as JSON-ready objects. */
  toJSON(): RunResult[] {
    return [...this.runs];
  }
}
