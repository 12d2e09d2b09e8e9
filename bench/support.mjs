// Helpers shared by the bench's parts: free ports, percentiles, child processes that say when they are ready.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { createServer } from 'node:net';

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 1000 });

/**
 * POST `body` (a JSON string) with node:http on kept-alive connections: the load's client. `fetch` costs this
 * process about three times the CPU per request (1.1 against 0.4 ms, one lane at 400 clients), CPU the gateway,
 * its database and the sandbox share on a 2-core machine.
 */
export function postJson(url, headers, body) {
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      {
        method: 'POST',
        agent: keepAlive,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

/**
 * Starts `node <args>` with `env` and waits for `ready` on its standard output. `keepLines`: remember every line
 * it prints (the sandbox's request log, to count calls).
 */
export async function startProcess(args, env, ready, keepLines = false) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = [];
  let buffer = '';
  const read = (chunk) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      if (keepLines) lines.push(line);
      if (line.includes(ready)) child.emit('ready');
    }
  };
  child.stdout.on('data', read);
  await new Promise((resolve, reject) => {
    child.once('ready', resolve);
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
  if (!keepLines) {
    // Past `ready` its lines are only drained, not split: a gateway's request log would cost the bench CPU that
    // the gateway shares on a small machine.
    child.stdout.off('data', read);
    child.stdout.resume();
  }
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  return { ms: performance.now() - started, stop, pid: child.pid, lines, child };
}

const dist = process.env.BENCH_DIST ?? join(import.meta.dirname, '..', 'dist');

/**
 * The standalone sandbox and one gateway on an embedded PostgreSQL, both from dist/ and both in `dataDir`, the
 * gateway pointed at the sandbox. `keepSandboxLines`: remember the sandbox's request log (to count calls).
 */
export async function startSandboxAndGateway(dataDir, { keepSandboxLines = false, env = {} } = {}) {
  const sandboxUrl = `http://127.0.0.1:${await freePort()}`;
  const sandbox = await startProcess(
    [join(dist, 'apps', 'sandbox', 'src', 'main.js')],
    { DATA_DIR: dataDir, SANDBOX_PORT: new URL(sandboxUrl).port },
    'ARCA sandbox listening',
    keepSandboxLines,
  );
  const adminKey = `bench-${Math.random().toString(36).slice(2)}-0123456789abcdefghijklmnop`;
  const port = await freePort();
  const gateway = await startProcess(
    [join(dist, 'apps', 'api', 'src', 'main.js')],
    {
      PORT: String(port),
      EMBEDDED_DB_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      AFIP_WSAA_URL: `${sandboxUrl}/ws/services/LoginCms`,
      AFIP_WSFE_URL: `${sandboxUrl}/wsfev1/service.asmx`,
      ADMIN_API_KEY: adminKey,
      RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    'arca-gateway ready',
  );
  return { sandbox, sandboxUrl, gateway, base: `http://127.0.0.1:${port}`, adminKey };
}

/** A Factura B detail of 121 to a final consumer (100 + 21 % IVA); `items`: with the line sold. */
export function consumerDetail(items = false) {
  return {
    Concepto: 1,
    DocTipo: 99,
    DocNro: 0,
    ImpTotal: 121,
    ImpTotConc: 0,
    ImpNeto: 100,
    ImpOpEx: 0,
    ImpTrib: 0,
    ImpIVA: 21,
    MonId: 'PES',
    MonCotiz: 1,
    CondicionIVAReceptorId: 5,
    Iva: { AlicIva: { Id: 5, BaseImp: 100, Importe: 21 } },
    ...(items ? { Items: [{ Description: 'Artículo', Quantity: 1, UnitPrice: 100, AlicIvaId: 5 }] } : {}),
  };
}

/** POST /v1/invoices's body: `count` consumer details (one object when 1) on CbteTipo 6. */
export function consumerInvoice(cuit, ptoVta, count, items = false) {
  return JSON.stringify({
    Auth: { Cuit: cuit },
    FeCAEReq: {
      FeCabReq: { CantReg: count, PtoVta: ptoVta, CbteTipo: 6 },
      FeDetReq: {
        FECAEDetRequest:
          count === 1 ? consumerDetail(items) : Array.from({ length: count }, () => consumerDetail(items)),
      },
    },
  });
}
