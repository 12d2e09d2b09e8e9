import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService } from '#libs/database';
import type { FECAEDetRequest, FECAEDetResponse } from '#libs/afip-wsfe';
import { AuditEntryRepository } from '../audit/audit-entry.repository.js';
import { type JournalState, journalSubject } from './invoice-journal.repository.js';
import type { LaneKey, LaneSession } from './numbering-lane.repository.js';

export interface RequestOutcome {
  state: JournalState;
  cbteDesde?: number;
  cbteHasta?: number;
  afipResponse?: object;
  httpStatus: number;
  responseBody: object;
  /** Sends of FECAESolicitar this outcome took, for the audit entry (the journal counts every send). */
  attempts: number;
  /** When FECAESolicitar was first sent, if it was. */
  sentAt?: Date;
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
  ) {}

  /**
   * Closes a journal row that was sent (SENT, or UNKNOWN when a reconciler settles it) with ARCA's answer and
   * stores each voucher, in the lane's transaction. Nothing written when the row was not in one of those states
   * (another reconciler settled it first). A voucher ARCA authorized is stored whatever the gateway recorded
   * before under its number: the earlier record is superseded and the conflict named in the answer and the
   * audit trail, never a failed write that would lose the CAE.
   */
  async close(
    session: LaneSession,
    id: string,
    outcome: RequestOutcome,
    vouchers: VoucherRecord[],
    audit: OutcomeAudit,
  ): Promise<Closing> {
    const { client, key } = session;
    const conflicts = await this.clashes(client, key, vouchers);
    const body =
      conflicts.length > 0
        ? { ...outcome.responseBody, conflicts: conflicts.map(describeConflict) }
        : undefined;
    const moved = await client.invoiceRequest.updateMany({
      where: { id, state: { in: ['SENT', 'UNKNOWN'] } },
      data: journalData(body ? { ...outcome, responseBody: body } : outcome),
    });
    if (moved.count === 0) return { closed: false, conflicts: [], responseBody: outcome.responseBody };
    if (conflicts.length > 0) await this.supersede(client, key, id, conflicts, audit.actor);
    if (vouchers.length > 0) await this.storeVouchers(client, id, key, vouchers);
    // Last in the lane's transaction: the chain lock is held only until its commit.
    await this.audit.append(client, answeredEntry(id, key, outcome, vouchers, audit));
    return { closed: true, conflicts, responseBody: body ?? outcome.responseBody };
  }

  /** The gateway's authorized records, still held, under the numbers ARCA authorized now. */
  private async clashes(
    client: Prisma.TransactionClient,
    key: LaneKey,
    vouchers: VoucherRecord[],
  ): Promise<NumberConflict[]> {
    const authorized = vouchers.filter(({ answer }) => answer.Resultado === 'A');
    if (authorized.length === 0) return [];
    const rows = await client.invoice.findMany({
      where: {
        ...laneWhere(key),
        resultado: 'A',
        supersededAt: null,
        cbteNro: { in: authorized.map(({ answer }) => BigInt(answer.CbteDesde)) },
      },
      select: { id: true, requestId: true, cbteNro: true, cae: true, cbteFch: true },
    });
    return rows.map((row) => ({
      cbteNro: Number(row.cbteNro),
      superseded: { invoiceId: row.id, requestId: row.requestId, cae: row.cae, cbteFch: row.cbteFch },
      cae: authorized.find(({ answer }) => answer.CbteDesde === Number(row.cbteNro))?.answer.CAE ?? '',
    }));
  }

  private async supersede(
    client: Prisma.TransactionClient,
    key: LaneKey,
    requestId: string,
    conflicts: NumberConflict[],
    actor: string,
  ): Promise<void> {
    for (const conflict of conflicts) {
      await client.invoice.update({
        where: { id: conflict.superseded.invoiceId },
        data: {
          supersededAt: new Date(),
          supersededReason: `ARCA authorized number ${conflict.cbteNro} again (CAE ${conflict.cae}, journal ${requestId})`,
        },
      });
      await this.audit.append(client, {
        kind: 'invoice.number_conflict',
        actor,
        subject: journalSubject(requestId),
        cuit: String(key.cuit),
        payload: { environment: key.environment, ptoVta: key.ptoVta, cbteTipo: key.cbteTipo, ...conflict },
      });
    }
  }

  /**
   * An admin accepted ARCA's numbering after a reset: the lane's vouchers above ARCA's last number are kept,
   * marked superseded. How many.
   */
  async supersedeAbove(session: LaneSession, arcaLast: number, reason: string): Promise<number> {
    const moved = await session.client.invoice.updateMany({
      where: { ...laneWhere(session.key), supersededAt: null, cbteNro: { gt: BigInt(arcaLast) } },
      data: { supersededAt: new Date(), supersededReason: reason },
    });
    return moved.count;
  }

  /** The highest number the gateway recorded as authorized, and still held by ARCA, on the lane (0: none). */
  async highestAuthorized(session: LaneSession): Promise<number> {
    const row = await session.client.invoice.findFirst({
      where: { ...laneWhere(session.key), resultado: 'A', supersededAt: null },
      orderBy: { cbteNro: 'desc' },
      select: { cbteNro: true },
    });
    return row ? Number(row.cbteNro) : 0;
  }

  private async storeVouchers(
    client: Prisma.TransactionClient,
    id: string,
    key: LaneKey,
    vouchers: VoucherRecord[],
  ): Promise<void> {
    await client.invoice.createMany({
      data: vouchers.map(({ sent, answer }) => ({
        requestId: id,
        environment: key.environment,
        cuit: BigInt(key.cuit),
        ptoVta: key.ptoVta,
        cbteTipo: key.cbteTipo,
        cbteNro: BigInt(answer.CbteDesde),
        cbteFch: answer.CbteFch || sent.CbteFch || '',
        concepto: sent.Concepto,
        docTipo: sent.DocTipo,
        docNro: BigInt(sent.DocNro),
        impTotal: sent.ImpTotal,
        impNeto: sent.ImpNeto,
        impIva: sent.ImpIVA,
        monId: sent.MonId ?? 'PES',
        monCotiz: sent.MonCotiz ?? 1,
        resultado: answer.Resultado,
        cae: answer.Resultado === 'A' && answer.CAE ? answer.CAE : null,
        caeFchVto: answer.Resultado === 'A' && answer.CAEFchVto ? answer.CAEFchVto : null,
        observaciones: answer.Observaciones.map((item) => ({ code: item.Code, msg: item.Msg })),
      })),
    });
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

function journalData(outcome: RequestOutcome) {
  const done = outcome.state !== 'PENDING' && outcome.state !== 'SENT' && outcome.state !== 'UNKNOWN';
  return {
    state: outcome.state,
    cbteDesde: outcome.cbteDesde === undefined ? undefined : BigInt(outcome.cbteDesde),
    cbteHasta: outcome.cbteHasta === undefined ? undefined : BigInt(outcome.cbteHasta),
    afipResponse: outcome.afipResponse,
    httpStatus: outcome.httpStatus,
    responseBody: outcome.responseBody,
    sentAt: outcome.sentAt,
    completedAt: done ? new Date() : undefined,
  };
}
