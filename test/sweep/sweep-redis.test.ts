// The Redis path through the doors users use: a real redis-server (Debian's, on a free port, nothing
// persisted), `elman sweep --redis` and three `elman worker` processes from the built CLI, one of
// them killed with SIGKILL mid-run. Every run's result must be stored exactly once and equal, bit
// for bit, to the embedded runner's; BullMQ's own event stream is the witness of the stall and of
// each completion.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { canonical, expand, sweep, worker, type RunResult } from '../../dist/sweep/index.js';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis.js';
import { forecasterSpec } from '../helpers/sweep-spec.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const run = redisAvailable('sweep-redis') ? describe : describe.skip;

/** A CLI process whose output is collected; `line(re)` resolves at the first line matching. */
function start(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: Array<[RegExp, (m: RegExpMatchArray) => void]> = [];
  const scan = () => {
    for (const w of [...waiters]) {
      const m = out.match(w[0]);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w[1](m);
      }
    }
  };
  child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), scan()));
  child.stderr!.on('data', (d: Buffer) => ((out += d.toString()), scan()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    exited,
    output: () => out,
    line: (re: RegExp) => new Promise<RegExpMatchArray>((resolve) => (waiters.push([re, resolve]), scan())),
  };
}

/** BullMQ's event stream of a queue: [event, jobId] pairs in order. */
function events(redis: RedisServer, queue: string): Array<[string, string]> {
  const text = redis.cli('--no-raw', 'XRANGE', `bull:${queue}:events`, '-', '+');
  const pairs: Array<[string, string]> = [];
  // --no-raw prints each field on its own numbered line: collect the fields of each entry.
  const fields = [...text.matchAll(/^\s*(?:\d+\)\s*)+"(.*)"$/gm)].map((m) => m[1]!);
  for (let i = 0; i < fields.length; i++) {
    if (fields[i] === 'event') {
      const event = fields[i + 1]!;
      const j = fields.indexOf('jobId', i);
      // Job ids are 'run-' + the run id.
      pairs.push([event, j > i && j < i + 8 ? fields[j + 1]!.replace(/^run-/, '') : '']);
    }
  }
  return pairs;
}

/** A result's bits: model weights, history and metrics, in canonical JSON (float32 values print exactly). */
const bits = (r: RunResult) => canonical({ model: r.model, loss: r.history!.loss, valLoss: r.history!.valLoss, metrics: r.metrics });

