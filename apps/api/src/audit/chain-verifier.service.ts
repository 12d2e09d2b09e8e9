import { Injectable, Logger } from '@nestjs/common';
import { type BrokenLink, checkLinks, GENESIS_HASH } from './audit-chain.js';
import { AuditChainRepository } from './audit-chain.repository.js';

export interface VerifyResult {
  ok: boolean;
  /** The first and last entries walked (null when the chain is empty from there). */
  fromSeq: string | null;
  toSeq: string | null;
  checked: number;
  /** The hash after the last entry checked: note it as the next checkpoint. */
  lastHash: string;
  firstBroken?: BrokenLink;
}

/** Entries per read: small enough that hashing one batch holds the event loop for a few milliseconds only. */
const BATCH = 1000;

/**
 * Recomputes the audit chain from a checkpoint (or the start) up to the last entry committed when it begins,
 * in batches that yield to the event loop, and names the first entry whose link or content does not match.
 */
@Injectable()
export class ChainVerifier {
  private readonly logger = new Logger('Audit');

  constructor(private readonly chain: AuditChainRepository) {}

  async verify(fromSeq?: number, checkpointHash?: string): Promise<VerifyResult> {
    const start = BigInt(fromSeq ?? 1);
    const before = await this.chain.hashBefore(start);
    const end = await this.chain.lastSeq();
    let previous = checkpointHash ?? before ?? GENESIS_HASH;
    let checked = 0;
    let first: string | null = null;
    let last: string | null = null;
    let next = start;
    while (end !== undefined && next <= end) {
      const entries = await this.chain.entries(next, end, BATCH);
      if (entries.length === 0) break;
      first ??= entries[0]!.seq;
      const outcome = checkLinks(previous, entries);
      checked += outcome.held;
      previous = outcome.last;
      if (outcome.broken) {
        const { seq, kind, reason } = outcome.broken;
        this.logger.warn(`audit chain broken at entry ${seq} (${kind}): its ${reason} does not match`);
        return {
          ok: false,
          fromSeq: first,
          toSeq: seq,
          checked,
          lastHash: previous,
          firstBroken: outcome.broken,
        };
      }
      last = entries.at(-1)!.seq;
      next = BigInt(entries.at(-1)!.seq) + 1n;
      // Between batches the process serves other requests (health probes, sales) before hashing on.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { ok: true, fromSeq: first, toSeq: last, checked, lastHash: previous };
  }
}
