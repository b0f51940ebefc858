// The site `npm run docs` builds (TypeDoc's API reference with the README as its front page and the
// guides of docs/*.md as pages, plus the built playground) builds without a warning (every public member
// documented, but the few listed in typedoc.json's intentionallyNotDocumented; every type a public
// signature uses exported; no broken {@link} or relative link), sorts the API into its categories with
// the plumbing under Low level, and works from a sub-path: every link and asset of every page is relative
// and resolves to a file of the site, and Chromium loads the pages from /docs/elman-rnn/ without a
// failed request or an error.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { serveStatic } from '../helpers/static-server.js';

const root = resolve(import.meta.dirname, '../..');
/** The site is built here and served from this sub-path, as on a project page. */
const SERVED = join(root, 'test-artifacts', 'docs-site');
const SUB_PATH = '/docs/elman-rnn';
const site = join(SERVED, SUB_PATH);

/** Every file of the site, relative to its root. */
function files(dir = site): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [relative(site, join(dir, e.name))]));
}

let typedocOutput = '';
beforeAll(async () => {
  rmSync(SERVED, { recursive: true, force: true });
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['node_modules/typedoc/bin/typedoc', '--out', site, '--logLevel', 'Warn'], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  typedocOutput = (stdout + stderr).trim();
  // As `npm run docs` does: the playground built into the site's playground/.
  await build({ configFile: join(root, 'playground/vite.config.ts'), logLevel: 'error', build: { outDir: join(site, 'playground'), emptyOutDir: true } });
}, 600_000);

test('TypeDoc over elman-rnn and elman-rnn/plots reports no warning, and no internal leaks into the API', async () => {
  expect(typedocOutput).toBe('');
  const index = await import('../../src/index.js');
  for (const internal of ['setDefaultModule', 'trainInCore', 'loadCore', 'core', 'renderSvg']) expect(Object.keys(index)).not.toContain(internal);
});

test('the front page is the README, and every guide of docs/*.md is a page of the site', () => {
  const front = readFileSync(join(site, 'index.html'), 'utf8');
  expect(front).toContain('A first model on your own data');
  const guides = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'));
  expect(guides.length).toBeGreaterThanOrEqual(5);
  for (const guide of guides) {
    expect(existsSync(join(site, 'documents', guide.replace(/\.md$/, '.html'))), guide).toBe(true);
    expect(front, `the front page links ${guide}`).toContain(`href="documents/${guide.replace(/\.md$/, '.html')}"`);
  }
  expect(front).toContain('href="playground/index.html"');
});

test('the API is sorted by what a user looks for, with the plumbing under Low level', () => {
  const html = readFileSync(join(site, 'modules', 'index.html'), 'utf8');
  // The page's own sections (the sidebar repeats their keys later, empty).
  const sections = new Map<string, string[]>();
  for (const m of html.matchAll(/data-key="section-([^"]+)"([\s\S]*?)<\/details>/g)) {
    if (!sections.has(m[1]!)) sections.set(m[1]!, [...m[2]!.matchAll(/<a href="\.\.\/[^"]+\.html">([^<]+)<\/a>/g)].map((a) => a[1]!));
  }
  expect([...sections.keys()]).toEqual(['Models', 'Training', 'Data and time series', 'Interop and serving', 'Plots', 'Errors', 'Low level']);
  const expected: Record<string, string[]> = {
    Models: ['init', 'LinearRNN', 'ElmanRNN', 'RNN', 'RNNOptions'],
    Training: ['train', 'trainSync', 'adam', 'rmsprop', 'gradCheck', 'TrainOptions', 'History'],
    'Data and time series': ['windows', 'splitByTime', 'Scaler', 'RandomState', 'countOnes', 'Sequences'],
    'Interop and serving': ['fromTfjs', 'toTfjs', 'loadTfjs', 'saveTfjs', 'Predictor'],
    Plots: ['lossSurface', 'gradientFlow'],
    Errors: ['ElmanError', 'ConfigError', 'DivergenceError'],
    'Low level': ['BatchBinding', 'BatchWork', 'Binding', 'Checkable', 'checkInputs', 'sliceSamples'],
  };
  for (const [category, names] of Object.entries(expected)) expect(sections.get(category), category).toEqual(expect.arrayContaining(names));
  const plots = readFileSync(join(site, 'modules', 'plots.html'), 'utf8');
  expect(plots).toMatch(/data-key="section-Plots"[\s\S]*renderSvg/);
});

test('every link and asset of every page is relative and resolves to a file of the site', () => {
  const pages = files().filter((f) => f.endsWith('.html'));
  expect(pages.length).toBeGreaterThan(100);
  const broken: string[] = [];
  for (const page of pages) {
    const html = readFileSync(join(site, page), 'utf8');
    for (const m of html.matchAll(/\b(?:href|src)="([^"]*)"/g)) {
      const url = m[1]!;
      if (url === '' || url.startsWith('#') || /^(https?:|mailto:|data:)/.test(url)) continue;
      if (url.startsWith('/') || /^[a-z]+:/i.test(url)) {
        broken.push(`${page}: ${url} is not relative`);
        continue;
      }
      const target = resolve(site, dirname(page), decodeURIComponent(url.split(/[?#]/)[0]!));
      if (!target.startsWith(site) || !existsSync(target)) broken.push(`${page}: ${url} does not resolve`);
    }
  }
  expect(broken).toEqual([]);
});

describe.runIf(chromiumAvailable('docs site'))('Chromium loads the site from a sub-path', () => {
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    // The domain root's favicon is the host's, not the site's: Chromium asks for it on the first page.
    server = await serveStatic(SERVED, { '/favicon.ico': '' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test.each([
    ['index.html', 'A first model on your own data', 'docs-site-front'],
    ['documents/models.html', 'RNN: GRU, LSTM and stacks', 'docs-site-guide'],
    ['classes/index.RNN.html', "import { init, RNN } from 'elman-rnn'", 'docs-site-rnn'],
    ['playground/index.html', 'Train', 'docs-site-playground'],
  ])('%s', async (path, text, shot) => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const failed: string[] = [];
    const errors: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    page.on('requestfailed', (r) => failed.push(`failed ${r.url()}`));
    page.on('pageerror', (e) => errors.push(String(e)));
    // A stylesheet or script refused (a wrong path or type) shows up here, not as a failed response.
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${server.url}${SUB_PATH}/${path}`, { waitUntil: 'networkidle' });
    expect(await page.textContent('body')).toContain(text);
    // TypeDoc's pages show their body once their script has run; the playground's is shown at once.
    await page.waitForFunction(() => document.body.style.display !== 'none' && document.styleSheets.length > 0);
    await page.waitForTimeout(300);
    // The first screenful, looked at by eye (test-artifacts/ is kept by CI).
    await page.screenshot({ path: join(root, 'test-artifacts', `${shot}.png`) });
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
