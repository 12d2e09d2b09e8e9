// The "noisy neighbour" (issue 21): one tenant saturates the gateway with 250-voucher requests from 40
// connections over 40 points of sale while another tenant sells one invoice at a time. Prints the quiet tenant's
// latency idle and under the load, and every answer of 500 or above for either.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumerInvoice, percentile, startSandboxAndGateway } from './support.mjs';

const NOISY = 20123456789;
const QUIET = 30712345671;

async function createKey(base, admin, scope) {
  const response = await fetch(`${base}/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `bench ${scope.cuits[0]}`, role: 'pos', ...scope }),
  });
  if (response.status !== 201)
    throw new Error(`key not created: ${response.status} ${await response.text()}`);
  return (await response.json()).key;
}

async function sell(base, key, body) {
  const started = performance.now();
  const response = await fetch(`${base}/v1/invoices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  await response.text();
  return { status: response.status, ms: performance.now() - started };
}

/** The quiet tenant: `count` invoices one after another; latencies sorted, and the statuses seen. */
async function quietRun(base, key, count) {
  const latencies = [];
  const statuses = [];
  for (let sale = 0; sale < count; sale += 1) {
    const { status, ms } = await sell(base, key, consumerInvoice(QUIET, 1, 1));
    latencies.push(ms);
    statuses.push(status);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses };
}

export async function noisyFigures() {
  const dataDir = mkdtempSync(join(tmpdir(), 'arca-bench-noisy-'));
  const { sandbox, sandboxUrl, gateway, base, adminKey: admin } = await startSandboxAndGateway(dataDir);
  try {
    const ptoVtas = Array.from({ length: 40 }, (_, index) => index + 1);
    const noisyKey = await createKey(base, admin, { cuits: [NOISY], ptoVtas });
    const quietKey = await createKey(base, admin, { cuits: [QUIET], ptoVtas: [1] });
    await fetch(`${sandboxUrl}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'wsfe', operation: 'FECAESolicitar', kind: 'latency', latencyMs: 100 }),
    });
    await quietRun(base, quietKey, 5); // tickets, tables, the lane
    await sell(base, noisyKey, consumerInvoice(NOISY, 1, 1));
    const idle = await quietRun(base, quietKey, 40);
    let running = true;
    const noisyStatuses = new Map();
    let noisyVouchers = 0;
    const started = performance.now();
    const noise = Promise.all(
      Array.from({ length: 40 }, async (_, connection) => {
        while (running) {
          const { status } = await sell(base, noisyKey, consumerInvoice(NOISY, ptoVtas[connection], 250));
          noisyStatuses.set(status, (noisyStatuses.get(status) ?? 0) + 1);
          if (status === 201) noisyVouchers += 250;
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const loaded = await quietRun(base, quietKey, 40);
    running = false;
    await noise;
    const seconds = (performance.now() - started) / 1000;
    const serverErrors =
      [...loaded.statuses, ...idle.statuses].filter((status) => status >= 500).length +
      [...noisyStatuses]
        .filter(([status]) => status >= 500 && status !== 503)
        .reduce((sum, [, n]) => sum + n, 0);
    return [
      [
        'noisy neighbour: quiet tenant, sequential, idle (x40)',
        `p50 ${idle.p50.toFixed(0)} ms, p99 ${idle.p99.toFixed(0)} ms`,
      ],
      [
        '  same, while another tenant sends 250-voucher requests from 40 connections',
        `p50 ${loaded.p50.toFixed(0)} ms, p99 ${loaded.p99.toFixed(0)} ms (target: p99 <= 2 x idle + 100 ms = ` +
          `${(2 * idle.p99 + 100).toFixed(0)} ms); statuses ${JSON.stringify(countOf(loaded.statuses))}`,
      ],
      [
        '  the noisy tenant',
        `${(noisyVouchers / seconds).toFixed(0)} vouchers/s; statuses ${JSON.stringify(Object.fromEntries(noisyStatuses))}; ` +
          `500s other than 503 for anyone: ${serverErrors}`,
      ],
    ];
  } finally {
    await gateway.stop();
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function countOf(statuses) {
  const counts = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
