import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, driven by playwright-core. `.ci/run` installs it when missing; without it these
 * tests fail and say how to get it (they are not skipped).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // This machine's closed network refuses Chromium's own background connections: it makes none here.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Every request a page makes: its URL, headers and body, to check where the key travels. */
export interface SeenRequest {
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export function recordRequests(page: Page, seen: SeenRequest[]): void {
  page.on('request', (request) => {
    seen.push({ url: request.url(), headers: request.headers(), body: request.postData() });
  });
}

/** Where the tests leave their screenshots: CONSOLE_SCREENSHOTS (docs/console for the README), else a temp dir. */
export function screenshotDir(): string {
  const dir = process.env.CONSOLE_SCREENSHOTS ?? join(tmpdir(), 'arca-console-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
