import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FaultWorld } from './fault-world.js';
import { type FaultRow, ledger, runFleet, table } from './pos-fleet.js';
import { verifyWholeChain } from '../support/chain-verification.js';

// npm run test:faults: for each fault, 500 sales from 12 POS terminals over 3 points of sale, each retried with its
// Idempotency-Key until it has a final answer. Every sale must end with exactly one voucher in ARCA (the sandbox)
// or a refusal and none; every CAE must be in the audit log; no lane may skip a number; no 10016 may reach a POS.
const SALES = 500;
const rows: FaultRow[] = [];

interface Scenario {
  fault: string;
  env?: Record<string, string>;
  clientTimeoutMs: number;
  before?: (world: FaultWorld) => Promise<void>;
  /** Runs beside the fleet; gets how many sales are finished so far and a flag that turns true at the end. */
  during?: (world: FaultWorld, finished: () => number, done: () => boolean) => Promise<void>;
  /** The fault leaves doubts the reconciler must settle. */
  reconciles: boolean;
  /** Terminals selling at once (12) and the points of sale they share ([1, 2, 3]). */
  concurrency?: number;
  ptoVtas?: number[];
  receiver?: (index: number) => Record<string, number> | undefined;
  /** Sales the scenario expects refused (ARCA rejects them). */
  refused?: number;
  /** Before the ledger is read: e.g. contingency vouchers reported to ARCA. */
  settle?: (world: FaultWorld) => Promise<void>;
  /** The scenario issues under CAEA while ARCA is down: some sales must be CAEA, none may see a 503. */
  contingency?: boolean;
}

const FECAE = { service: 'wsfe', operation: 'FECAESolicitar' };
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 50));
};

/** Batch-shaped faults: 120 terminals on one point of sale, ARCA at 100 ms, so each call carries about 100 sales. */
const BATCHED = { concurrency: 120, ptoVtas: [1] };
const BATCH_LATENCY = { ...FECAE, kind: 'latency', latencyMs: 100 };
/** One fault on the next FECAESolicitar, once the fleet is past `after` sales (batches are full by then). */
const faultOnceAfter =
  (kind: string, ...after: number[]) =>
  async (world: FaultWorld, finished: () => number) => {
    for (const at of after) {
      await until(() => finished() >= at);
      await world.fault({ ...FECAE, kind, count: 1 });
    }
  };

/** The contingency point of sale the outage scenario's CUIT has at ARCA (the sandbox). */
const CAEA_PTO_VTA = 900;