run('sweep on BullMQ and a real Redis', () => {
  let redis: RedisServer;
  let dir: string;
  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'elman-sweep-redis-'));
  });
  afterAll(async () => {
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('3 CLI workers, one SIGKILLed mid-run: every run stored exactly once, bit for bit the embedded runner\'s', async () => {
    const spec = forecasterSpec('kill', 12);
    const file = join(dir, 'kill.json');
    writeFileSync(file, JSON.stringify(spec));
    const out = join(dir, 'out');
    const workers = [0, 1, 2].map(() => start(['worker', '--redis', redis.url, '--name', 'kill', '--concurrency', '1', '--lock-ms', '2000']));
    try {
      await Promise.all(workers.map((w) => w.line(/^worker \d+: 1 thread/m)));
      const cli = start(['sweep', file, '--redis', redis.url, '--out', out]);
      // Worker 0 takes its next run as it stores one (BullMQ fetches the next job in the same step): kill it then.
      await workers[0]!.line(/^stored [0-9a-f]{16}/m);
      await new Promise((r) => setTimeout(r, 50));
      workers[0]!.child.kill('SIGKILL');
      const code = await cli.exited;
      expect(cli.output()).toMatch(/^done: 12 runs, 0 failed; best by valLoss: [0-9a-f]{16}/m);
      expect(code).toBe(0);

      const ids = expand(spec).map((r) => r.id);
      const stored = readdirSync(join(out, 'runs')).filter((n) => n.endsWith('.json'));
      expect(stored.sort()).toEqual(ids.map((id) => `${id}.json`).sort());

      // BullMQ's events: the killed worker's run stalled and went back to wait; each run completed once.
      const ev = events(redis, 'elman-kill');
      const stalled = ev.filter(([e]) => e === 'stalled').map(([, id]) => id);
      const completed = ev.filter(([e]) => e === 'completed').map(([, id]) => id);
      expect(stalled.length).toBeGreaterThanOrEqual(1);
      expect(completed.sort()).toEqual([...ids].sort());
      const storedBy = workers.map((w) => [...w.output().matchAll(/^stored ([0-9a-f]{16})/gm)].map((m) => m[1]!));
      for (const id of stalled) {
        expect(storedBy[0]).not.toContain(id);
        expect([...storedBy[1]!, ...storedBy[2]!]).toContain(id);
      }
      expect(storedBy.flat().sort()).toEqual([...ids].sort()); // stored once in all, by the workers' own logs too

      // The same sweep on the embedded runner (worker threads here): the same bits for every run.
      const embedded = await sweep(spec, { concurrency: 2 });
      const remote = new Map(stored.map((n) => [n.slice(0, -5), JSON.parse(readFileSync(join(out, 'runs', n), 'utf8')) as RunResult]));
      let equal = 0;
      for (const r of embedded.runs) {
        expect(r.status).toBe('done');
        expect(bits(remote.get(r.id)!)).toBe(bits(r));
        equal++;
      }
      expect(equal).toBe(12);
      console.log(
        `kill test: worker ${workers[0]!.child.pid} SIGKILLed after storing ${storedBy[0]!.length} run(s); BullMQ events: ${stalled.length} stalled (${stalled.join(', ')}), ` +
          `${completed.length} completed for ${ids.length} runs (each once); stored by the 3 workers: ${storedBy.map((s) => s.length).join(' + ')}; ` +
          `${equal}/12 results bit for bit equal to the embedded runner's\n${cli.output().trim()}`,
      );
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
    }
  }, 240_000);

  test('a run that throws is retried, then recorded failed with its error after `attempts`; cancel() removes waiting runs', async () => {
    const base = forecasterSpec('fail', 1, { epochs: 2 });
    // The first run's id is all decimal digits (BullMQ refuses such job ids: elman's job ids carry a prefix);
    // the second run's batch size is not an integer: train refuses it, every attempt.
    let seed = 0;
    while (!/^\d+$/.test(expand({ ...base, list: [{ 'model.seed': seed }] })[0]!.id)) seed++;
    const spec = { ...base, list: [{ 'model.seed': seed }, { 'train.batchSize': 6.5 }] };
    expect(expand(spec)[0]!.id).toMatch(/^\d{16}$/);
    const w = await worker({ redis: redis.url, name: 'fail', concurrency: 1, lockMs: 2000 });
    try {
      const results = await sweep(spec, { redis: redis.url, attempts: 2 });
      expect(results.done).toHaveLength(1);
      expect(results.failed).toHaveLength(1);
      const failed = results.failed[0]!;
      expect(failed.attempts).toBe(2);
      expect(failed.error).toMatchObject({ name: 'ConfigError' });
      expect(failed.error!.message).toMatch(/batchSize/);
      expect(results.toCSV().split('\n')[2]).toMatch(/failed/);
    } finally {
      await w.close();
    }
    // Data by reference: a key of the workers' Redis, read by the worker; the same bits as the series inline.
    const inline = forecasterSpec('keyed', 1, { epochs: 3 });
    redis.cli('SET', 'elman-test:series', JSON.stringify({ series: inline.perSeries[0] }));
    const { perSeries, ...keyed } = { ...inline, name: 'keyed', data: { ...inline.data, key: 'elman-test:series' } };
    const w2 = await worker({ redis: redis.url, name: 'keyed', concurrency: 1 });
    try {
      const [byKey] = (await sweep(keyed, { redis: redis.url })).runs;
      const [byValue] = (await sweep(inline)).runs;
      expect(perSeries).toHaveLength(1);
      expect(byKey!.status).toBe('done');
      expect(byKey!.config.data).toEqual({ ...inline.data, key: 'elman-test:series' });
      expect(bits(byKey!)).toBe(bits(byValue!));
    } finally {
      await w2.close();
    }
    // No worker: every run waits; cancel removes them all from the queue.
    const waiting = forecasterSpec('cancel', 5, { epochs: 2 });
    const s = sweep(waiting, { redis: redis.url });
    await new Promise<void>((r) => s.once('start', () => r()));
    // The runs are added just after 'start': wait until BullMQ holds them.
    for (let i = 0; i < 100 && redis.cli('LLEN', 'bull:elman-cancel:wait').trim() !== '5'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(redis.cli('LLEN', 'bull:elman-cancel:wait').trim()).toBe('5');
    expect(await s.cancel()).toBe(5);
    expect((await s).runs).toHaveLength(0);
    expect(redis.cli('LLEN', 'bull:elman-cancel:wait').trim()).toBe('0');
  }, 120_000);
});
