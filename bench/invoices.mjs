// npm run bench -- invoices: POST /v1/invoices against the ARCA sandbox running as its own process, with latency
// injected into FECAESolicitar as ARCA's own round trip (0.3-1 s in production). Prints, never asserts:
//  - the gateway's own time per sequential invoice with no ARCA latency (client latency minus Server-Timing's ARCA
//    and lane times);
//  - one lane and ten lanes at 300 ms, 400 concurrent clients: invoices/s, p50/p99, FECAESolicitar calls per 1,000,
//    and each process's CPU per invoice (cpu.mjs);
//  - a sequential client of the same sandbox (@arcasdk/core: one FECompUltimoAutorizado + one FECAESolicitar per
//    invoice), for the ratio.
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpuMeter, cpuMsOf, cpuRow } from './cpu.mjs';
import { percentile, postJson, startSandboxAndGateway } from './support.mjs';

// BENCH_DIST: measure another build (an earlier commit's dist) with this bench.
const dist = process.env.BENCH_DIST ?? join(import.meta.dirname, '..', 'dist');
const { UNNUMBERED_INVOICE_EXAMPLE } = await import(
  join(dist, 'apps', 'api', 'src', 'billing', 'invoice-request.dto.js')
);

function body(ptoVta) {
  const { FeCAEReq } = UNNUMBERED_INVOICE_EXAMPLE;
  return JSON.stringify({
    ...UNNUMBERED_INVOICE_EXAMPLE,
    FeCAEReq: { ...FeCAEReq, FeCabReq: { ...FeCAEReq.FeCabReq, PtoVta: ptoVta } },
  });
}

/**
 * Posts `total` invoices, `concurrency` at a time, over `lanes` points of sale from `first`; all must be 201. Besides
 * the whole run, `steady` is the run without its ramps: from the `concurrency`-th answer (the first burst, all
 * clients at once, takes three calls of a lane to clear) to the `concurrency`-th last (clients finishing), counting
 * the answers within it and the latencies of requests sent and answered within it.
 */
async function post(base, key, { total, concurrency, lanes, first }) {
  const latencies = [];
  const overheads = [];
  const spans = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const ptoVta = first + (next++ % lanes);
        const t0 = performance.now();
        const response = await postJson(
          `${base}/v1/invoices`,
          { authorization: `Bearer ${key}` },
          body(ptoVta),
        );
        const t1 = performance.now();
        const elapsed = t1 - t0;
        if (response.status !== 201)
          throw new Error(`POST /v1/invoices answered ${response.status}: ${response.text}`);
        const timing = response.headers['server-timing'] ?? '';
        const arca = Number(/arca;dur=([\d.]+)/.exec(timing)?.[1] ?? 0);
        const lane = Number(/lane;dur=([\d.]+)/.exec(timing)?.[1] ?? 0);
        latencies.push(elapsed);
        overheads.push(elapsed - arca - lane);
        spans.push([t0, t1]);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  overheads.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ownP50: percentile(overheads, 50),
    ownP99: percentile(overheads, 99),
    rps: total / seconds,
    steady: total >= 4 * concurrency ? steadyState(spans, concurrency) : undefined,
  };
}

/** Answers per second and latencies between the `ramp`-th answer and the `ramp`-th last (see `post`). */
function steadyState(spans, ramp) {
  const ends = spans.map(([, end]) => end).sort((a, b) => a - b);
  const from = ends[ramp - 1];
  const to = ends[ends.length - ramp];
  const within = spans
    .filter(([start, end]) => start >= from && end <= to)
    .map(([start, end]) => end - start)
    .sort((a, b) => a - b);
  const answered = ends.filter((end) => end > from && end <= to).length;
  return {
    seconds: (to - from) / 1000,
    rps: answered / ((to - from) / 1000),
    p50: percentile(within, 50),
    p99: percentile(within, 99),
  };
}

/** FECAESolicitar calls the sandbox has answered so far (its request log). */
function callsSoFar(sandbox) {
  return sandbox.lines.filter((line) => line.includes('wsfe FECAESolicitar ->')).length;
}

