import { Injectable } from '@nestjs/common';
import type { Prisma } from '#libs/database';
import { entryHash, GENESIS_HASH } from './audit-chain.js';

export interface AuditRecord {
  /** What happened: `ticket.issued`, `invoice.requested`, `api_key.created`... */
  kind: string;
  /** Who: an API key id, or the gateway instance. */
  actor: string;
  /** What it is about: `20123456789/wsfe`, an invoice request id... */
  subject: string;
  cuit?: string;
  payload: Record<string, unknown>;
}

// One chain for the whole cluster: writers take this transaction lock, so entries link in commit order.
const CHAIN_LOCK = 7_302_413_101;

/**
 * Appends to the hash-chained audit trail inside the caller's transaction, so the entry commits (or not) with the
 * state it records. The chain lock is held until that transaction ends: callers append last, just before commit.
 */
@Injectable()
export class AuditEntryRepository {
  async append(tx: Prisma.TransactionClient, record: AuditRecord): Promise<string> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
    const last = await tx.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
    const prevHash = last?.hash ?? GENESIS_HASH;
    // JSON round trip: the payload is hashed exactly as jsonb will give it back (no undefined, no Date objects).
    const payload = JSON.parse(JSON.stringify(record.payload)) as Prisma.InputJsonObject;
    const entry = { ...record, payload, occurredAt: new Date() };
    const hash = entryHash(prevHash, entry);
    await tx.auditEntry.create({
      data: {
        kind: entry.kind,
        actor: entry.actor,
        subject: entry.subject,
        cuit: entry.cuit === undefined ? null : BigInt(entry.cuit),
        payload,
        occurredAt: entry.occurredAt,
        prevHash,
        hash,
      },
    });
    return hash;
  }
}
