import { Injectable } from '@nestjs/common';
import { Prisma } from '#libs/database';
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
    const [hash] = await this.appendMany(tx, [record]);
    return hash!;
  }

  /**
   * Several entries in one statement, linked in order: the chain lock and the chain's head are taken once, so a
   * batch of vouchers costs the trail three round trips whatever its size. Their hashes, in order.
   */
  async appendMany(tx: Prisma.TransactionClient, records: AuditRecord[]): Promise<string[]> {
    if (records.length === 0) return [];
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
    // A statement of its own, after the lock: a statement's snapshot is taken when it starts, so one that waited
    // for the lock could not see the entry its predecessor committed meanwhile.
    const last = await tx.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
    let prevHash = last?.hash ?? GENESIS_HASH;
    const occurredAt = new Date();
    const rows = records.map((record) => {
      // JSON round trip: the payload is hashed exactly as jsonb will give it back (no undefined, no Date objects).
      const payload = JSON.parse(JSON.stringify(record.payload)) as Prisma.InputJsonObject;
      const hash = entryHash(prevHash, { ...record, payload, occurredAt });
      const row = {
        kind: record.kind,
        actor: record.actor,
        subject: record.subject,
        cuit: record.cuit === undefined ? null : BigInt(record.cuit),
        payload,
        occurredAt,
        prevHash,
        hash,
      };
      prevHash = hash;
      return row;
    });
    // One multi-row INSERT: rows take their seq in VALUES order, so seq follows the chain. Raw SQL: a batch's
    // entries cost no ORM argument building.
    const values = rows.map(
      (row) =>
        Prisma.sql`(${row.occurredAt}::timestamptz, ${row.kind}, ${row.actor}, ${row.subject}, ${row.cuit}::bigint,
          ${JSON.stringify(row.payload)}::jsonb, ${row.prevHash}, ${row.hash})`,
    );
    await tx.$executeRaw`
      INSERT INTO audit_entry (occurred_at, kind, actor, subject, cuit, payload, prev_hash, hash)
      VALUES ${Prisma.join(values)}`;
    return rows.map((row) => row.hash);
  }
}
