import { Injectable } from '@nestjs/common';
import { PrismaService, sendWithNext, type SqlRunner } from '#libs/database';
import type { FECAEDetRequest, FECAEDetResponse } from '#libs/afip-wsfe';
import { type AuditRecord, AuditEntryRepository } from '../audit/audit-entry.repository.js';
import {
  InvoiceJournalRepository,
  type ClosingOutcome,
  journalSubject,
} from './journal/invoice-journal.repository.js';
import { type LaneKey, type LaneSession, laneValues } from './lanes/numbering-lane.repository.js';

/** A row's final state, as the journal stores it, and what the audit entry adds. */
export interface RequestOutcome extends ClosingOutcome {
  /** Sends of FECAESolicitar this outcome took, for the audit entry (the journal counts every send). */
  attempts: number;
}

/** For the audit entry of the outcome: who asked, and how long ARCA took. */
export interface OutcomeAudit {
  actor: string;
  /** `invoice.answered` by default; `invoice.conflict` when ARCA holds another voucher under the number. */
  kind?: string;
  /** How a reconciliation settled the row, when one did. */
  reconciled?: string;
  arcaMs: number;
  /** The HTTP request id, to find the log lines. */
  httpRequestId: string;
}

/** One voucher as sent and as ARCA answered it. */
export interface VoucherRecord {
  sent: FECAEDetRequest;
  answer: FECAEDetResponse;
}

/**
 * ARCA authorized a number the gateway had already recorded as authorized in the same environment and lane (its
 * environment was reset, or another system numbered there): both are kept, the earlier one superseded.
 */
export interface NumberConflict {
  cbteNro: number;
  /** The gateway's earlier record of the number, now superseded. */
  superseded: { invoiceId: string; requestId: string; cae: string | null; cbteFch: string };
  /** What ARCA authorized under it now. */
  cae: string;
}

/** A journal row to close: its outcome, its vouchers as sent and answered, and who asked. */
export interface CloseItem {
  id: string;
  outcome: RequestOutcome;
  vouchers: VoucherRecord[];
  audit: OutcomeAudit;
  /** The row's `invoice.requested` entry when it is not written yet: it goes first. */
  requested?: AuditRecord;
}

/** What closing a journal row did: whether it moved, the number conflicts it recorded, the answer it stored. */
export interface Closing {
  closed: boolean;
  conflicts: NumberConflict[];
  /** The outcome's body, naming the conflicts when there were any: what the client is answered. */
  responseBody: object;
}

export interface StoredVoucher {
  id: string;
  requestId: string;
  cbteNro: number;
  cbteFch: string;
  resultado: string;
  cae?: string;
  caeFchVto?: string;
  impTotal: string;
  monId: string;
  docTipo: number;
  docNro: number;
  observaciones: unknown;
  createdAt: string;
  /** Set when ARCA no longer holds this voucher. */
  superseded?: { at: string; reason: string };
}

/**
 * The vouchers ARCA answered (`invoice`), stored with the journal row's final state and its `invoice.answered`
 * (or `invoice.conflict`) audit entry, all in the lane's transaction; and the gateway's record of a voucher. The
 * journal row's earlier states are `InvoiceJournalRepository`'s.
 */
