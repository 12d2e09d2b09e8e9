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
    // One INSERT of all rows, given as one JSON document (PostgreSQL parses one document, not a VALUES list of 8
    // values a row). Rows take their seq in the document's order (ORDER BY its ordinality), so seq follows the chain.
    // Nobody reads its answer: it goes with the transaction's next statement, in a lane its COMMIT.
    await sendWithNext(
      tx,
      `INSERT INTO audit_entry (occurred_at, kind, actor, subject, cuit, payload, prev_hash, hash)
       SELECT v.occurred_at, v.kind, v.actor, v.subject, v.cuit, v.payload, v.prev_hash, v.hash
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (occurred_at timestamptz, kind text, actor text,
              subject text, cuit bigint, payload jsonb, prev_hash text, hash text))
            WITH ORDINALITY AS v(occurred_at, kind, actor, subject, cuit, payload, prev_hash, hash, n)
       ORDER BY v.n`,
      [
        JSON.stringify(
          rows.map((row) => ({
            occurred_at: row.occurredAt.toISOString(),
            kind: row.kind,
            actor: row.actor,
            subject: row.subject,
            cuit: row.cuit,
            payload: row.payload,
            prev_hash: row.prevHash,
            hash: row.hash,
          })),
        ),
      ],
    );
    return rows.map((row) => row.hash);
  }
}
