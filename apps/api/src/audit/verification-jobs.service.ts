import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { GENESIS_HASH } from './audit-chain.js';
import { AuditVerificationRepository, type VerificationRow } from './audit-verification.repository.js';
import { ChainVerifier } from './chain-verifier.service.js';

/** A run that has not reported for this long is taken for dead (its process stopped): a new run may start. */
const STALE_MS = 60_000;
/** Entries between stored checkpoints: a run that dies loses at most this much work. */
const CHECKPOINT_EVERY = 10_000;

export interface VerificationView extends VerificationRow {
  /** Entries in the run's range (an upper bound: sequence numbers may have gaps). */
  total: number;
  /** checked / total, 0 to 1. */
  progress: number;
  /** True when an earlier run was still going and this is it. */
  alreadyRunning?: boolean;
}

/**
 * Whole-chain verification as a background job (admin): one run at a time for the cluster, resuming after the
 * latest checkpoint unless asked for a full run, walking in batches that yield to the event loop, writing its
 * progress after each batch and a checkpoint every CHECKPOINT_EVERY entries and at the end.
 */
@Injectable()
export class VerificationJobs {
  private readonly logger = new Logger('AuditVerification');

  constructor(
    private readonly verifier: ChainVerifier,
    private readonly runs: AuditVerificationRepository,
  ) {}

  async start(startedBy: string, full: boolean): Promise<VerificationView> {
    const running = await this.runs.running(new Date(Date.now() - STALE_MS));
    if (running) return { ...withProgress(running), alreadyRunning: true };
    const checkpoint = full ? undefined : await this.runs.latestCheckpoint();
    const fromSeq = checkpoint ? checkpoint.seq + 1n : 1n;
    const previous = checkpoint
      ? checkpoint.hash
      : full
        ? GENESIS_HASH
        : await this.verifier.hashBefore(fromSeq);
    const toSeq = (await this.verifier.lastSeq()) ?? 0n;
    const id = randomUUID();
    await this.runs.create({ id, startedBy, fromSeq, toSeq, lastHash: previous });
    this.logger.log(
      `verification ${id}: entries ${fromSeq} to ${toSeq}${checkpoint ? ` (from the checkpoint at ${checkpoint.seq})` : ''}`,
    );
    void this.run(id, fromSeq, toSeq, previous);
    return withProgress((await this.runs.find(id))!);
  }

  async get(id: string): Promise<VerificationView | undefined> {
    const row = await this.runs.find(id);
    return row ? withProgress(row) : undefined;
  }

  private async run(id: string, fromSeq: bigint, toSeq: bigint, previous: string): Promise<void> {
    let sinceCheckpoint = 0;
    let checked = 0;
    let lastHash = previous;
    try {
      const result = await this.verifier.walk(
        fromSeq,
        previous,
        toSeq >= fromSeq ? toSeq : undefined,
        async (at) => {
          sinceCheckpoint += at.checked - checked;
          checked = at.checked;
          lastHash = at.lastHash;
          await this.runs.progress(id, {
            nextSeq: BigInt(at.lastSeq) + 1n,
            checked: at.checked,
            lastHash: at.lastHash,
          });
          if (sinceCheckpoint >= CHECKPOINT_EVERY) {
            await this.runs.checkpoint(BigInt(at.lastSeq), at.lastHash, id);
            sinceCheckpoint = 0;
          }
        },
      );
      if (result.ok && result.toSeq !== null)
        await this.runs.checkpoint(BigInt(result.toSeq), result.lastHash, id);
      await this.runs.finish(id, {
        state: 'done',
        ok: result.ok,
        ...(result.firstBroken ? { firstBroken: result.firstBroken } : {}),
        checked: result.checked,
        lastHash: result.lastHash,
      });
      this.logger.log(
        `verification ${id}: ${result.ok ? 'holds' : `broken at ${result.firstBroken?.seq}`}, ${result.checked} entries`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`verification ${id} stopped: ${message}`);
      await this.runs
        .finish(id, { state: 'failed', error: message, checked, lastHash })
        .catch(() => undefined);
    }
  }
}

function withProgress(row: VerificationRow): VerificationView {
  const total = Math.max(0, Number(BigInt(row.toSeq) - BigInt(row.fromSeq) + 1n));
  return { ...row, total, progress: total === 0 ? 1 : Math.min(1, row.checked / total) };
}
