// TypeDoc plugin for `npm run docs`: header links to other parts of the one static site (the playground
// built beside the API reference) are written `site:<path>` in typedoc.json's navigationLinks and made
// relative to each page here, so the site works from any sub-path (TypeDoc writes those links verbatim).
import { PageEvent } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.renderer.on(PageEvent.END, (page) => {
    if (!page.contents) return;
    const up = '../'.repeat(page.url.split('/').length - 1);
    page.contents = page.contents.replaceAll('href="site:', `href="${up}`);
  });
}
