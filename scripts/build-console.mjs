// Builds the browser console into dist/apps/console: its TypeScript compiled for the browser (ES modules, no
// bundler, nothing fetched at run time) and its static files copied beside it. The gateway serves that folder.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/apps/console`;
rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', `${root}apps/console/tsconfig.json`], { stdio: 'inherit' });
cpSync(`${root}apps/console/public`, out, { recursive: true });
