// npm run bench: figures for the gateway as it stands. Prints, never asserts: targets live in the issues' notes.
//  - start-up to "ready" on a fresh data directory (initdb included) and on an existing one;
//  - latency of GET /health/ready (a database round trip) and GET /health/live, sequential and concurrent.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  return { ms: performance.now() - started, stop };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function latency(url, total, concurrency) {
  const samples = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t0 = performance.now();
        const response = await fetch(url);
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
};
const rows = [];
try {
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
  await warm.stop();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
const width = Math.max(...rows.map(([name]) => name.length));
console.log(`arca-gateway bench (node ${process.version}, ${new Date().toISOString()})`);
for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
