import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config/app.config.js';
import type { UpstreamMetrics } from '../../health/upstream.metrics.js';
import { BillingOptions } from '../billing.options.js';
import type { Attempt, BatchSender, LaneOutcome } from './batch-sender.service.js';
import { LaneBatcher } from './lane-batcher.js';
import type { LaneKey, LaneSession, NumberingLaneRepository } from './numbering-lane.repository.js';

const KEY: LaneKey = { environment: 'sandbox', cuit: 20123456789, ptoVta: 1, cbteTipo: 6 };

/** A batcher whose lane lock is granted when the test says, and whose calls are recorded. */
function world() {
  const calls: string[][] = [];
  const grants: (() => void)[] = [];
  const lanes = {
    withLane: async <T>(_key: LaneKey, _waitMs: number, work: (session: LaneSession) => Promise<T>) => {
      await new Promise<void>((resolve) => grants.push(resolve));
      return work({} as LaneSession);
    },
  } as unknown as NumberingLaneRepository;
  const sender = {
    send: async (_session: LaneSession, attempts: Attempt[]): Promise<LaneOutcome[]> => {
      calls.push(attempts.map((attempt) => attempt.id));
      return attempts.map(() => ({ ok: { httpStatus: 201, body: {} as never, arcaMs: 0 } }));
    },
  } as unknown as BatchSender;
  const upstream = { readQueuesWith: () => undefined } as unknown as UpstreamMetrics;
  const config = { database: { poolSize: 10 }, security: {} } as unknown as AppConfig;
  const batcher = new LaneBatcher(lanes, sender, new BillingOptions(), upstream, config);
  const submit = (id: string, plan: { alone?: boolean } = {}) =>
    batcher.submit(KEY, { id, details: [{}] } as unknown as Attempt, {
      numbered: false,
      alone: plan.alone ?? false,
      maxRecords: 3,
    });
  const grant = async () => {
    while (grants.length === 0) await new Promise((resolve) => setImmediate(resolve));
    grants.shift()!();
  };
  return { calls, submit, grant };
}

describe('LaneBatcher', () => {
  it("sends in the same call the requests that came while a batch waited for its lane's lock", async () => {
    const { calls, submit, grant } = world();
    const first = submit('a');
    // The lane was idle: 'a' was taken at once and waits for the lock; these arrive meanwhile.
    const rest = ['b', 'c', 'd', 'e'].map((id) => submit(id));
    await grant();
    await first;
    expect(calls).toEqual([['a', 'b', 'c']]);
    await grant();
    await Promise.all(rest);
    expect(calls).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
  });

  it('adds nothing to a request that goes alone', async () => {
    const { calls, submit, grant } = world();
    const alone = submit('fce', { alone: true });
    const next = submit('b');
    await grant();
    await alone;
    await grant();
    await next;
    expect(calls).toEqual([['fce'], ['b']]);
  });
});
