import { Injectable } from '@nestjs/common';
import { PrismaService } from '#libs/database';
import type { StoredEntry } from './audit-chain.js';

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
    return rows.map((row) => ({
      seq: row.seq.toString(),
      kind: row.kind,
      actor: row.actor,
      subject: row.subject,
      cuit: row.cuit?.toString(),
      payload: row.payload,
      occurredAt: row.occurredAt,
      prevHash: row.prevHash,
      hash: row.hash,
    }));
  }
}
