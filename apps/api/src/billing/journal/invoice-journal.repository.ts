import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Prisma, prepared, PrismaService, Sql } from '#libs/database';
import type { FECAEDetRequest } from '#libs/afip-wsfe';
import { type AuditRecord, AuditEntryRepository } from '../../audit/audit-entry.repository.js';
import type { LaneKey, LaneSession } from '../lanes/numbering-lane.repository.js';
import { SharedInserts } from './shared-inserts.js';

// The hot path's three journal statements, prepared once per connection (parsed and planned once).
const INSERT_PENDING = prepared(
  'journal_insert_pending',
  `INSERT INTO invoice_request (id, api_key_id, idempotency_key, request_hash, environment, cuit, pto_vta,
                                cbte_tipo, request, attempt_token, updated_at)
   SELECT v.id, v.api_key_id, v.idempotency_key, v.request_hash, v.environment, v.cuit, v.pto_vta, v.cbte_tipo,
          v.request, v.attempt_token, now()
   FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, api_key_id uuid, idempotency_key text, request_hash text,
          environment text, cuit bigint, pto_vta int, cbte_tipo int, request jsonb, attempt_token uuid),
        set_config('synchronous_commit', 'off', true) AS asynchronous_commit
   ON CONFLICT (api_key_id, idempotency_key) DO NOTHING
   RETURNING id`,
);

const MARK_SENT = prepared(
  'journal_mark_sent',
  `UPDATE invoice_request AS r SET
     state = 'SENT', sent_request = v.sent, cbte_desde = v.desde, cbte_hasta = v.hasta,
     sent_at = $1::timestamptz, attempts = r.attempts + 1, updated_at = now()
   FROM jsonb_to_recordset($2::jsonb) AS v(id uuid, token uuid, sent jsonb, desde bigint, hasta bigint)
   WHERE r.id = v.id AND r.attempt_token = v.token AND r.state IN ('PENDING', 'SENT')
   RETURNING r.id, r.attempt_token`,
);

const CLOSE_SENT = prepared(
  'journal_close_sent',
  `UPDATE invoice_request AS r SET
     state = v.state,
     cbte_desde = COALESCE(v.cbte_desde, r.cbte_desde),
     cbte_hasta = COALESCE(v.cbte_hasta, r.cbte_hasta),
     afip_response = COALESCE(v.afip_response, r.afip_response),
     http_status = v.http_status,
     response_body = v.response_body,
     sent_at = COALESCE(v.sent_at, r.sent_at),
     completed_at = COALESCE(v.completed_at, r.completed_at),
     updated_at = $1::timestamptz
   FROM jsonb_to_recordset($2::jsonb) AS v(id uuid, state "InvoiceRequestState", cbte_desde bigint,
          cbte_hasta bigint, afip_response jsonb, http_status int, response_body jsonb, sent_at timestamptz,
          completed_at timestamptz)
   WHERE r.id = v.id AND r.state IN ('SENT', 'UNKNOWN')
   RETURNING r.id`,
);

export type JournalState = 'PENDING' | 'SENT' | 'AUTHORIZED' | 'REJECTED' | 'UNKNOWN' | 'FAILED';

export interface NewRequest {
  apiKeyId: string;
  idempotencyKey?: string;
  requestHash: string;
  environment: string;
  cuit: number;
  ptoVta: number;
  cbteTipo: number;
  request: object;
}

/** A new request's row before its INSERT. */
interface OpeningRow {
  id: string;
  token: string;
  request: NewRequest;
}

/** A journal row as the services see it. */
export interface JournalRow {
  id: string;
  state: JournalState;
  requestHash: string;
  attemptToken: string | null;
  cuit: number;
  ptoVta: number;
  cbteTipo: number;
  apiKeyId: string | null;
  idempotencyKey: string | null;
  /** The details as numbered and sent, once SENT. */
  sentRequest: FECAEDetRequest[] | null;
  attempts: number;
  sentAt: Date | null;
  httpStatus: number | null;
  responseBody: unknown;
}

/** A request that ended without reaching ARCA's answer: nothing sent (FAILED) or sent in doubt (UNKNOWN). */
export interface Failure {
  state: 'FAILED' | 'UNKNOWN';
  httpStatus: number;
  responseBody: { code: string; message: string };
  actor: string;
  httpRequestId: string;
  arcaMs: number;
}