@Injectable()
export class InvoiceRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditEntryRepository,
    private readonly journal: InvoiceJournalRepository,
  ) {}

  /** One journal row closed with ARCA's answer: `closeAll` for a single row. */
  async close(
    session: LaneSession,
    id: string,
    outcome: RequestOutcome,
    vouchers: VoucherRecord[],
    audit: OutcomeAudit,
    requested?: AuditRecord,
  ): Promise<Closing> {
    const [closing] = await this.closeAll(session, [{ id, outcome, vouchers, audit, requested }]);
    return closing!;
  }

  /**
   * Closes journal rows that were sent (SENT, or UNKNOWN when a reconciler settles them) with ARCA's answers and
   * stores each voucher, in the lane's transaction, in a constant number of statements whatever the batch's size:
   * one UPDATE for the rows, one INSERT for the vouchers, one for the audit entries. A row no longer in those
   * states (another reconciler settled it first) is left alone. A voucher ARCA authorized is stored whatever the
   * gateway recorded before under its number: the earlier record is superseded and the conflict named in the
   * answer and the trail, never a failed write that would lose the CAE. `recordedUpTo`: the lane's highest number
   * that can have a record (its last number when it was synced); numbers above it skip the look for conflicts.
   */
  async closeAll(session: LaneSession, items: CloseItem[], recordedUpTo?: number): Promise<Closing[]> {
    const { client, key } = session;
    const conflicts = await this.clashes(
      client,
      key,
      items.flatMap((item) => item.vouchers),
      recordedUpTo,
    );
    const planned = items.map((item) => {
      const own = conflicts.filter((conflict) =>
        item.vouchers.some(({ answer }) => answer.Resultado === 'A' && answer.CbteDesde === conflict.cbteNro),
      );
      const responseBody =
        own.length > 0
          ? { ...item.outcome.responseBody, conflicts: own.map(describeConflict) }
          : item.outcome.responseBody;
      return { ...item, conflicts: own, outcome: { ...item.outcome, responseBody } };
    });
    const moved = await this.journal.closeSent(session, planned);
    const closed = planned.filter((item) => moved.has(item.id));
    for (const item of closed) {
      if (item.conflicts.length > 0) await this.supersede(client, item.id, item.conflicts);
    }
    const vouchers = closed.flatMap((item) => item.vouchers.map((voucher) => ({ id: item.id, ...voucher })));
    if (vouchers.length > 0) await this.storeVouchers(client, key, vouchers);
    // Last in the lane's transaction: the chain lock is held only until its commit.
    await this.audit.appendMany(
      client,
      closed.flatMap((item) => [
        ...(item.requested ? [item.requested] : []),
        ...item.conflicts.map((conflict) => conflictEntry(item.id, key, conflict, item.audit.actor)),
        answeredEntry(item.id, key, item.outcome, item.vouchers, item.audit),
      ]),
    );
    return planned.map((item) =>
      moved.has(item.id)
        ? { closed: true, conflicts: item.conflicts, responseBody: item.outcome.responseBody }
        : { closed: false, conflicts: [], responseBody: item.outcome.responseBody },
    );
  }

  /** The gateway's authorized records, still held, under the numbers ARCA authorized now. */
  private async clashes(
    client: SqlRunner,
    key: LaneKey,
    vouchers: VoucherRecord[],
    recordedUpTo: number | undefined,
  ): Promise<NumberConflict[]> {
    const authorized = vouchers.filter(({ answer }) => answer.Resultado === 'A');
    if (authorized.length === 0) return [];
    if (recordedUpTo !== undefined && authorized.every(({ answer }) => answer.CbteDesde > recordedUpTo))
      return [];
    const rows = await client.query<{
      id: string;
      request_id: string;
      cbte_nro: string;
      cae: string | null;
      cbte_fch: string;
    }>(
      `SELECT id, request_id, cbte_nro, cae, cbte_fch FROM invoice
       WHERE ${LANE_WHERE} AND resultado = 'A' AND superseded_at IS NULL AND cbte_nro = ANY($5::bigint[])`,
      [...laneValues(key), authorized.map(({ answer }) => String(answer.CbteDesde))],
    );
    return rows.map((row) => ({
      cbteNro: Number(row.cbte_nro),
      superseded: { invoiceId: row.id, requestId: row.request_id, cae: row.cae, cbteFch: row.cbte_fch },
      cae: authorized.find(({ answer }) => answer.CbteDesde === Number(row.cbte_nro))?.answer.CAE ?? '',
    }));
  }

  private async supersede(client: SqlRunner, requestId: string, conflicts: NumberConflict[]): Promise<void> {
    for (const conflict of conflicts) {
      await client.query(
        'UPDATE invoice SET superseded_at = now(), superseded_reason = $2 WHERE id = $1::uuid',
        [
          conflict.superseded.invoiceId,
          `ARCA authorized number ${conflict.cbteNro} again (CAE ${conflict.cae}, journal ${requestId})`,
        ],
      );
    }
  }

  /**
   * An admin accepted ARCA's numbering after a reset: the lane's vouchers above ARCA's last number are kept,
   * marked superseded. How many.
   */
  async supersedeAbove(session: LaneSession, arcaLast: number, reason: string): Promise<number> {
    const moved = await session.client.query(
      `UPDATE invoice SET superseded_at = now(), superseded_reason = $6
       WHERE ${LANE_WHERE} AND superseded_at IS NULL AND cbte_nro > $5::bigint
       RETURNING id`,
      [...laneValues(session.key), arcaLast, reason],
    );
    return moved.length;
  }

  /** The highest number the gateway recorded as authorized, and still held by ARCA, on the lane (0: none). */
  async highestAuthorized(session: LaneSession): Promise<number> {
    return highestAuthorizedOn(session);
  }

  /** The vouchers of a call in one multi-row INSERT. */
  private async storeVouchers(
    client: SqlRunner,
    key: LaneKey,
    vouchers: (VoucherRecord & { id: string })[],
  ): Promise<void> {
    const rows = vouchers.map(({ id, sent, answer }) => {
      const authorized = answer.Resultado === 'A';
      return {
        request_id: id,
        cbte_nro: answer.CbteDesde,
        cbte_fch: answer.CbteFch || sent.CbteFch || '',
        concepto: sent.Concepto,
        doc_tipo: sent.DocTipo,
        doc_nro: sent.DocNro,
        imp_total: sent.ImpTotal,
        imp_neto: sent.ImpNeto,
        imp_iva: sent.ImpIVA,
        mon_id: sent.MonId ?? 'PES',
        mon_cotiz: sent.MonCotiz ?? 1,
        resultado: answer.Resultado,
        cae: authorized && answer.CAE ? answer.CAE : null,
        cae_fch_vto: authorized && answer.CAEFchVto ? answer.CAEFchVto : null,
        observaciones: answer.Observaciones.map((item) => ({ code: item.Code, msg: item.Msg })),
      };
    });
    // The vouchers as one JSON document (PostgreSQL parses one document, not a VALUES list of 15 values a row).
    // Nobody reads its answer: it goes with the transaction's next statement (the audit chain's lock and head).
    await sendWithNext(
      client,
      `INSERT INTO invoice (id, request_id, environment, cuit, pto_vta, cbte_tipo, cbte_nro, cbte_fch, concepto,
                            doc_tipo, doc_nro, imp_total, imp_neto, imp_iva, mon_id, mon_cotiz, resultado, cae,
                            cae_fch_vto, observaciones)
       SELECT gen_random_uuid(), v.request_id, $1, $2::bigint, $3::int, $4::int, v.cbte_nro, v.cbte_fch, v.concepto,
              v.doc_tipo, v.doc_nro, v.imp_total, v.imp_neto, v.imp_iva, v.mon_id, v.mon_cotiz, v.resultado, v.cae,
              v.cae_fch_vto, v.observaciones
       FROM jsonb_to_recordset($5::jsonb) AS v(request_id uuid, cbte_nro bigint, cbte_fch text, concepto int,
              doc_tipo int, doc_nro bigint, imp_total numeric, imp_neto numeric, imp_iva numeric, mon_id text,
              mon_cotiz numeric, resultado text, cae text, cae_fch_vto text, observaciones jsonb)`,
      [key.environment, key.cuit, key.ptoVta, key.cbteTipo, JSON.stringify(rows)],
    );
  }

  /** The gateway's record of one voucher in an environment: the authorized one ARCA holds, else the latest. */
  async findVoucher(key: LaneKey, cbteNro: number): Promise<StoredVoucher | undefined> {
    const rows = await this.prisma.invoice.findMany({
      where: { ...laneWhere(key), cbteNro: BigInt(cbteNro) },
      orderBy: { createdAt: 'desc' },
    });
    const row =
      rows.find((candidate) => candidate.resultado === 'A' && candidate.supersededAt === null) ?? rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      requestId: row.requestId,
      cbteNro: Number(row.cbteNro),
      cbteFch: row.cbteFch,
      resultado: row.resultado,
      cae: row.cae ?? undefined,
      caeFchVto: row.caeFchVto ?? undefined,
      impTotal: row.impTotal.toFixed(2),
      monId: row.monId,
      docTipo: row.docTipo,
      docNro: Number(row.docNro),
      observaciones: row.observaciones,
      createdAt: row.createdAt.toISOString(),
      superseded: row.supersededAt
        ? { at: row.supersededAt.toISOString(), reason: row.supersededReason ?? '' }
        : undefined,
    };
  }
}

