import { Injectable, Logger } from '@nestjs/common';
import { type BrokenLink, checkJournal, checkLinks, entryHash, GENESIS_HASH } from './audit-chain.js';
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

/** Where a walk stands after a batch: for a job's progress and checkpoints. */
export interface WalkProgress {
  checked: number;
  lastSeq: string;
  lastHash: string;
}

/** A CUIT-scoped verification: only the key's entries, and nothing about anyone else's but that they link. */
export interface ScopedVerifyResult extends VerifyResult {
  scope: { cuits: string[] };
}

/**
 * Entries per read: small enough that hashing one batch holds the event loop for a few milliseconds only (with
 * 1,000, /health/live waited up to 32 ms during test/audit/verification.e2e.spec.ts).
 */
const BATCH = 250;

const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Recomputes the audit chain in batches that yield to the event loop, and names the first entry whose link,
 * content or journal row does not match: the whole chain from a checkpoint (a background job's walk), or the
 * entries of some CUITs (an auditor's).
 */
@Injectable()
export class ChainVerifier {
  private readonly logger = new Logger('Audit');

  constructor(private readonly chain: AuditChainRepository) {}

  /** The last entry now: a walk stops there, and later entries wait for the next one. */
  lastSeq(): Promise<bigint | undefined> {
    return this.chain.lastSeq();
  }

  /** The hash that precedes `seq` in the chain (the genesis hash at the start). */
  async hashBefore(seq: bigint): Promise<string> {
    return (await this.chain.hashBefore(seq)) ?? GENESIS_HASH;
  }

  /** The whole chain from `from` (preceded by `previous`) to `end`, reporting after each batch. */
  async walk(
    from: bigint,
    previous: string,
    end: bigint | undefined,
    onBatch?: (progress: WalkProgress) => Promise<void>,
  ): Promise<VerifyResult> {
    let checked = 0;
    let first: string | null = null;
    let last: string | null = null;
    let next = from;
    while (end !== undefined && next <= end) {
      const entries = await this.chain.entries(next, end, BATCH);
      if (entries.length === 0) break;
      first ??= entries[0]!.seq;
      const outcome = checkLinks(previous, entries);
      const journal = checkJournal(entries.slice(0, outcome.held), await this.chain.journalBodies(entries));
      const broken = journal ?? outcome.broken;
      if (broken) {
        const held = journal ? entries.findIndex((entry) => entry.seq === journal.seq) : outcome.held;
        this.logger.warn(
          `audit chain broken at entry ${broken.seq} (${broken.kind}): its ${broken.reason} does not match`,
        );
        return {
          ok: false,
          fromSeq: first,
          toSeq: broken.seq,
          checked: checked + held,
          lastHash: held > 0 ? entries[held - 1]!.hash : previous,
          firstBroken: broken,
        };
      }
      checked += outcome.held;
      previous = outcome.last;
      last = entries.at(-1)!.seq;
      next = BigInt(last) + 1n;
      await onBatch?.({ checked, lastSeq: last, lastHash: previous });
      // Between batches the process serves other requests (health probes, sales) before hashing on.
      await yieldToEventLoop();
    }
    return { ok: true, fromSeq: first, toSeq: last, checked, lastHash: previous };
  }

  /**
   * The entries of `cuits` from `fromSeq`: each one's content, its link to the entry before it in the chain
   * (whoever's that is: only its hash is compared, never shown) and its journal row. `lastHash` is the hash of the
   * scope's last entry checked (the genesis hash when it has none): given back as `checkpointHash` with `fromSeq`
   * = `toSeq` + 1, it must still be the hash of the scope's last entry before `fromSeq`.
   */
  async verifyCuits(cuits: string[], fromSeq = 1, checkpointHash?: string): Promise<ScopedVerifyResult> {
    const scope = { cuits };
    const ids = cuits.map((cuit) => BigInt(cuit));
    let next = BigInt(fromSeq);
    // The scope's last entry before fromSeq: what a checkpoint from an earlier run must still match.
    const before = await this.chain.scopedHashBefore(ids, next);
    let lastHash = before?.hash ?? GENESIS_HASH;
    if (checkpointHash !== undefined && checkpointHash !== lastHash) {
      const seq = before?.seq ?? String(fromSeq);
      return {
        scope,
        ok: false,
        fromSeq: seq,
        toSeq: seq,
        checked: 0,
        lastHash: checkpointHash,
        firstBroken: {
          seq,
          kind: 'checkpoint',
          occurredAt: '',
          reason: 'checkpoint',
          expected: checkpointHash,
          stored: lastHash,
        },
      };
    }
    const end = await this.chain.lastSeq();
    let checked = 0;
    let first: string | null = null;
    let last: string | null = null;
    while (end !== undefined && next <= end) {
      const entries = (await this.chain.scopedEntries(ids, next, BATCH)).filter(
        (entry) => BigInt(entry.seq) <= end,
      );
      if (entries.length === 0) break;
      first ??= entries[0]!.seq;
      const journal = await this.chain.journalBodies(entries);
      for (const entry of entries) {
        const where = { seq: entry.seq, kind: entry.kind, occurredAt: entry.occurredAt.toISOString() };
        let broken: BrokenLink | undefined;
        if (entry.prevHash !== (entry.chainPrevHash ?? GENESIS_HASH))
          broken = { ...where, reason: 'prev_hash' };
        else if (entryHash(entry.prevHash, entry) !== entry.hash)
          broken = {
            ...where,
            reason: 'hash',
            expected: entryHash(entry.prevHash, entry),
            stored: entry.hash,
          };
        else broken = checkJournal([entry], journal);
        if (broken)
          return {
            scope,
            ok: false,
            fromSeq: first,
            toSeq: entry.seq,
            checked,
            lastHash,
            firstBroken: broken,
          };
        checked += 1;
        lastHash = entry.hash;
        last = entry.seq;
      }
      next = BigInt(last!) + 1n;
      await yieldToEventLoop();
    }
    return { scope, ok: true, fromSeq: first, toSeq: last, checked, lastHash };
  }
}
