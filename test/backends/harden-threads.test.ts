// Issue 21, items 12 and 13: threads under limits, through the package entry in child Node processes.
// Item 12: where the worker pool cannot start (Node's permission model without --allow-worker, or a
// ulimit -v too low for the shared memory), 'auto' computes on one thread, as documented, and an
// explicit thread count is a ConfigError naming `threads` and the runtime's reason.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as elman from '../../dist/index.js';

const root = resolve(import.meta.dirname, '../..');
const script = resolve(root, 'test/runtimes/threads-refused.mjs');

function run(command: string, args: string[]): Record<string, unknown> {
  const text = execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(text.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

const refusal = /^ConfigError: threads must be a count this runtime can start \(its worker pool failed: /;

test.each([
  ["Node's permission model", () => run(process.execPath, ['--experimental-permission', '--allow-fs-read=*', '--no-warnings', script]), /ERR_ACCESS_DENIED/],
  ['ulimit -v 12 GB', () => run('bash', ['-c', `ulimit -v 12000000 && exec "${process.execPath}" "${script}"`]), /RangeError: WebAssembly\.Memory\(\): could not allocate memory/],
])('item 12: %s', (_, go, reason) => {
  const out = go();
  expect(out.auto).toBe(1);
  expect(out.surface).toBe(true);
  expect(out.explicit).toMatch(refusal);
  expect(out.explicit).toMatch(reason);
  expect(out.surfaceExplicit).toMatch(refusal);
}, 120_000);

test('item 12: the same script with threads allowed places on 2 threads (the control)', () => {
  const out = run(process.execPath, [script]);
  expect(out).toEqual({ auto: availableParallelism() >= 2 ? 2 : 1, explicit: 'placed', surface: true, surfaceExplicit: 'ran' });
}, 120_000);

// Item 13: a batch has at most 8 blocks, so at most 8 threads work at once: the stack's scratch is
// made for those only, and each working thread is pointed at one of them.
describe('item 13: threaded stacks reserve scratch only for threads that can get a block', () => {
  beforeAll(() => elman.init());

  test('an LSTM-256 batch of 512 × 100 binds on 64 threads (it was refused: 64 scratch areas of 80 MB)', async () => {
    const m = new elman.RNN({ inputSize: 1, layers: [{ cell: 'lstm', units: 256 }], outputSize: 1 });
    const data = { samples: 512, steps: 100, inputSize: 1, outputSize: 1, x: new Float32Array(512 * 100).fill(0.1), targets: new Float32Array(512).fill(0.5) };
    try {
      const placed = await m.placeThreaded(data, { threads: 64 });
      expect(m.bind(placed, {}).threads).toBe(64);
    } finally {
      m.dispose();
    }
  }, 300_000);

  test('16 and 3 threads give the bits of one thread, for batches of 8 and of 3 blocks', async () => {
    const layers = [{ cell: 'gru' as const, units: 5 }, { cell: 'lstm' as const, units: 4 }];
    const rng = new elman.RandomState(9);
    const data = { samples: 48, steps: 6, inputSize: 2, outputSize: 1, x: Float32Array.from({ length: 48 * 6 * 2 }, () => rng.uniform(-1, 1)), targets: Float32Array.from({ length: 48 }, () => rng.uniform(-1, 1)) };
    const results = [];
    for (const threads of [1, 3, 16]) {
      const m = new elman.RNN({ inputSize: 2, layers, outputSize: 1, seed: 3 });
      try {
        const placed = await m.placeThreaded(data, { threads });
        const b = m.bind(placed, { batchSize: 12 }); // 4 batches of 12 samples: 3 blocks each
        const full = m.bind(placed, {}); // one batch of 48: 8 blocks
        results.push([b.lossAndGrad(0), ...m.grads, b.lossAndGrad(3), ...m.grads, full.lossAndGrad(0), ...m.grads]);
      } finally {
        m.dispose();
      }
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  }, 120_000);
});
