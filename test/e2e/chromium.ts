import fs from 'node:fs';

/**
 * The browser of the end-to-end tests: Debian's Chromium (COLLAPSE_LAB_CHROMIUM names another executable). Off CI a
 * machine without it skips those tests, and the skip is reported; under CI (CI set to anything but "", "0" or
 * "false") they always run, so a missing Chromium FAILS them (requireChromium, first in their beforeAll).
 */
export const CHROMIUM = process.env.COLLAPSE_LAB_CHROMIUM || '/usr/bin/chromium';

const onCi = !['', '0', 'false'].includes((process.env.CI ?? '').trim().toLowerCase());

export const skipBrowserTests = !onCi && !fs.existsSync(CHROMIUM);

export function requireChromium(): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install the Debian package chromium (.ci/run does), or set COLLAPSE_LAB_CHROMIUM`);
  }
}

/** The switches every test starts it with: headless, no sandbox (containers), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
