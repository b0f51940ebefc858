import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium, which .ci/run installs; playwright's own browser downloads are never used. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the browser suites can run. In CI a missing chromium is an error (never a silent skip);
 * elsewhere the suites are skipped with a banner saying so and how to install it.
 */
export function chromiumAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${suite}: ${CHROMIUM} is missing in CI; .ci/run must install it (apt-get install -y chromium)`);
  console.warn(`\n*** ${suite} NOT RUN: ${CHROMIUM} is missing (apt-get install -y chromium) ***\n`);
  return false;
}

/** Start headless chromium with the flags that work in this container. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
