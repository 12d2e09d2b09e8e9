// The soak's world: one PostgreSQL, the ARCA sandbox (standalone, or embedded in the first gateway) and one or two
// gateway replicas, all built from dist/ and run as their own processes, as in production.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort, startProcess } from '../support.mjs';

const dist = process.env.BENCH_DIST ?? join(import.meta.dirname, '..', '..', 'dist');

/**
 * `replicas`: 1 or 2 gateways on one database. `sandbox`: 'embedded' (inside the first gateway; one replica only)
 * or 'standalone' (its own process). `heapMb`: each gateway's --max-old-space-size.
 */
export async function startWorld({
  replicas = 1,
  sandbox = replicas > 1 ? 'standalone' : 'embedded',
  heapMb = 1024,
}) {
  if (sandbox === 'embedded' && replicas > 1) throw new Error('two replicas need the standalone sandbox');
  const dataDir = mkdtempSync(join(tmpdir(), 'arca-soak-'));
  chmodSync(dataDir, 0o755); // the embedded PostgreSQL may run as another user (root starts it as postgres)
  const { EmbeddedPostgres } = await import(join(dist, 'libs', 'database', 'src', 'index.js'));
  const database = await EmbeddedPostgres.start({
    dataDir: join(dataDir, 'pg'),
    port: await freePort(),
    database: 'soak',
  });
  const sandboxPort = await freePort();
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const processes = [];
  let standalone;
  if (sandbox === 'standalone') {
    mkdirSync(join(dataDir, 'sandbox'), { recursive: true });
    standalone = await startProcess(
      [join(dist, 'apps', 'sandbox', 'src', 'main.js')],
      {
        DATA_DIR: join(dataDir, 'sandbox-data'),
        SANDBOX_PORT: String(sandboxPort),
        SANDBOX_STATE_FILE: join(dataDir, 'sandbox', 'state.jsonl'),
      },
      'ARCA sandbox listening',
    );
    processes.push({ name: 'sandbox', pid: standalone.pid });
  }
  const adminKey = `soak-${Math.random().toString(36).slice(2)}-0123456789abcdefghijklmnop`;
  // Replicas share the ticket store, so they share its key.
  const ticketKey = randomBytes(32).toString('hex');
  const gateways = [];
  for (let index = 0; index < replicas; index += 1) {
    const port = await freePort();
    const own = join(dataDir, `gateway-${index}`);
    mkdirSync(own, { recursive: true });
    // Certificates for the standalone sandbox come from its CA: the gateway finds it in DATA_DIR/sandbox.
    if (standalone) symlinkSync(join(dataDir, 'sandbox-data', 'sandbox'), join(own, 'sandbox'));
    const child = await startGateway(
      [`--max-old-space-size=${heapMb}`, join(dist, 'apps', 'api', 'src', 'main.js')],
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: own,
        DATABASE_URL: database.url,
        ADMIN_API_KEY: adminKey,
        TICKET_ENCRYPTION_KEY: ticketKey,
        RATE_LIMIT_PER_MINUTE: '0',
        REFUSAL_LIMIT_PER_MINUTE: '0',
        NTP_SERVER: '127.0.0.1:9',
        // Warnings and errors only: a line per request would cost the soak more than the gateway.
        LOG_LEVEL: 'warn',
        ...(sandbox === 'standalone'
          ? {
              AFIP_WSAA_URL: `${sandboxUrl}/ws/services/LoginCms`,
              AFIP_WSFE_URL: `${sandboxUrl}/wsfev1/service.asmx`,
              AFIP_PADRON_URL: `${sandboxUrl}/sr-padron/webservices/personaServiceA5`,
            }
          : { SANDBOX_PORT: String(sandboxPort) }),
      },
      `http://127.0.0.1:${port}`,
    );
    gateways.push({ url: `http://127.0.0.1:${port}`, child });
    processes.push({ name: `gateway-${index}`, pid: child.pid });
  }
  return {
    dataDir,
    database,
    sandboxUrl,
    adminKey,
    gateways,
    processes,
    async stop() {
      for (const gateway of gateways) await gateway.child.stop();
      await standalone?.stop();
      await database.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A gateway with its logs passed through to this process's stderr, ready when /health/live answers. */
async function startGateway(args, env, url) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The last lines it logged, printed if it dies.
  const tail = [];
  let errors = 0;
  const keep = (chunk) => {
    const lines = chunk.toString().split('\n').filter(Boolean);
    // The first errors it logs (level 50 and above) go to this process's stderr as they come.
    for (const line of lines)
      if (/"level":(5|6)0/.test(line) && errors++ < 20) console.error(line.slice(0, 2000));
    tail.push(...lines.map((line) => line.slice(0, 500)));
    tail.splice(0, Math.max(0, tail.length - 50));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode} before it was ready`);
    const live = await fetch(`${url}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (live) break;
    if (Date.now() > deadline) throw new Error('gateway not ready in 120 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    child,
    pid: child.pid,
    tail,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}
