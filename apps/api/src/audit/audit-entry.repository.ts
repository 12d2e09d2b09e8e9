import { Injectable } from '@nestjs/common';
import { type Prisma, prismaRunner, sendWithNext, type SqlRunner } from '#libs/database';
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

/** A transaction the trail is appended in: Prisma's, or a `Sql` one (the lanes'). */
export type AuditTransaction = Prisma.TransactionClient | SqlRunner;

// One chain for the whole cluster: writers take this transaction lock, so entries link in commit order.
const CHAIN_LOCK = 7_302_413_101;

/**
 * Appends to the hash-chained audit trail inside the caller's transaction, so the entry commits (or not) with the
 * state it records. The chain lock is held until that transaction ends: callers append last, just before commit.
 */
@Injectable()
export class AuditEntryRepository {
  async append(tx: AuditTransaction, record: AuditRecord): Promise<string> {
    const [hash] = await this.appendMany(tx, [record]);
    return hash!;
  }

  /**
   * Several entries in one statement, linked in order: the chain lock and the chain's head are taken once, so a
   * batch of vouchers costs the trail two round trips whatever its size, shared with the transaction's other
   * statements in a `Sql` transaction (the lock with the head's read, the INSERT with what comes next). Their
   * hashes, in order.
   */
  async appendMany(transaction: AuditTransaction, records: AuditRecord[]): Promise<string[]> {
    if (records.length === 0) return [];
    const tx = '$queryRawUnsafe' in transaction ? prismaRunner(transaction) : transaction;
    // The lock goes in the same round trip as the head's read, in a statement of its own before it: a statement's
    // snapshot is taken when it starts, so one that waited for the lock could not see the entry its predecessor
    // committed meanwhile.
    await sendWithNext(tx, `SELECT 1 AS locked FROM pg_advisory_xact_lock(${CHAIN_LOCK})`);
    const [last] = await tx.query<{ hash: string }>('SELECT hash FROM audit_entry ORDER BY seq DESC LIMIT 1');
    let prevHash = last?.hash ?? GENESIS_HASH;
    const occurredAt = new Date();
    const rows = records.map((record) => {
      // JSON round trip: the payload is hashed exactly as jsonb will give it back (no undefined, no Date objects).
      const payload = JSON.parse(JSON.stringify(record.payload)) as Record<string, unknown>;
      const hash = entryHash(prevHash, { ...record, payload, occurredAt });
      const row = {
        kind: record.kind,
        actor: record.actor,
        subject: record.subject,
        cuit: record.cuit ?? null,
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
    const values: unknown[] = [];
    const tuples = rows.map((row) => {
      const at = values.length;
      values.push(
        row.occurredAt.toISOString(),
        row.kind,
        row.actor,
        row.subject,
        row.cuit,
        JSON.stringify(row.payload),
        row.prevHash,
        row.hash,
      );
      return `($${at + 1}::timestamptz, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}::bigint, $${at + 6}::jsonb, $${at + 7}, $${at + 8})`;
    });
    // Nobody reads its answer: it goes with the transaction's next statement, in a lane its COMMIT.
    await sendWithNext(
      tx,
      `INSERT INTO audit_entry (occurred_at, kind, actor, subject, cuit, payload, prev_hash, hash)
       VALUES ${tuples.join(', ')}`,
      values,
    );
    return rows.map((row) => row.hash);
  }
}
