// Issue 21, items 12 and 13: threads under limits, through the package entry in child Node processes.
// Item 12: where the worker pool cannot start (Node's permission model without --allow-worker, or a
// ulimit -v too low for the shared memory), 'auto' computes on one thread, as documented, and an
// explicit thread count is a ConfigError naming `threads` and the runtime's reason.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const script = resolve(root, 'test/runtimes/threads-refused.mjs');

function run(command: string, args: string[]): Record<string, unknown> {
  const text = execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(text.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

const refusal = /^ConfigError: threads must be a thread count this runtime can start \(its worker pool failed to start: /;

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
