import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppConfig } from '../../config/app.config.js';
import type { UpstreamMetrics } from '../../health/upstream.metrics.js';
import { BillingOptions } from '../billing.options.js';
import type { Attempt, BatchSender, LaneOutcome } from './batch-sender.service.js';
import { HOLD_ANSWERS_MS } from './held-answers.js';
import { LaneBatcher } from './lane-batcher.js';
import type { LaneKey, LaneSession, NumberingLaneRepository } from './numbering-lane.repository.js';

const KEY: LaneKey = { environment: 'sandbox', cuit: 20123456789, ptoVta: 1, cbteTipo: 6 };

/**
 * A batcher whose lane lock is granted when the test says, and whose calls are recorded. `manual`: each call leaves
 * for ARCA (`leave`) and ends (`finish`) when the test says; otherwise at once.
 */
function world({ manual = false, poolSize = 10 } = {}) {
  const calls: string[][] = [];
  const inFlight: { leave: () => void; finish: () => void }[] = [];
  const grants: (() => void)[] = [];
  const lanes = {
    withLane: async <T>(_key: LaneKey, _waitMs: number, work: (session: LaneSession) => Promise<T>) => {
      await new Promise<void>((resolve) => grants.push(resolve));
      return work({} as LaneSession);
    },
  } as unknown as NumberingLaneRepository;
  const sender = {
    send: async (
      _session: LaneSession,
      attempts: Attempt[],
      leaving?: () => void,
    ): Promise<LaneOutcome[]> => {
      calls.push(attempts.map((attempt) => attempt.id));
      if (manual) await new Promise<void>((finish) => inFlight.push({ leave: () => leaving?.(), finish }));
      else leaving?.();
      return attempts.map(() => ({ ok: { httpStatus: 201, body: {} as never, arcaMs: 0 } }));
    },
  } as unknown as BatchSender;
  const upstream = { readQueuesWith: () => undefined } as unknown as UpstreamMetrics;
  const config = { database: { poolSize }, security: {} } as unknown as AppConfig;
  const batcher = new LaneBatcher(lanes, sender, new BillingOptions(), upstream, config);
  const answered = new Set<string>();
  const submit = (id: string, plan: { alone?: boolean } = {}, key = KEY) =>
    batcher
      .submit(key, { id, details: [{}] } as unknown as Attempt, {
        numbered: false,
        alone: plan.alone ?? false,
        maxRecords: 3,
      })
      .then((result) => {
        answered.add(id);
        return result;
      });
  const turns = async (count = 5) => {
    for (let turn = 0; turn < count; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  };
  const grant = async () => {
    while (grants.length === 0) await turns(1);
    grants.shift()!();
  };
  const call = async (index: number) => {
    while (inFlight.length <= index) await turns(1);
    return inFlight[index]!;
  };
  return { calls, submit, grant, call, answered, turns };
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

  describe('answers held while the next call gets ready', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("hands a call's answers back when the lane's next call leaves for ARCA, not before", async () => {
      const { submit, grant, call, answered, turns } = world({ manual: true });
      void submit('a');
      await grant();
      const first = await call(0);
      first.leave();
      void submit('b'); // queued while 'a' is at ARCA: the next call
      first.finish();
      await grant();
      const second = await call(1);
      await turns();
      expect(answered).toEqual(new Set());
      second.leave();
      await turns();
      expect(answered).toEqual(new Set(['a']));
      second.finish();
      await turns();
      expect(answered).toEqual(new Set(['a', 'b']));
    });

    it('hands them back at once when no call follows', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      const { submit, grant, answered, turns } = world();
      void submit('a');
      await grant();
      await turns();
      expect(answered).toEqual(new Set(['a']));
    });

    it('hands them back at once when the next call has to wait for a lane slot', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      // One lane slot (a pool of 3): lane 2 waits for it while lane 1's call is at ARCA.
      const { submit, grant, call, answered, turns } = world({ manual: true, poolSize: 3 });
      void submit('a');
      await grant();
      const first = await call(0);
      void submit('x', {}, { ...KEY, ptoVta: 2 });
      void submit('b');
      await turns();
      first.finish();
      await turns();
      expect(answered).toEqual(new Set(['a']));
    });

    it(`hands them back after ${HOLD_ANSWERS_MS} ms when the next call is slow to leave`, async () => {
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      const { submit, grant, call, answered, turns } = world({ manual: true });
      void submit('a');
      await grant();
      const first = await call(0);
      void submit('b');
      first.finish();
      await grant();
      await call(1);
      vi.advanceTimersByTime(HOLD_ANSWERS_MS - 1);
      await turns();
      expect(answered).toEqual(new Set());
      vi.advanceTimersByTime(1);
      await turns();
      expect(answered).toEqual(new Set(['a']));
    });
  });
});
