import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/app-error.js';
import { UpstreamMetrics } from '../../health/upstream.metrics.js';
import { AppConfig } from '../../config/app.config.js';
import { BillingOptions } from '../billing.options.js';
import { FairSlots } from './fair-slots.js';
import { HeldAnswers } from './held-answers.js';
import { type LaneKey, type LaneSession, NumberingLaneRepository } from './numbering-lane.repository.js';
import { type Plannable, takeBatch, topUp } from './batch-plan.js';
import { type Attempt, BatchSender, type LaneOutcome } from './batch-sender.service.js';

/** What a queued request gets back: its outcome, or why the lane could not run it, and how long it waited. */
export interface LaneResult {
  outcome?: LaneOutcome;
  /** The lane failed around the request: `started` tells whether its work had begun (then it may have sent). */
  failure?: { error: unknown; started: boolean };
  laneMs: number;
}

interface Queued extends Plannable {
  enqueuedAt: number;
  deadline: number;
  maxRecords: number;
  run:
    | { kind: 'attempt'; attempt: Attempt; done: (result: LaneResult) => void }
    | {
        kind: 'exclusive';
        work: (session: LaneSession) => Promise<unknown>;
        done: (result: LaneResult & { value?: unknown }) => void;
      };
}

/** A lane's queue, whether it is being drained, and its answers held for its next call (HeldAnswers). */
interface Lane {
  key: LaneKey;
  entries: Queued[];
  draining: boolean;
  answers: HeldAnswers;
}

/**
 * Lanes this replica holds at once: each holds a connection of the lanes' pool (DATABASE_POOL_SIZE, `Sql`) for its
 * call, so two stay free for the lanes' SENT writes (one short statement each, taking turns on them), which never
 * wait behind the requests' pool.
 */
export function heldLanes(poolSize: number): number {
  return Math.max(1, poolSize - 2);
}

/**
 * The replica's numbering lanes: one FIFO queue per (environment, cuit, ptoVta, cbteTipo). While a lane's call is
 * at ARCA, requests queue; the next call takes everything that fits (up to FECompTotXRequest vouchers, see
 * `takeBatch`), so a slow ARCA makes calls larger instead of queues longer. Each lane's work runs under the
 * lane's cluster-wide lock (NumberingLaneRepository.withLane); this replica holds at most `heldLanes` at once,
 * shared fairly between CUITs (FairSlots): past a request's deadline it leaves unsent, with a 503.
 */
@Injectable()
export class LaneBatcher {
  private readonly queues = new Map<string, Lane>();
  /** The lane slots of this replica, shared by CUIT in turns (fair-slots.ts). */
  readonly slots: FairSlots;

  constructor(
    private readonly lanes: NumberingLaneRepository,
    private readonly sender: BatchSender,
    private readonly options: BillingOptions,
    upstream: UpstreamMetrics,
    config: AppConfig,
  ) {
    const slots = heldLanes(config.database.poolSize);
    this.slots = new FairSlots(slots, config.security.lanesPerCuit ?? Math.max(1, Math.ceil(slots * 0.75)));
    upstream.readQueuesWith(() =>
      [...this.queues.values()].map(({ key, entries }) => ({
        cuit: key.cuit,
        ptoVta: key.ptoVta,
        cbteTipo: key.cbteTipo,
        depth: entries.length,
      })),
    );
  }

  /** Queues an attempt in its lane; resolves when the call that carried it was answered and stored. */
  submit(
    key: LaneKey,
    attempt: Attempt,
    plan: Omit<Plannable, 'vouchers'> & { maxRecords: number },
  ): Promise<LaneResult> {
    return new Promise((resolve) =>
      this.enqueue(key, {
        vouchers: attempt.details.length,
        numbered: plan.numbered,
        alone: plan.alone,
        maxRecords: plan.maxRecords,
        ...this.times(),
        run: { kind: 'attempt', attempt, done: resolve },
      }),
    );
  }