async function setLatency(sandboxUrl, latencyMs) {
  await fetch(`${sandboxUrl}/__sandbox/faults`, { method: 'DELETE' });
  if (latencyMs === 0) return;
  await fetch(`${sandboxUrl}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'wsfe', operation: 'FECAESolicitar', kind: 'latency', latencyMs }),
  });
}

/**
 * @arcasdk/core as a POS would use it, one invoice after another (createNextVoucher), against the same sandbox:
 * its endpoints are ARCA's constants, so they are pointed at the sandbox for this run.
 */
async function arcasdkSequential(dataDir, sandboxUrl, total) {
  const require = createRequire(import.meta.url);
  const { Endpoints } = require('@arcasdk/core/lib/infrastructure/soap/config/endpoints.types.js');
  Endpoints.WSAA_TEST = `${sandboxUrl}/ws/services/LoginCms`;
  Endpoints.WSFEV1_TEST = `${sandboxUrl}/wsfev1/service.asmx`;
  const { Arca } = require('@arcasdk/core');
  const { DevCa } = await import(join(dist, 'libs', 'pki', 'src', 'index.js'));
  const cuit = '20111111112';
  const certs = join(dataDir, 'arcasdk');
  const ca = await DevCa.loadOrCreate(join(dataDir, 'sandbox'));
  await ca.writeCuitCertificate(certs, { cuit });
  const arca = new Arca({
    cuit: Number(cuit),
    cert: readFileSync(join(certs, `${cuit}.crt`), 'utf8'),
    key: readFileSync(join(certs, `${cuit}.key`), 'utf8'),
    production: false,
    ticketPath: join(dataDir, 'arcasdk-tickets'),
  });
  const { FeCAEReq } = UNNUMBERED_INVOICE_EXAMPLE;
  const detail = FeCAEReq.FeDetReq.FECAEDetRequest;
  const voucher = {
    CantReg: 1,
    PtoVta: 900,
    CbteTipo: 6,
    Concepto: detail.Concepto,
    DocTipo: detail.DocTipo,
    DocNro: detail.DocNro,
    CbteFch: new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Argentina/Buenos_Aires' })
      .format(new Date())
      .replaceAll('-', ''),
    ImpTotal: detail.ImpTotal,
    ImpTotConc: detail.ImpTotConc,
    ImpNeto: detail.ImpNeto,
    ImpOpEx: detail.ImpOpEx,
    ImpIVA: detail.ImpIVA,
    ImpTrib: detail.ImpTrib,
    MonId: detail.MonId,
    MonCotiz: detail.MonCotiz,
    CondicionIVAReceptorId: detail.CondicionIVAReceptorId,
    Iva: [detail.Iva.AlicIva],
  };
  await arca.electronicBillingService.createNextVoucher(voucher); // login and WSDL parsing out of the timing
  const started = performance.now();
  for (let index = 0; index < total; index += 1) {
    const answer = await arca.electronicBillingService.createNextVoucher(voucher);
    if (!answer?.cae && !answer?.CAE && !answer?.response)
      throw new Error(`arcasdk: ${JSON.stringify(answer)}`);
  }
  return total / ((performance.now() - started) / 1000);
}

/**
 * A body the gateway must refuse, sent `count` times in a row: 1,000 details (more than FECompTotXRequest), or
 * (`small`) one detail with a negative total, the floor any refused request costs.
 */
async function refused(base, key, pid, count, small = false) {
  const detail = UNNUMBERED_INVOICE_EXAMPLE.FeCAEReq.FeDetReq.FECAEDetRequest;
  const body = JSON.stringify({
    Auth: { Cuit: 20123456789 },
    FeCAEReq: {
      FeCabReq: { CantReg: small ? 1 : 1000, PtoVta: 1, CbteTipo: 6 },
      FeDetReq: {
        FECAEDetRequest: small ? { ...detail, ImpTotal: -1 } : Array.from({ length: 1000 }, () => detail),
      },
    },
  });
  const times = [];
  const cpuBefore = cpuMsOf(pid);
  for (let sent = 0; sent < count; sent += 1) {
    const started = performance.now();
    const response = await fetch(`${base}/v1/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    });
    await response.text();
    if (response.status !== 400) throw new Error(`a body to refuse answered ${response.status}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(count / 2)], cpuMs: (cpuMsOf(pid) - cpuBefore) / count };
}

export async function invoiceFigures() {
  const rows = [];
  let oneLane;
  const dataDir = mkdtempSync(join(tmpdir(), 'arca-bench-invoices-'));
  const {
    sandbox,
    sandboxUrl,
    gateway,
    base,
    adminKey: key,
  } = await startSandboxAndGateway(dataDir, {
    keepSandboxLines: true,
  });
  try {
    await post(base, key, { total: 20, concurrency: 1, lanes: 1, first: 100 }); // ticket, tables, first lane
    const sequential = await post(base, key, { total: 300, concurrency: 1, lanes: 1, first: 100 });
    rows.push([
      'POST /v1/invoices x300 sequential, one lane, no ARCA latency',
      `p50 ${sequential.p50.toFixed(2)} ms, p99 ${sequential.p99.toFixed(2)} ms end to end`,
    ]);
    rows.push([
      "  gateway's own time per invoice (minus ARCA and lane wait)",
      `p50 ${sequential.ownP50.toFixed(2)} ms, p99 ${sequential.ownP99.toFixed(2)} ms`,
    ]);
    const floor = await refused(base, key, gateway.pid, 200, true);
    rows.push([
      'POST /v1/invoices refused: one voucher, ImpTotal -1 (x200; the floor of any refusal)',
      `p50 ${floor.p50.toFixed(2)} ms end to end; ${floor.cpuMs.toFixed(2)} ms of gateway CPU per refusal`,
    ]);
    const oversize = await refused(base, key, gateway.pid, 200);
    rows.push([
      'POST /v1/invoices refused: 1,000 vouchers (235 KB) over FECompTotXRequest (x200)',
      `p50 ${oversize.p50.toFixed(2)} ms end to end; ${oversize.cpuMs.toFixed(2)} ms of gateway CPU per refusal`,
    ]);
    await post(base, key, { total: 40, concurrency: 10, lanes: 10, first: 200 }); // first use of ten lanes
    await setLatency(sandboxUrl, 300);
    // BENCH_SMALL: a tenth of the invoices, for builds that send one FECAESolicitar per invoice (minutes otherwise).
    const scale = process.env.BENCH_SMALL ? 0.1 : 1;
    for (const [lanes, total] of [
      [1, 3000 * scale],
      [10, 6000 * scale],
    ]) {
      const callsBefore = callsSoFar(sandbox);
      const meter = cpuMeter({ gateway, sandbox, dataDir });
      const r = await post(base, key, { total, concurrency: 400, lanes, first: lanes === 1 ? 100 : 200 });
      const cpu = meter.perInvoice(total);
      const calls = callsSoFar(sandbox) - callsBefore;
      rows.push([
        `${lanes} lane${lanes > 1 ? 's' : ''}, 300 ms ARCA latency, 400 concurrent clients (x${total})`,
        `${r.rps.toFixed(0)} invoices/s, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms; ` +
          `${((calls / total) * 1000).toFixed(0)} FECAESolicitar calls per 1,000 invoices`,
      ]);
      if (r.steady)
        rows.push([
          `  without the ramps (the first and last 400 answers; ${r.steady.seconds.toFixed(1)} s of it)`,
          `${r.steady.rps.toFixed(0)} invoices/s, p50 ${r.steady.p50.toFixed(0)} ms, p99 ${r.steady.p99.toFixed(0)} ms`,
        ]);
      if (cpu) rows.push(['  CPU per invoice, whole run', cpuRow(cpu)]);
      if (lanes === 1) oneLane = r;
    }
    try {
      const rate = await arcasdkSequential(dataDir, sandboxUrl, 20);
      rows.push([
        '@arcasdk/core 2.0.2, sequential createNextVoucher, same sandbox, 300 ms (x20)',
        `${rate.toFixed(2)} invoices/s; the gateway's one lane is ${(oneLane.rps / rate).toFixed(0)}x that` +
          (oneLane.steady ? ` (${(oneLane.steady.rps / rate).toFixed(0)}x without the ramps)` : ''),
      ]);
    } catch (error) {
      rows.push(['@arcasdk/core sequential client', `did not run against the sandbox: ${error.message}`]);
    }
  } finally {
    await gateway.stop();
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

// Runs alone too: node bench/invoices.mjs
if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  for (const [name, value] of await invoiceFigures()) console.log(`  ${name}  ${value}`);
}
