// npm run bench [-- part ...]: figures for the gateway as it stands. Prints, never asserts: targets live in the
// issues' notes. Parts (all by default):
//  - gateway: start-up to "ready" on a fresh data directory (initdb included) and on an existing one; latency of
//    GET /health/ready (a database round trip) and GET /health/live, sequential and concurrent; the auditor API on
//    1,000,000 generated invoices, and CSV exports from a gateway whose heap is capped at 128 MB;
//  - invoices: POST /v1/invoices against the sandbox as its own process, with ARCA's latency (bench/invoices.mjs);
//  - noisy: one tenant's 250-voucher requests from 40 connections against another's sequential sales (bench/noisy.mjs);
//  - codec: the project's SOAP codec against the soap package on a 250-voucher FECAESolicitar (bench/codec.mjs);
//  - pdf: printed invoices, A4 and 80 mm ticket, from the voucher's data to the PDF's bytes (bench/pdf.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { codecFigures } from './codec.mjs';
import { invoiceFigures } from './invoices.mjs';
import { noisyFigures } from './noisy.mjs';
import { pdfFigures } from './pdf.mjs';

const PARTS = ['gateway', 'invoices', 'noisy', 'codec', 'pdf'];
const wanted = process.argv.slice(2).filter((arg) => PARTS.includes(arg));
const parts = new Set(wanted.length > 0 ? wanted : PARTS);