async function admin(world: FaultWorld, method: string, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${world.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${world.adminKey}` },
  });
  return (await response.json()) as Record<string, unknown>;
}

/** Waits until the gateway holds the current fortnight's CAEA for the suite's CUIT. */
async function caeaObtained(world: FaultWorld): Promise<void> {
  for (;;) {
    const overview = (await admin(world, 'GET', '/v1/contingency')) as {
      cuits?: { caeas: { current: boolean }[] }[];
    };
    if (overview.cuits?.some((cuit) => cuit.caeas.some((caea) => caea.current))) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const SCENARIOS: Scenario[] = [
  {
    fault: "ARCA's WSFEv1 down (every call 503) for 200 sales: CAEA contingency, reported after",
    env: {
      CAEA_CHECK_INTERVAL_MS: '1000',
      CAEA_REPORT_INTERVAL_MS: '2000',
      AFIP_CIRCUIT_HALF_OPEN_MS: '1000',
    },
    clientTimeoutMs: 10_000,
    before: async (world) => {
      const response = await fetch(`${world.sandbox.url}/__sandbox/points-of-sale`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ cuit: 20123456789, ptoVta: CAEA_PTO_VTA, emisionTipo: 'CAEA' }),
      });
      if (response.status !== 201) throw new Error(`point of sale not registered: ${await response.text()}`);
    },
    during: async (world, finished) => {
      await until(() => finished() >= 100);
      await caeaObtained(world);
      await world.fault({ service: 'wsfe', kind: 'http503' });
      // Compressed: sales under CAEA take milliseconds, so the outage is counted in sales, not minutes.
      await until(() => finished() >= 300);
      await world.clearFaults();
    },
    settle: async (world) => {
      for (let pass = 0; pass < 60; pass += 1) {
        const summary = (await admin(world, 'POST', '/v1/contingency/report')) as {
          pending?: number;
          failures?: string[];
        };
        const overview = JSON.stringify(await admin(world, 'GET', '/v1/contingency'));
        if (summary.pending === 0 && summary.failures?.length === 0 && !overview.includes('"PENDING"'))
          return;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },
    contingency: true,
    reconciles: false,
  },
  {
    fault: 'ARCA slower than the POS waits (1.5 s, 10 %)',
    clientTimeoutMs: 800,
    before: (world) => world.fault({ ...FECAE, kind: 'latency', latencyMs: 1500, probability: 0.1 }),
    reconciles: false,
  },
  {
    fault: 'HTTP 500 before processing (10 %)',
    clientTimeoutMs: 10_000,
    before: (world) => world.fault({ ...FECAE, kind: 'http500', probability: 0.1 }),
    reconciles: true,
  },
  {
    fault: 'HTTP 503 before processing (10 %)',
    clientTimeoutMs: 10_000,
    before: (world) => world.fault({ ...FECAE, kind: 'http503', probability: 0.1 }),
    reconciles: false,
  },
  {
    fault: 'connection reset (10 %)',
    clientTimeoutMs: 10_000,
    before: (world) => world.fault({ ...FECAE, kind: 'reset', probability: 0.1 }),
    reconciles: true,
  },
  {
    fault: 'no answer (3 %, gateway timeout 1 s)',
    env: { AFIP_TIMEOUT_MS: '1000' },
    clientTimeoutMs: 10_000,
    before: (world) => world.fault({ ...FECAE, kind: 'hang', probability: 0.03 }),
    reconciles: true,
  },
  {
    fault: 'authorized, answer dropped (10 %)',
    clientTimeoutMs: 10_000,
    before: (world) => world.fault({ ...FECAE, kind: 'authorize-then-drop', probability: 0.1 }),
    reconciles: true,
  },
  {
    fault: 'authorized, answer cut in half (10 %)',
    clientTimeoutMs: 10_000,
    before: (world) => world.fault({ ...FECAE, kind: 'authorize-then-garble', probability: 0.1 }),
    reconciles: true,
  },
  {
    fault: 'authorized, then HTTP 503 (10 %)',
    clientTimeoutMs: 10_000,
    before: (world) => world.fault({ ...FECAE, kind: 'authorize-then-503', probability: 0.1 }),
    reconciles: true,
  },
  {
    fault: 'ARCA down for a minute (every WSFEv1 call 503)',
    clientTimeoutMs: 10_000,
    during: async (world, finished) => {
      await until(() => finished() >= 100);
      await world.fault({ service: 'wsfe', kind: 'http503' });
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      await world.clearFaults();
    },
    reconciles: false,
  },
  {
    fault: 'gateway SIGKILLed mid-request, twice, and restarted',
    clientTimeoutMs: 10_000,
    before: (world) => world.fault({ ...FECAE, kind: 'latency', latencyMs: 150 }),
    during: async (world, finished) => {
      for (const at of [120, 300]) {
        await until(() => finished() >= at);
        await world.kill();
        await world.startGateway();
      }
    },
    reconciles: true,
  },
  {
    fault: 'database connections dropped mid-request (every 700 ms)',
    clientTimeoutMs: 10_000,
    during: async (world, _finished, done) => {
      while (!done()) {
        await new Promise((resolve) => setTimeout(resolve, 700));
        await world.db.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
      }
    },
    reconciles: false,
  },
  {
    fault: 'batches: a ~100-voucher call authorized, answer dropped (twice)',
    ...BATCHED,
    clientTimeoutMs: 20_000,
    before: (world) => world.fault(BATCH_LATENCY),
    during: faultOnceAfter('authorize-then-drop', 150, 300),
    reconciles: true,
  },
  {
    fault: 'batches: connection reset in mid-call (twice)',
    ...BATCHED,
    clientTimeoutMs: 20_000,
    before: (world) => world.fault(BATCH_LATENCY),
    during: faultOnceAfter('reset', 150, 300),
    reconciles: true,
  },
  {
    fault: 'batches: gateway SIGKILLed with a call in flight, restarted',
    ...BATCHED,
    clientTimeoutMs: 20_000,
    before: (world) => world.fault(BATCH_LATENCY),
    during: async (world, finished) => {
      await until(() => finished() >= 150);
      // The next call gets no answer: the gateway dies with it in flight, its vouchers SENT.
      await world.fault({ ...FECAE, kind: 'hang', count: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await world.kill();
      await world.startGateway();
    },
    reconciles: true,
  },
  {
    fault: 'batches: ARCA rejects one sale in 50 in mid-batch',
    ...BATCHED,
    clientTimeoutMs: 20_000,
    before: (world) => world.fault(BATCH_LATENCY),
    // ARCA's registry does not know this CUIT (10015): only ARCA can refuse it, after the gateway's checks.
    receiver: (index) => (index % 50 === 7 ? { DocTipo: 80, DocNro: 30600000000 } : undefined),
    refused: 10,
    reconciles: false,
  },
];

describe.sequential('fault suite: every sale ends with exactly one voucher or a refusal', () => {
  afterAll(() => {
    const text = table(rows);
    console.log(`\n${text}\n`);
    mkdirSync('reports', { recursive: true });
    writeFileSync(join('reports', 'faults.md'), `${text}\n`);
  });

  for (const scenario of SCENARIOS) {
    it(
      scenario.fault,
      async () => {
        const world = new FaultWorld(scenario.env ?? {});
        await world.start();
        try {
          await scenario.before?.(world);
          let finished = 0;
          let done = false;
          const beside = scenario.during?.(
            world,
            () => finished,
            () => done,
          );
          const sales = await runFleet(world, `s${rows.length}`, {
            sales: SALES,
            concurrency: scenario.concurrency ?? 12,
            clientTimeoutMs: scenario.clientTimeoutMs,
            ptoVtas: scenario.ptoVtas ?? [1, 2, 3],
            receiver: scenario.receiver,
            deadlineMs: 240_000,
            progress: (count) => (finished = count),
          });
          done = true;
          await beside;
          await world.clearFaults();
          await scenario.settle?.(world);
          const row = await ledger(world, scenario.fault, sales);
          rows.push(row);
          const verify = await verifyWholeChain(world.url, world.adminKey);
          const { evidence, ...figures } = row;
          const context = `${JSON.stringify(figures)}\n${evidence ? `${JSON.stringify(evidence, null, 1)}\n` : ''}${world.tail.slice(-40).join('\n')}`;
          expect(row.unresolved, context).toBe(0);
          expect(row.authorized + row.refused, context).toBe(SALES);
          expect(row.refused, context).toBe(scenario.refused ?? 0);
          expect(row.duplicates, context).toBe(0);
          expect(row.lost, context).toBe(0);
          expect(row.gaps, context).toBe(0);
          expect(row.clients10016, context).toBe(0);
          expect(verify.ok, context).toBe(true);
          if (scenario.reconciles) expect(row.reconciliations, context).toBeGreaterThan(0);
          if (scenario.contingency) {
            // CAE before the outage and after it, CAEA during it; no POS waited on a 503.
            expect(row.caea, context).toBeGreaterThan(0);
            expect(row.authorized - row.caea, context).toBeGreaterThan(100);
            expect(
              sales.slice(-20).some((sale) => sale.emisionTipo === 'CAE'),
              context,
            ).toBe(true);
            expect(row.unavailable, context).toBe(0);
            const reported = await world.db.query<{ n: string }>(
              "SELECT count(*)::text AS n FROM invoice WHERE emision_tipo = 'CAEA' AND report_state = 'REPORTED'",
            );
            expect(Number(reported.rows[0]!.n), context).toBe(row.caea);
          }
        } finally {
          await world.stop();
        }
      },
      420_000,
    );
  }
});
