import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService } from '#libs/database';
import type { FECAEDetRequest, FECAEDetResponse } from '#libs/afip-wsfe';
import { AuditEntryRepository } from '../audit/audit-entry.repository.js';
import { type JournalState, journalSubject } from './invoice-journal.repository.js';
import type { LaneSession } from './numbering-lane.repository.js';

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
   * stores each voucher, in the lane's transaction. False, and nothing written, when the row was not in one of
   * those states (another reconciler settled it first).
   */
  async close(
    session: LaneSession,
    id: string,
    outcome: RequestOutcome,
    vouchers: VoucherRecord[],
    audit: OutcomeAudit,
  ): Promise<boolean> {
    const { client, key } = session;
    const moved = await client.invoiceRequest.updateMany({
      where: { id, state: { in: ['SENT', 'UNKNOWN'] } },
      data: journalData(outcome),
    });
    if (moved.count === 0) return false;
    if (vouchers.length > 0) await this.storeVouchers(client, id, key, vouchers);
    // Last in the lane's transaction: the chain lock is held only until its commit.
    await this.audit.append(client, answeredEntry(id, key.cuit, outcome, vouchers, audit));
    return true;
  }

  private async storeVouchers(
    client: Prisma.TransactionClient,
    id: string,
    key: LaneSession['key'],
    vouchers: VoucherRecord[],
  ): Promise<void> {
    await client.invoice.createMany({
      data: vouchers.map(({ sent, answer }) => ({
        requestId: id,
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

  /** The gateway's record of one voucher: the authorized one, else the latest attempt. */
  async findVoucher(
    cuit: number,
    ptoVta: number,
    cbteTipo: number,
    cbteNro: number,
  ): Promise<StoredVoucher | undefined> {
    const rows = await this.prisma.invoice.findMany({
      where: { cuit: BigInt(cuit), ptoVta, cbteTipo, cbteNro: BigInt(cbteNro) },
      orderBy: { createdAt: 'desc' },
    });
    const row = rows.find((candidate) => candidate.resultado === 'A') ?? rows[0];
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
    };
  }
}

/** ARCA's answer as the audit keeps it: result, numbers, CAEs, errors, observations, ARCA's time. */
function answeredEntry(
  id: string,
  cuit: number,
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
    cuit: String(cuit),
    payload: {
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