/**
 * The write-ahead journal (`invoice_request`), row by row. Every state change is a compare-and-set on the state
 * (and, before sending, on the attempt token), so two attempts, replicas or reconcilers never both move a row:
 * PENDING -> SENT is committed before FECAESolicitar leaves; SENT -> AUTHORIZED | REJECTED | UNKNOWN after.
 */
@Injectable()
export class InvoiceJournalRepository {
  /** New requests' rows, those of one turn of the event loop in one INSERT (see SharedInserts). */
  private readonly opening = new SharedInserts<OpeningRow>((rows) => this.insertPending(rows));

  constructor(
    private readonly prisma: PrismaService,
    private readonly sql: Sql,
    private readonly audit: AuditEntryRepository,
  ) {}

  /**
   * The journal row of a new request (PENDING), committed on its own, in one INSERT with the rows of the other
   * requests that came in the same turn (SharedInserts); or, when the API key already used this Idempotency-Key,
   * the row that did. Its `invoice.requested` entry is written with the row's first
   * close (the lane's transaction, or `fail`), so a request costs the chain lock nothing here.
   */
  async open(request: NewRequest): Promise<{ id: string; token: string } | { existing: JournalRow }> {
    const row = { id: randomUUID(), token: randomUUID(), request };
    if (await this.opening.add(row)) return { id: row.id, token: row.token };
    const existing = await this.prisma.invoiceRequest.findUnique({
      where: {
        apiKeyId_idempotencyKey: { apiKeyId: request.apiKeyId, idempotencyKey: request.idempotencyKey ?? '' },
      },
    });
    if (!existing)
      throw new Error(`journal row for Idempotency-Key ${request.idempotencyKey} neither inserted nor found`);
    return { existing: toRow(existing) };
  }

  /**
   * PENDING rows, one statement on the requests' pool; a used Idempotency-Key inserts nothing. The rows travel as
   * one JSON document, as the lane's statements do.
   *
   * Committed without waiting for the WAL flush (`synchronous_commit` off for this transaction only): a PENDING row
   * has sent nothing, and whatever later depends on it waits for a durable commit of its own (SENT before ARCA is
   * called, the close before the client is answered), which flushes the WAL up to and past this row. A crash can
   * lose only rows of requests that never reached ARCA and were never answered.
   */
  private async insertPending(rows: OpeningRow[]): Promise<Set<OpeningRow>> {
    const inserted = await this.sql.query<{ id: string }>(INSERT_PENDING, [
      JSON.stringify(
        rows.map(({ id, token, request }) => ({
          id,
          api_key_id: request.apiKeyId,
          idempotency_key: request.idempotencyKey ?? null,
          request_hash: request.requestHash,
          environment: request.environment,
          cuit: request.cuit,
          pto_vta: request.ptoVta,
          cbte_tipo: request.cbteTipo,
          request: request.request,
          attempt_token: token,
        })),
      ),
    ]);
    const ids = new Set(inserted.map((row) => row.id));
    return new Set(rows.filter((row) => ids.has(row.id)));
  }

  /**
   * A retry takes over a row that was not sent (PENDING, or FAILED before reaching ARCA): a new attempt token, so
   * the earlier attempt, if still queued, can no longer send it. Undefined when another attempt moved it first.
   */
  async takeOver(
    row: JournalRow,
    actor: string,
    httpRequestId: string,
    idempotencyKey?: string,
  ): Promise<string | undefined> {
    const token = randomUUID();
    return this.prisma.$transaction(async (tx) => {
      const moved = await tx.invoiceRequest.updateMany({
        where: { id: row.id, state: row.state, attemptToken: row.attemptToken },
        data: { state: 'PENDING', attemptToken: token, completedAt: null },
      });
      if (moved.count === 0) return undefined;
      // A row whose first attempt died before sending or failing has no `invoice.requested` entry yet.
      const requested = await tx.auditEntry.findFirst({
        where: { subject: journalSubject(row.id), kind: 'invoice.requested' },
        select: { seq: true },
      });
      const entries: AuditRecord[] = requested
        ? []
        : [
            InvoiceJournalRepository.requestedEntry(
              row.id,
              { ...row, apiKeyId: row.apiKeyId ?? actor, idempotencyKey },
              row.requestHash,
              httpRequestId,
            ),
          ];
      entries.push({
        kind: 'invoice.retried',
        actor,
        subject: journalSubject(row.id),
        cuit: String(row.cuit),
        payload: { previousState: row.state, httpRequestId },
      });
      await this.audit.appendMany(tx, entries);
      return token;
    });
  }

