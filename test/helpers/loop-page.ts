import type { Page } from 'playwright-core';

// Reading the learner's loop off the page: the point's ring, the arrow, the runs' marks (all SVG the page drew).

/** Type a point into the w_x and w_rec fields (as a keyboard user would) and wait for the ring to move there. */
export async function typePoint(page: Page, wx: number, wRec: number): Promise<void> {
  await page.fill('#wx', String(wx));
  await page.press('#wx', 'Tab');
  await page.fill('#wrec', String(wRec));
  await page.press('#wrec', 'Tab');
  await page.waitForFunction(([a, b]) => {
    const g = document.querySelector<SVGGElement>('#surface .point');
    return g?.dataset.wx === String(Math.fround(a!)) && g.dataset.wrec === String(Math.fround(b!));
  }, [wx, wRec]);
}

/** The ring's centre in the page's CSS pixels. */
export async function ringAt(page: Page): Promise<[number, number]> {
  const box = (await page.locator('#surface .ring').boundingBox())!;
  return [box.x + box.width / 2, box.y + box.height / 2];
}

/** A map from weights to page pixels, measured from where the ring lands for two typed points. */
export async function pixelsOf(page: Page): Promise<(wx: number, wRec: number) => [number, number]> {
  await typePoint(page, 0, 0);
  const [x0, y0] = await ringAt(page);
  await typePoint(page, 2, 1);
  const [x1, y1] = await ringAt(page);
  return (wx, wRec) => [x0 + ((x1 - x0) / 2) * wx, y0 + (y1 - y0) * wRec];
}

/** The arrow as drawn (SVG units): its ends, and the gradient the page put on it. */
export const arrow = (page: Page) =>
  page.$eval('#surface line.arrow', (l) => ({
    x1: Number(l.getAttribute('x1')), y1: Number(l.getAttribute('y1')), x2: Number(l.getAttribute('x2')), y2: Number(l.getAttribute('y2')),
    gx: Number((l as SVGElement).dataset.gx), grec: Number((l as SVGElement).dataset.grec), visible: l.getAttribute('visibility') !== 'hidden',
  }));

/** The widths of the |dL/ds_k| bars of the unrolled table, k = 1..T. */
export const barWidths = (page: Page) => page.$$eval('#ladder tbody tr[data-k] rect.bar', (r) => r.map((e) => Number(e.getAttribute('width'))));

/** A run's state in the list. */
export const runState = (page: Page, id: number) => page.getAttribute(`#runs li[data-run="${id}"]`, 'data-state');

/** Wait until run `id` has ended (done, diverged or error). */
export const runEnds = (page: Page, id: number, timeout = 60_000) =>
  page.waitForFunction((i) => ['done', 'diverged', 'error'].includes(document.querySelector(`#runs li[data-run="${i}"]`)?.getAttribute('data-state') ?? ''), id, { timeout });

/** Start a run from the current point with these settings. */
export async function run(page: Page, s: { optimizer?: string; lr?: string; epochs?: string; speed?: string }): Promise<void> {
  if (s.optimizer) await page.selectOption('#optimizer', s.optimizer);
  if (s.lr !== undefined) await page.fill('#lr', s.lr);
  if (s.epochs !== undefined) await page.fill('#epochs', s.epochs);
  if (s.speed !== undefined) await page.selectOption('#speed', s.speed);
  await page.click('#train');
}