function conflictEntry(requestId: string, key: LaneKey, conflict: NumberConflict, actor: string) {
  return {
    kind: 'invoice.number_conflict',
    actor,
    subject: journalSubject(requestId),
    cuit: String(key.cuit),
    payload: { environment: key.environment, ptoVta: key.ptoVta, cbteTipo: key.cbteTipo, ...conflict },
  };
}

/** A lane's invoices in SQL, with `laneValues` as $1-$4. */
export const LANE_WHERE = 'environment = $1 AND cuit = $2::bigint AND pto_vta = $3 AND cbte_tipo = $4';

/** The highest number recorded as authorized, and still held by ARCA, on the session's lane (0: none). */
export async function highestAuthorizedOn(session: LaneSession): Promise<number> {
  const [row] = await session.client.query<{ cbte_nro: string }>(
    `SELECT cbte_nro FROM invoice WHERE ${LANE_WHERE} AND resultado = 'A' AND superseded_at IS NULL
     ORDER BY cbte_nro DESC LIMIT 1`,
    laneValues(session.key),
  );
  return row ? Number(row.cbte_nro) : 0;
}

function laneWhere(key: LaneKey) {
  return {
    environment: key.environment,
    cuit: BigInt(key.cuit),
    ptoVta: key.ptoVta,
    cbteTipo: key.cbteTipo,
  };
}