  /** Runs `work` alone in the lane, in its turn (settling doubts, a resync); rejects as the work does. */
  exclusive<T>(key: LaneKey, work: (session: LaneSession) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.enqueue(key, {
        vouchers: 0,
        numbered: false,
        alone: true,
        maxRecords: 1,
        ...this.times(),
        run: {
          kind: 'exclusive',
          work,
          done: (result) => (result.failure ? reject(result.failure.error) : resolve(result.value as T)),
        },
      }),
    );
  }

  private times() {
    const now = performance.now();
    return { enqueuedAt: now, deadline: now + this.options.laneWaitMs };
  }

  private enqueue(key: LaneKey, entry: Queued): void {
    const id = `${key.environment}/${key.cuit}/${key.ptoVta}/${key.cbteTipo}`;
    let queue = this.queues.get(id);
    if (!queue) {
      queue = { key, entries: [], draining: false, answers: new HeldAnswers() };
      this.queues.set(id, queue);
    }
    queue.entries.push(entry);
    if (!queue.draining) void this.drain(id, queue);
  }

  private async drain(id: string, queue: Lane): Promise<void> {
    queue.draining = true;
    try {
      while (queue.entries.length > 0) {
        this.expire(queue.entries);
        const batch = takeBatch(queue.entries, queue.entries[0]?.maxRecords ?? 1);
        if (batch.length > 0) await this.run(queue, batch);
      }
    } finally {
      // No call follows: the last call's answers go back now.
      queue.answers.release();
      queue.draining = false;
      if (queue.entries.length === 0) this.queues.delete(id);
      else void this.drain(id, queue);
    }
  }

  /** Requests that waited past their deadline leave the queue unsent: 503, nothing went to ARCA. */
  private expire(entries: Queued[]): void {
    const now = performance.now();
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const entry = entries[index]!;
      if (entry.deadline > now) continue;
      entries.splice(index, 1);
      entry.run.done({
        failure: {
          error: new AppError(
            'UNAVAILABLE',
            'the numbering lane of this point of sale and type is busy; nothing was sent to ARCA, try again',
            undefined,
            { retryAfterSeconds: 5 },
          ),
          started: false,
        },
        laneMs: now - entry.enqueuedAt,
      });
    }
  }

  /**
   * One call of `lane` for `batch` (the head of its queue joins it once it holds the lane's lock, `topUp`). The
   * previous call's answers, held, go back when this call leaves for ARCA, or when this run ends.
   */
  private async run(lane: Lane, batch: Queued[]): Promise<void> {
    const { key, answers } = lane;
    // The last call's answers wait only for a call that gets a lane slot at once, not behind other lanes' turns.
    if (this.slots.wouldWait(String(key.cuit))) answers.release();
    let entered: number | undefined;
    const waited = (entry: Queued) => (entered ?? performance.now()) - entry.enqueuedAt;
    const [head] = batch;
    try {
      if (head!.run.kind === 'exclusive') {
        const { work, done } = head!.run;
        const value = await this.held(key, batch, (waitMs) =>
          this.lanes.withLane(key, waitMs, (session) => {
            entered = performance.now();
            return work(session);
          }),
        );
        answers.release();
        done({ value, laneMs: waited(head!) });
        return;
      }
      const outcomes = await this.held(key, batch, (waitMs) =>
        this.lanes.withLane(key, waitMs, (session) => {
          entered = performance.now();
          topUp(batch, lane.entries, head!.maxRecords);
          return this.sender.send(
            session,
            batch.map((entry) => (entry.run as { attempt: Attempt }).attempt),
            () => answers.release(),
          );
        }),
      );
      // Stored and committed: the answers are held until the lane's next call leaves for ARCA (HeldAnswers).
      const laneMs = batch.map(waited);
      answers.hold(
        batch.map(
          (entry, index) => () =>
            (entry.run as { done: (result: LaneResult) => void }).done({
              outcome: outcomes[index],
              laneMs: laneMs[index]!,
            }),
        ),
      );
    } catch (error) {
      answers.release();
      for (const entry of batch) {
        entry.run.done({ failure: { error, started: entered !== undefined }, laneMs: waited(entry) });
      }
    }
  }

  /**
   * Runs `work` holding one of the replica's lane slots, in the CUIT's turn, within the batch's earliest deadline:
   * the slot wait and then the lane lock's wait share what is left of it.
   */
  private held<T>(key: LaneKey, batch: Queued[], work: (waitMs: number) => Promise<T>): Promise<T> {
    const deadline = Math.min(...batch.map((entry) => entry.deadline));
    return this.slots.run(String(key.cuit), deadline - performance.now(), () =>
      work(Math.max(1, deadline - performance.now())),
    );
  }
}