  /**
   * A batch's rows PENDING (or SENT, when the lane renumbers) -> SENT with their numbered details, in one
   * statement committed on its own before FECAESolicitar leaves (the lane's transaction commits only after it).
   * The attempts that moved, as `attemptKey(id, token)`: one missing was taken over by a retry (whose attempt, with
   * the row's new token, may even sit in the same batch) and must not be sent.
   */
  async markAllSent(
    rows: { id: string; token: string; sent: FECAEDetRequest[] }[],
    sentAt: Date,
  ): Promise<Set<string>> {
    // The rows as one JSON parameter: PostgreSQL parses one document instead of a VALUES list of 5 parameters a row
    // (a 200-row UPDATE: 11-13 against 19-24 ms of its time, measured on this machine).
    const moved = await this.sql.query<{ id: string; attempt_token: string }>(
      MARK_SENT,
      [
        sentAt.toISOString(),
        JSON.stringify(
          rows.map(({ id, token, sent }) => ({
            id,
            token,
            sent,
            desde: sent[0]!.CbteDesde,
            hasta: sent.at(-1)!.CbteHasta,
          })),
        ),
      ],
      // The lane waits for this commit before its call: on the lanes' pool, never behind new requests.
      'lanes',
    );
    return new Set(moved.map((row) => attemptKey(row.id, row.attempt_token)));
  }

  /**
   * The `invoice.requested` entries missing for these rows (their first attempt died before its row's first
   * close), read in the lane's transaction; the reconciler writes them with the entry that closes the row.
   */
  async missingRequested(session: LaneSession, rows: JournalRow[]): Promise<Map<string, AuditRecord>> {
    const written = await session.client.query<{ subject: string }>(
      `SELECT subject FROM audit_entry WHERE kind = 'invoice.requested' AND subject = ANY($1::text[])`,
      [rows.map((row) => journalSubject(row.id))],
    );
    const have = new Set(written.map((entry) => entry.subject));
    return new Map(
      rows
        .filter((row) => !have.has(journalSubject(row.id)))
        .map((row) => [
          row.id,
          InvoiceJournalRepository.requestedEntry(
            row.id,
            { ...row, apiKeyId: row.apiKeyId ?? 'gateway', idempotencyKey: row.idempotencyKey ?? undefined },
            row.requestHash,
            '',
          ),
        ]),
    );
  }

  /** The `invoice.requested` entry of a journal row: who asked, for which lane, the body's hash (not the body). */
  static requestedEntry(
    id: string,
    request: { apiKeyId: string; cuit: number; ptoVta: number; cbteTipo: number; idempotencyKey?: string },
    requestHash: string,
    httpRequestId: string,
  ): AuditRecord {
    return {
      kind: 'invoice.requested',
      actor: request.apiKeyId,
      subject: journalSubject(id),
      cuit: String(request.cuit),
      payload: {
        ptoVta: request.ptoVta,
        cbteTipo: request.cbteTipo,
        idempotencyKey: request.idempotencyKey,
        // The body itself is the journal row's (`request`); its hash here proves it unchanged.
        requestHash,
        httpRequestId,
      },
    };
  }

