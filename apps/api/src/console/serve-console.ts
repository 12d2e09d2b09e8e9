import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';

/**
 * The browser console's files as `npm run build` leaves them (dist/apps/console): beside this module once built,
 * or under dist/ when the gateway runs from its sources (tests).
 */
export function consoleDir(): string | undefined {
  return [
    new URL('../../../console/', import.meta.url),
    new URL('../../../../dist/apps/console/', import.meta.url),
  ]
    .map((url) => fileURLToPath(url))
    .find((dir) => existsSync(`${dir}index.html`));
}

/**
 * The page may load only its own files and talk only to this gateway; it is never framed, and it sends no
 * referrer. The key it holds therefore reaches no other origin.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(response: ServerResponse): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  // A new build must reach the browser at once: the files are small, and revalidated each time.
  response.setHeader('Cache-Control', 'no-cache');
}

/** Serves the console at /console/ (static files only: every call it makes goes through the API and its key). */
export function serveConsole(app: NestExpressApplication): void {
  const dir = consoleDir();
  if (!dir) {
    new Logger('Console').warn('console files not found (run npm run build): /console is not served');
    return;
  }
  // Mounted at /console: serve-static redirects /console to /console/, where index.html answers.
  app.useStaticAssets(dir, { prefix: '/console', setHeaders: securityHeaders, index: 'index.html' });
}
