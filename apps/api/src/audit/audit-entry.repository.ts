import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Prisma } from '#libs/database';
import { canonicalJson } from './canonical-json.js';

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

const GENESIS = '0'.repeat(64);
// One chain for the whole cluster: writers take this transaction lock, so entries link in commit order.
const CHAIN_LOCK = 7_302_413_101;

/**
 * Appends to the hash-chained audit trail inside the caller's transaction, so the entry commits (or not) with the
 * state it records. hash = sha256(previous hash || canonical entry).
 */
@Injectable()
export class AuditEntryRepository {
  async append(tx: Prisma.TransactionClient, record: AuditRecord): Promise<string> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
    const last = await tx.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
    const prevHash = last?.hash ?? GENESIS;
    const occurredAt = new Date();
    const canonical = canonicalJson({ ...record, occurredAt });
    const hash = createHash('sha256').update(prevHash).update(canonical).digest('hex');
    await tx.auditEntry.create({
      data: {
        kind: record.kind,
        actor: record.actor,
        subject: record.subject,
        cuit: record.cuit === undefined ? null : BigInt(record.cuit),
        payload: record.payload as Prisma.InputJsonValue,
        occurredAt,
        prevHash,
        hash,
      },
    });
    return hash;
  }
}