  /**
   * Ends an attempt that did not get ARCA's answer, from PENDING (nothing sent) or SENT, to FAILED (ARCA certainly
   * did not process it) or UNKNOWN (in doubt), with its audit entry. False, and nothing written, when the row had
   * moved on (a retry took it over, a reconciler settled it).
   */
  async fail(
    id: string,
    token: string,
    cuit: number,
    from: 'PENDING' | 'SENT',
    failure: Failure,
    requested?: AuditRecord,
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const moved = await tx.invoiceRequest.updateMany({
        where: { id, attemptToken: token, state: from },
        data: {
          state: failure.state,
          httpStatus: failure.httpStatus,
          responseBody: failure.responseBody,
          completedAt: failure.state === 'FAILED' ? new Date() : null,
        },
      });
      if (moved.count === 0) return false;
      const failed: AuditRecord = {
        kind: failure.state === 'FAILED' ? 'invoice.failed' : 'invoice.in_doubt',
        actor: failure.actor,
        subject: journalSubject(id),
        cuit: String(cuit),
        payload: {
          state: failure.state,
          httpStatus: failure.httpStatus,
          error: failure.responseBody,
          arcaMs: Math.round(failure.arcaMs * 10) / 10,
          httpRequestId: failure.httpRequestId,
        },
      };
      // A request refused before it was ever sent has its `invoice.requested` entry written now, before its end.
      await this.audit.appendMany(tx, requested ? [requested, failed] : [failed]);
      return true;
    });
  }

  /**
   * SENT or UNKNOWN -> AUTHORIZED | REJECTED | FAILED with ARCA's answer, for every row of a call in one UPDATE, in
   * the lane's transaction (the vouchers and audit entries go with it, see InvoiceRepository.closeAll). The ids that
   * moved: a row another reconciler settled first stays as it is.
   */
  async closeSent(
    session: LaneSession,
    items: { id: string; outcome: ClosingOutcome }[],
  ): Promise<Set<string>> {
    const now = new Date().toISOString();
    const rows = await session.client.query<{ id: string }>(CLOSE_SENT, [
      now,
      // One JSON parameter for all rows, as markAllSent.
      JSON.stringify(
        items.map(({ id, outcome }) => ({
          id,
          state: outcome.state,
          cbte_desde: outcome.cbteDesde ?? null,
          cbte_hasta: outcome.cbteHasta ?? null,
          afip_response: outcome.afipResponse ?? null,
          http_status: outcome.httpStatus,
          response_body: outcome.responseBody,
          sent_at: outcome.sentAt?.toISOString() ?? null,
          completed_at: isFinal(outcome.state) ? now : null,
        })),
      ),
    ]);
    return new Set(rows.map((row) => row.id));
  }

  /** The row as committed; or, given a lane session, as that lane's transaction sees it (its own writes too). */
  async read(id: string, session?: LaneSession): Promise<JournalRow | undefined> {
    return (await this.readAll([id], session)).get(id);
  }

  /** Several rows in one statement, as `read` reads one, by id (ids with no row are absent). */
  async readAll(ids: string[], session?: LaneSession): Promise<Map<string, JournalRow>> {
    const rows = await (session?.client ?? this.sql).query<SqlJournalRow>(
      `SELECT ${JOURNAL_COLUMNS} FROM invoice_request WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, toRow({ ...row, cuit: BigInt(row.cuit) })]));
  }

  /** The row an API key opened with an Idempotency-Key, if any. */
  async findByKey(apiKeyId: string, idempotencyKey: string): Promise<JournalRow | undefined> {
    const row = await this.prisma.invoiceRequest.findUnique({
      where: { apiKeyId_idempotencyKey: { apiKeyId, idempotencyKey } },
    });
    return row ? toRow(row) : undefined;
  }

  /** The lane's vouchers in doubt (sent, answer unknown), oldest number first. */
  async inDoubt(key: LaneKey, session?: LaneSession): Promise<JournalRow[]> {
    // In a lane, on the lane's own connection: a lane never waits for the requests' pool (nor fails when it is full).
    const rows = await (session?.client ?? this.sql).query<SqlJournalRow>(
      `SELECT ${JOURNAL_COLUMNS} FROM invoice_request
        WHERE cuit = $1::bigint AND pto_vta = $2 AND cbte_tipo = $3 AND state IN ('SENT', 'UNKNOWN')
          AND environment = $4
        ORDER BY cbte_desde ASC NULLS LAST`,
      [key.cuit, key.ptoVta, key.cbteTipo, key.environment],
    );
    return rows.map((row) => toRow({ ...row, cuit: BigInt(row.cuit) }));
  }

  /** Lanes with vouchers in doubt, for the periodic reconciliation. */
  async lanesInDoubt(environment: string): Promise<LaneKey[]> {
    const rows = await this.prisma.invoiceRequest.findMany({
      where: { state: { in: ['SENT', 'UNKNOWN'] }, environment },
      distinct: ['cuit', 'ptoVta', 'cbteTipo'],
      select: { cuit: true, ptoVta: true, cbteTipo: true },
    });
    return rows.map((row) => ({
      environment,
      cuit: Number(row.cuit),
      ptoVta: row.ptoVta,
      cbteTipo: row.cbteTipo,
    }));
  }

  /**
   * SENT -> PENDING for an attempt ARCA certainly did not process (refused before processing, unreachable): its
   * number is free and nothing is in doubt, so its lane is not blocked while the sale goes on elsewhere (a CAEA
   * contingency). False when the row is no longer this attempt's.
   */
  async release(id: string, token: string): Promise<boolean> {
    const moved = await this.prisma.invoiceRequest.updateMany({
      where: { id, attemptToken: token, state: 'SENT' },
      data: { state: 'PENDING', sentRequest: Prisma.DbNull, cbteDesde: null, cbteHasta: null },
    });
    return moved.count > 0;
  }

  /**
   * PENDING rows nobody sent for `olderThanMs` (their replica died before the lane): FAILED, so a retry runs them
   * again. A live attempt never waits that long (its lane wait is shorter).
   */
  async abandon(olderThanMs: number): Promise<number> {
    const moved = await this.prisma.invoiceRequest.updateMany({
      where: { state: 'PENDING', updatedAt: { lt: new Date(Date.now() - olderThanMs) } },
      data: {
        state: 'FAILED',
        httpStatus: 503,
        responseBody: {
          code: 'UNAVAILABLE',
          message: 'the gateway stopped before sending this request to ARCA',
        },
        completedAt: new Date(),
      },
    });
    return moved.count;
  }
}

/** A row's final state with ARCA's answer (or the reconciler's verdict), and what its client is answered. */
export interface ClosingOutcome {
  state: JournalState;
  cbteDesde?: number;
  cbteHasta?: number;
  afipResponse?: object;
  httpStatus: number;
  responseBody: object;
  sentAt?: Date;
}

/** One attempt at a journal row: the row and the token that owns it. */
export function attemptKey(id: string, token: string): string {
  return `${id}/${token}`;
}

/** The audit subject of a journal row: its entries are found by it. */
export function journalSubject(id: string): string {
  return `invoice_request/${id}`;
}

/** The columns `toRow` reads, named as Prisma's model names them. */
const JOURNAL_COLUMNS = `id, state, request_hash AS "requestHash", attempt_token AS "attemptToken", cuit,
  pto_vta AS "ptoVta", cbte_tipo AS "cbteTipo", api_key_id AS "apiKeyId", idempotency_key AS "idempotencyKey",
  sent_request AS "sentRequest", attempts, sent_at AS "sentAt", http_status AS "httpStatus",
  response_body AS "responseBody"`;

type SqlJournalRow = Omit<Parameters<typeof toRow>[0], 'cuit'> & { cuit: string };

function toRow(row: {
  id: string;
  state: JournalState;
  requestHash: string;
  attemptToken: string | null;
  cuit: bigint;
  ptoVta: number;
  cbteTipo: number;
  apiKeyId: string | null;
  idempotencyKey: string | null;
  sentRequest: unknown;
  attempts: number;
  sentAt: Date | null;
  httpStatus: number | null;
  responseBody: unknown;
}): JournalRow {
  return {
    id: row.id,
    state: row.state,
    requestHash: row.requestHash,
    attemptToken: row.attemptToken,
    cuit: Number(row.cuit),
    ptoVta: row.ptoVta,
    cbteTipo: row.cbteTipo,
    apiKeyId: row.apiKeyId,
    idempotencyKey: row.idempotencyKey,
    sentRequest: (row.sentRequest as FECAEDetRequest[] | null) ?? null,
    attempts: row.attempts,
    sentAt: row.sentAt,
    httpStatus: row.httpStatus,
    responseBody: row.responseBody,
  };
}

/** A state the row never leaves (its request is answered for good). */
function isFinal(state: JournalState): boolean {
  return state !== 'PENDING' && state !== 'SENT' && state !== 'UNKNOWN';
}
