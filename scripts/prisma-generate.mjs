// Runs `prisma generate` offline. Generate does not use Prisma's native schema engine, but the CLI tries to
// download it first unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file (see ENVIRONMENT.md). Where the
// engine can be downloaded, this changes nothing.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