function describeConflict(conflict: NumberConflict) {
  return {
    cbteNro: conflict.cbteNro,
    cae: conflict.cae,
    supersededCae: conflict.superseded.cae,
    message:
      `ARCA authorized number ${conflict.cbteNro} again: the gateway had recorded it (CAE ` +
      `${conflict.superseded.cae ?? '-'}, ${conflict.superseded.cbteFch}) and keeps that record as superseded; ` +
      "ARCA's numbering was reset or another system numbers on this point of sale",
  };
}

/** ARCA's answer as the audit keeps it: result, numbers, CAEs, errors, observations, ARCA's time. */
function answeredEntry(
  id: string,
  key: LaneKey,
  outcome: RequestOutcome,
  vouchers: VoucherRecord[],
  audit: OutcomeAudit,
) {
  const result = outcome.afipResponse as
    { FeCabResp?: { Resultado?: string }; Errors?: unknown[]; Events?: unknown[] } | undefined;
  return {
    kind: audit.kind ?? 'invoice.answered',
    actor: audit.actor,
    subject: journalSubject(id),
    cuit: String(key.cuit),
    payload: {
      environment: key.environment,
      state: outcome.state,
      resultado: result?.FeCabResp?.Resultado,
      httpStatus: outcome.httpStatus,
      recoveredWith: (outcome.responseBody as { recoveredWith?: string }).recoveredWith,
      reconciled: audit.reconciled,
      vouchers: vouchers.map(({ answer }) => ({
        cbteDesde: answer.CbteDesde,
        cbteHasta: answer.CbteHasta,
        cbteFch: answer.CbteFch,
        resultado: answer.Resultado,
        cae: answer.CAE || undefined,
        caeFchVto: answer.CAEFchVto || undefined,
        observaciones: answer.Observaciones,
      })),
      errors: result?.Errors ?? [],
      events: result?.Events ?? [],
      attempts: outcome.attempts,
      sentAt: outcome.sentAt,
      arcaMs: round(audit.arcaMs),
      httpRequestId: audit.httpRequestId,
    },
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
