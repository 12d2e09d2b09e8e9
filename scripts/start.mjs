// `npm start`: builds when the sources are newer than the last build, then runs the gateway in this very process
// (so Ctrl-C and SIGTERM reach it directly). `--watch` (npm run start:dev) rebuilds the server and restarts on every
// change; the console (apps/console) is built at its start only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const main = join(root, 'dist', 'apps', 'api', 'src', 'main.js');
const stamp = join(root, 'dist', '.tsbuildinfo');
const watch = process.argv.includes('--watch');

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path)
    .filter((name) => name !== 'generated' && name !== 'node_modules')
    .reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

function step(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const sources = ['apps', 'libs', 'prisma', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];
const built = existsSync(main) && existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (watch || sources.some((source) => newest(join(root, source)) > built)) {
  console.log('arca-gateway: building (prisma generate + tsc + the console)...');
  step([join(root, 'scripts', 'prisma-generate.mjs')]);
  step([join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
  step([join(root, 'scripts', 'build-console.mjs')]);
  // tsc leaves its stamp alone when only the console changed: the build is now newer than every source.
  const now = new Date();
  utimesSync(stamp, now, now);
}

if (watch) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
    cwd: root,
    stdio: 'inherit',
  });
  spawn(process.execPath, ['--watch', main], { cwd: root, stdio: 'inherit' });
} else {
  await import(pathToFileURL(main).href);
}
