import { Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '#libs/database';
import { type BrokenLink, checkLinks, GENESIS_HASH, type StoredEntry } from './audit-chain.js';

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

const BATCH = 5000;

/**
 * Recomputes the audit chain from a checkpoint (or the start) up to the last entry committed when it begins,
 * in batches, and names the first entry whose link or content does not match.
 */
@Injectable()
export class ChainVerifier {
  private readonly logger = new Logger('Audit');

  constructor(private readonly prisma: PrismaService) {}

  async verify(fromSeq?: number, checkpointHash?: string): Promise<VerifyResult> {
    const start = BigInt(fromSeq ?? 1);
    const before = await this.prisma.auditEntry.findFirst({
      where: { seq: { lt: start } },
      orderBy: { seq: 'desc' },
      select: { hash: true },
    });
    const end = await this.prisma.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } });
    let previous = checkpointHash ?? before?.hash ?? GENESIS_HASH;
    let checked = 0;
    let first: string | null = null;
    let last: string | null = null;
    let next = start;
    while (end && next <= end.seq) {
      const rows = await this.prisma.auditEntry.findMany({
        where: { seq: { gte: next, lte: end.seq } },
        orderBy: { seq: 'asc' },
        take: BATCH,
      });
      if (rows.length === 0) break;
      const entries = rows.map(toStored);
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
      next = rows.at(-1)!.seq + 1n;
    }
    return { ok: true, fromSeq: first, toSeq: last, checked, lastHash: previous };
  }
}

function toStored(row: {
  seq: bigint;
  kind: string;
  actor: string;
  subject: string;
  cuit: bigint | null;
  payload: unknown;
  occurredAt: Date;
  prevHash: string;
  hash: string;
}): StoredEntry {
  return {
    seq: row.seq.toString(),
    kind: row.kind,
    actor: row.actor,
    subject: row.subject,
    cuit: row.cuit?.toString(),
    payload: row.payload,
    occurredAt: row.occurredAt,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
