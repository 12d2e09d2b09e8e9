import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '#libs/database';
import { journalReference, type StoredEntry } from './audit-chain.js';

/** An entry of a CUIT-scoped verification, with the hash of the entry before it in the chain (whoever's it is). */
export interface ScopedEntry extends StoredEntry {
  /** null at the start of the chain. */
  chainPrevHash: string | null;
}

interface EntryRow {
  seq: bigint;
  kind: string;
  actor: string;
  subject: string;
  cuit: bigint | null;
  payload: unknown;
  occurredAt: Date;
  prevHash: string;
  hash: string;
}

/** Reads of the audit trail for its verification: the chain as stored, in `seq` order. */
@Injectable()
export class AuditChainRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The hash of the entry just before `seq` (undefined at the start of the chain). */
  async hashBefore(seq: bigint): Promise<string | undefined> {
    const row = await this.prisma.auditEntry.findFirst({
      where: { seq: { lt: seq } },
      orderBy: { seq: 'desc' },
      select: { hash: true },
    });
    return row?.hash;
  }

  /** The last entry's seq when the verification starts: entries written later wait for the next run. */
  async lastSeq(): Promise<bigint | undefined> {
    const row = await this.prisma.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } });
    return row?.seq;
  }

  /** Up to `limit` entries from `from` to `to`, in order. */
  async entries(from: bigint, to: bigint, limit: number): Promise<StoredEntry[]> {
    const rows = await this.prisma.auditEntry.findMany({
      where: { seq: { gte: from, lte: to } },
      orderBy: { seq: 'asc' },
      take: limit,
    });
    return rows.map(stored);
  }

  /**
   * Up to `limit` entries of `cuits` from `from` on, in chain order (index (cuit, seq)), each with the hash of the
   * entry just before it in the whole chain: only that hash is read of another tenant's entry.
   */
  async scopedEntries(cuits: bigint[], from: bigint, limit: number): Promise<ScopedEntry[]> {
    const rows = await this.prisma.$queryRaw<(EntryRow & { chainPrevHash: string | null })[]>(Prisma.sql`
      SELECT e.seq, e.kind, e.actor, e.subject, e.cuit, e.payload, e.occurred_at AS "occurredAt",
             e.prev_hash AS "prevHash", e.hash,
             (SELECT p.hash FROM audit_entry p WHERE p.seq < e.seq ORDER BY p.seq DESC LIMIT 1) AS "chainPrevHash"
        FROM audit_entry e
       WHERE e.cuit = ANY(${cuits}::bigint[]) AND e.seq >= ${from}
       ORDER BY e.seq
       LIMIT ${limit}`);
    return rows.map((row) => ({ ...stored(row), chainPrevHash: row.chainPrevHash }));
  }

  /** The hash of the last entry of `cuits` before `seq` (a CUIT-scoped checkpoint), if any. */
  async scopedHashBefore(cuits: bigint[], seq: bigint): Promise<{ seq: string; hash: string } | undefined> {
    const row = await this.prisma.auditEntry.findFirst({
      where: { cuit: { in: cuits }, seq: { lt: seq } },
      orderBy: { seq: 'desc' },
      select: { seq: true, hash: true },
    });
    return row ? { seq: row.seq.toString(), hash: row.hash } : undefined;
  }

  /** The request bodies of the journal rows these entries hash, by id (absent: the row is gone). */
  async journalBodies(entries: StoredEntry[]): Promise<Map<string, unknown>> {
    const ids = [...new Set(entries.flatMap((entry) => journalReference(entry)?.id ?? []))].filter((id) =>
      /^[0-9a-f-]{36}$/.test(id),
    );
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.invoiceRequest.findMany({
      where: { id: { in: ids } },
      select: { id: true, request: true },
    });
    return new Map(rows.map((row) => [row.id, row.request]));
  }
}

function stored(row: EntryRow): StoredEntry {
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
