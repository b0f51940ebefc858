import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { CLI, cli, onTerminal } from '../helpers/cli.js';
import { markGroups, vertices } from '../helpers/svg-marks.js';

// Issue 20's CLI defects, each through the built CLI as users run it (ELMAN_CLI=old/dist/cli/main.js
// runs them against an older build, where each fails).
const dir = mkdtempSync(join(tmpdir(), 'elman-cli-defects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The loss curve's lines: one per series, each with its number of points. */
const lines = (svg: string) => markGroups(svg).filter((g) => g.type === 'line').map((g) => vertices(g.items[0]!.d).length);

describe('--plot draws the loss curve of every model', () => {
  test.each([
    ['elman', ['--model', 'elman', '--task', 'parity', '--length', '6']],
    ['gru', ['--model', 'gru', '--task', 'binaryAddition']],
    ['lstm', ['--model', 'lstm', '--task', 'sineWave']],
    ['a stack', ['--layers', 'gru:4,lstm:3', '--task', 'sineWave']],
  ])('%s: training and validation loss, one point per epoch', async (name, args) => {
    const out = join(dir, `plot-${name.replace(' ', '-')}`);
    const r = await cli(['train', ...args, '--samples', '200', '--epochs', '7', '--validation-split', '0.25', '--test-samples', '20', '--plot', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`Loss curve: ${out}/loss-curve.svg`);
    expect(readdirSync(out)).toEqual(['loss-curve.svg']);
    const svg = readFileSync(join(out, 'loss-curve.svg'), 'utf8');
    expect(lines(svg)).toEqual([7, 7]);
    expect(svg).toContain('rmsprop training');
    expect(svg).toContain('rmsprop validation');
  });

  test('without validation data the curve has the training line only', async () => {
    const out = join(dir, 'plot-train-only');
    const r = await cli(['train', '--model', 'lstm', '--task', 'sineWave', '--samples', '100', '--epochs', '5', '--test-samples', '10', '--plot', out]);
    expect(r.code).toBe(0);
    expect(lines(readFileSync(join(out, 'loss-curve.svg'), 'utf8'))).toEqual([5]);
  });

  test('an unwritable --plot is refused with exit 2 before training, for networks as for the counter', async () => {
    const r = await cli(['train', '--model', 'lstm', '--task', 'sineWave', '--plot', '/proc/elman-no-such/x']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('elman: --plot must be a folder elman can create and write (ENOENT), got "/proc/elman-no-such/x"\n');
  });
});

describe('a failed figure set leaves no folder and no partial files', () => {
  // The installed package without its optional peers: dist and package.json alone, where no node_modules holds vega.
  const bare = join(dir, 'bare');
  cpSync(dirname(dirname(CLI)), join(bare, 'dist'), { recursive: true });
  cpSync(join(dirname(dirname(CLI)), '..', 'package.json'), join(bare, 'package.json'));
  const bin = join(bare, 'dist', 'cli', 'main.js');

  test.each([
    ['elman plot', 'plots', ['plot', '--epochs', '5']],
    ['elman plot --out a/b/c', 'a', ['plot', '--epochs', '5', '--out', 'a/b/c']],
    ['elman train --plot out2', 'out2', ['train', '--epochs', '5', '--plot', 'out2']],
    ['elman train --model lstm --plot p2', 'p2', ['train', '--model', 'lstm', '--task', 'sineWave', '--epochs', '2', '--samples', '50', '--plot', 'p2']],
    ['elman plot unrolled', 'plots', ['plot', 'unrolled']],
  ])('%s without vega: one line naming the peers, exit 2, no %s folder', async (_, folder, args) => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    const r = await cli(args, { cwd, bin });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^elman: plots need the optional peer dependencies vega@\S+ vega-lite@\S+ \(npm install -E vega@\S+ vega-lite@\S+\): [^\n]*\n$/);
    expect(existsSync(join(cwd, folder))).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('on a terminal', () => {
  test('elman predict with no --input says on stderr that it reads stdin, then answers what is typed', async () => {
    const model = join(dir, 'sine.json');
    expect((await cli(['train', '--task', 'sineWave', '--samples', '50', '--epochs', '1', '--test-samples', '5', '--save', model])).code).toBe(0);
    const piped = await cli(['predict', '--model', model], { stdin: '[[1,2,3]]' });
    expect(piped.stderr).toBe('');
    const t = await onTerminal(['predict', '--model', model], { typed: '[[1,2,3]]\n\x04' });
    expect(t.code).toBe(0);
    expect(t.screen).toContain('elman predict: reading JSON sequences from stdin (end with Ctrl-D; or give --input FILE)\r\n');
    // The same answer as through a pipe.
    expect(t.screen).toContain(piped.stdout.trim());
  });

  test('a run longer than a second draws a progress line on stderr when it is a terminal; none when piped', async () => {
    // Several seconds on a quiet 2-core machine (0.4 s at 16 units and 40 epochs was too short to draw):
    // an LSTM of 32 units over 2,000 sequences of 20 steps, 100 epochs.
    const args = ['train', '--model', 'lstm', '--task', 'sineWave', '--hidden', '32', '--epochs', '100', '--log-every', '10'];
    const log = join(dir, 'progress-stdout.txt');
    const t = await onTerminal(args, { redirect: log });
    expect(t.code).toBe(0);
    const drawn = [...t.screen.matchAll(/\r\x1b\[2Kepoch (\d+)\/100 \(\d+%\), loss \d\.\d+(?:e-\d+)?, \d+\.\d s/g)];
    expect(drawn.length).toBeGreaterThan(0);
    // Wiped at the end, and stdout (here a file) never sees it.
    expect(t.screen.endsWith('\r\x1b[2K')).toBe(true);
    const stdout = readFileSync(log, 'utf8');
    expect(stdout).not.toContain('\x1b');
    const piped = await cli(args);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toBe(stdout);
  }, 180_000);
});
