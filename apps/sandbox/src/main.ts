// `npm run sandbox`: the ARCA sandbox on its own. Environment: SANDBOX_PORT (8081), SANDBOX_HOST (127.0.0.1),
// DATA_DIR (./.data; the CA lives in DATA_DIR/sandbox), SANDBOX_ALREADY_AUTHENTICATED_SECONDS (120),
// SANDBOX_FAULTS (a JSON array of fault rules, as POST /__sandbox/faults takes them), SANDBOX_STATE_FILE (keep
// vouchers and numbering in this JSON file across restarts; default: memory only).
import { join, resolve } from 'node:path';
import { parseFaultRule } from './faults.js';
import { projectPath } from '#libs/paths';
import { startSandbox } from './sandbox.js';

function fail(message: string): never {
  console.error(`arca-sandbox: ${message}`);
  process.exit(1);
}

const env = process.env;
const port = Number(env.SANDBOX_PORT ?? 8081);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`SANDBOX_PORT must be an integer from 0 to 65535 (got "${env.SANDBOX_PORT}")`);
const windowSeconds = Number(env.SANDBOX_ALREADY_AUTHENTICATED_SECONDS ?? 120);
if (!(windowSeconds >= 0)) fail('SANDBOX_ALREADY_AUTHENTICATED_SECONDS must be a number of seconds');
let faults: ReturnType<typeof parseFaultRule>[] = [];
try {
  faults = JSON.parse(env.SANDBOX_FAULTS ?? '[]').map(parseFaultRule);
} catch (error) {
  fail(
    `SANDBOX_FAULTS must be a JSON array of fault rules: ${error instanceof Error ? error.message : String(error)}`,
  );
}

const sandbox = await startSandbox({
  port,
  host: env.SANDBOX_HOST ?? '127.0.0.1',
  stateDir: join(resolve(env.DATA_DIR ?? '.data'), 'sandbox'),
  wsdlDir: projectPath('wsdl'),
  alreadyAuthenticatedMs: windowSeconds * 1000,
  stateFile: env.SANDBOX_STATE_FILE ? resolve(env.SANDBOX_STATE_FILE) : undefined,
  faults,
  log: (line) => console.log(`${new Date().toISOString()} ${line}`),
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