const main = join(import.meta.dirname, '..', 'dist', 'apps', 'api', 'src', 'main.js');

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startGateway(env) {
  const started = performance.now();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      if (buffer.includes('arca-gateway ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
  const stop = () =>
    new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  return { ms: performance.now() - started, stop, pid: child.pid };
}

/** Resident memory of a process, in MB (Linux). */
function rssMb(pid) {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function latency(url, total, concurrency, headers = {}) {
  const samples = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t0 = performance.now();
        const response = await fetch(url, { headers });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
        samples.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), rps: total / seconds };
}

const dataDir = mkdtempSync(join(tmpdir(), 'arca-bench-'));
const env = {
  PORT: String(await freePort()),
  EMBEDDED_DB_PORT: String(await freePort()),
  SANDBOX_PORT: String(await freePort()),
  DATA_DIR: dataDir,
  ADMIN_API_KEY: `bench-${Math.random().toString(36).slice(2)}-0123456789abcdefghijklmnop`,
  // The bench measures throughput, not the per-key limit.
  RATE_LIMIT_PER_MINUTE: '0',
};
const dist = join(import.meta.dirname, '..', 'dist');
const { generatedInvoicesSql, GENERATED_CUITS } = await import(
  join(dist, 'libs', 'testing', 'src', 'generated-invoices.js')
);

/** The auditor API on 1,000,000 generated invoices (GENERATED_CUITS, 120 lanes of about 8,333 numbers). */
async function auditFigures(base) {
  const figures = [];
  const password = readFileSync(join(dataDir, 'postgres.password'), 'utf8').trim();
  const db = new pg.Client({
    connectionString: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${env.EMBEDDED_DB_PORT}/arca_gateway`,
  });
  await db.connect();
  const t0 = performance.now();
  for (let batch = 0; batch < 10; batch += 1)
    await db.query(generatedInvoicesSql(100_000, { offset: batch * 100_000 }));
  await db.end();
  figures.push(['audit: 1,000,000 invoices generated', `${((performance.now() - t0) / 1000).toFixed(1)} s`]);
  const admin = { authorization: `Bearer ${env.ADMIN_API_KEY}` };
  const created = await fetch(`${base}/v1/api-keys`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'bench auditor',
      role: 'auditor',
      cuits: [GENERATED_CUITS[0], GENERATED_CUITS[1]],
    }),
  }).then((response) => response.json());
  const auditor = { authorization: `Bearer ${created.key}` };
  const [c0] = GENERATED_CUITS;
  const middle = await fetch(`${base}/v1/audit/invoices?cuit=${c0}&ptoVta=3&cbteTipo=6&limit=100`, {
    headers: auditor,
  }).then((response) => response.json());
  // The dates run through 2025 with the numbers: December is the end of every lane, the worst case for a date filter.
  const month = `cuit=${c0}&cbteFchFrom=20251201&cbteFchTo=20251231&limit=100`;
  const december = await fetch(`${base}/v1/audit/invoices?${month}`, { headers: auditor }).then((response) =>
    response.json(),
  );
  for (const [name, query] of [
    ["auditor's CUITs, first page of 100", 'limit=100'],
    [
      'one lane, a page after a cursor',
      `cuit=${c0}&ptoVta=3&cbteTipo=6&limit=100&cursor=${middle.nextCursor}`,
    ],
    ['one CUIT, last month of its history', month],
    ['one CUIT, last month, a page after a cursor', `${month}&cursor=${december.nextCursor}`],
    ['one CAE', 'cae=70000000432101'],
    ['one receiver', 'docTipo=96&docNro=20004321'],
    ['rejected only', 'resultado=R&limit=100'],
  ]) {
    const r = await latency(`${base}/v1/audit/invoices?${query}`, 300, 1, auditor);
    figures.push([
      `  GET /v1/audit/invoices, ${name}`,
      `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`,
    ]);
  }
  return figures;
}

/**
 * CSV exports of growing size from a gateway whose V8 heap is capped at 128 MB: if the export held rows in memory
 * the larger ones would fail; the resident memory before and at the peak of each export is printed.
 */
async function csvFigures(base, pid) {
  const figures = [];
  const admin = { authorization: `Bearer ${env.ADMIN_API_KEY}`, accept: 'text/csv' };
  const [c0] = GENERATED_CUITS;
  for (const [name, query] of [
    ['one lane', `cuit=${c0}&ptoVta=1&cbteTipo=1`],
    ['numbers 1-3334 of one CUIT', `cuit=${c0}&cbteNroFrom=1&cbteNroTo=3334`],
    ['one whole CUIT', `cuit=${c0}`],
  ]) {
    const before = rssMb(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
    const t1 = performance.now();
    const response = await fetch(`${base}/v1/audit/invoices?${query}`, { headers: admin });
    let lines = -1;
    for await (const chunk of response.body) {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines += 1;
    }
    clearInterval(sampler);
    const seconds = (performance.now() - t1) / 1000;
    figures.push([
      `  CSV export (heap capped at 128 MB), ${name}: ${lines} rows`,
      `${seconds.toFixed(1)} s (${(lines / seconds).toFixed(0)} rows/s); RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB`,
    ]);
  }
  return figures;
}

const rows = [];
try {
  if (parts.has('gateway')) await gatewayFigures(rows);
  if (parts.has('invoices')) rows.push(...(await invoiceFigures()));
  if (parts.has('noisy')) rows.push(...(await noisyFigures()));
  if (parts.has('codec')) rows.push(...(await codecFigures()));
  if (parts.has('pdf')) rows.push(...(await pdfFigures()));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
const width = Math.max(...rows.map(([name]) => name.length));
console.log(`arca-gateway bench (node ${process.version}, ${new Date().toISOString()})`);
for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);

async function gatewayFigures(rows) {
  const cold = await startGateway(env);
  rows.push(['start-up to ready, new data dir (initdb)', `${cold.ms.toFixed(0)} ms`]);
  await cold.stop();
  const warm = await startGateway(env);
  rows.push(['start-up to ready, existing data dir', `${warm.ms.toFixed(0)} ms`]);
  const base = `http://127.0.0.1:${env.PORT}`;
  await latency(`${base}/health/live`, 200, 4); // warm-up
  for (const [path, total, concurrency] of [
    ['/health/ready', 2000, 1],
    ['/health/ready', 4000, 32],
    ['/health/live', 2000, 1],
    ['/health/live', 8000, 32],
  ]) {
    const r = await latency(`${base}${path}`, total, concurrency);
    rows.push([
      `GET ${path} x${total}, ${concurrency} concurrent`,
      `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.rps.toFixed(0)} req/s`,
    ]);
  }
  rows.push(...(await auditFigures(base)));
  await warm.stop();
  const capped = await startGateway({ ...env, NODE_OPTIONS: '--max-old-space-size=128' });
  rows.push(...(await csvFigures(base, capped.pid)));
  await capped.stop();
}
