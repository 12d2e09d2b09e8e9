import { Injectable } from '@nestjs/common';
import { PrismaService } from '#libs/database';
import type { FECAEDetRequest, FECAEDetResponse } from '#libs/afip-wsfe';
import type { LaneSession } from './numbering-lane.repository.js';

export type JournalState = 'PENDING' | 'SENT' | 'AUTHORIZED' | 'REJECTED' | 'UNKNOWN' | 'FAILED';

export interface NewRequest {
  apiKeyId?: string;
  idempotencyKey?: string;
  requestHash: string;
  cuit: number;
  ptoVta: number;
  cbteTipo: number;
  request: object;
}

export interface RequestOutcome {
  state: JournalState;
  cbteDesde?: number;
  cbteHasta?: number;
  afipResponse?: object;
  httpStatus: number;
  responseBody: object;
  attempts: number;
  /** When FECAESolicitar was first sent, if it was. */
  sentAt?: Date;
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

/** The write-ahead journal (`invoice_request`) and the vouchers ARCA answered (`invoice`). */
@Injectable()
export class InvoiceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The journal row, written before the request enters its lane. */
  async open(request: NewRequest): Promise<string> {
    const row = await this.prisma.invoiceRequest.create({
      data: {
        apiKeyId: request.apiKeyId ?? null,
        idempotencyKey: request.idempotencyKey ?? null,
        requestHash: request.requestHash,
        cuit: BigInt(request.cuit),
        ptoVta: request.ptoVta,
        cbteTipo: request.cbteTipo,
        request: request.request,
      },
      select: { id: true },
    });
    return row.id;
  }

  /** Closes the journal row and stores each voucher, in the lane's transaction. */
  async close(
    session: LaneSession,
    id: string,
    outcome: RequestOutcome,
    vouchers: VoucherRecord[],
  ): Promise<void> {
    const { client, key } = session;
    await client.invoiceRequest.update({ where: { id }, data: journalData(outcome) });
    if (vouchers.length === 0) return;
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

  /** Closes a journal row outside any lane (the request failed before or around ARCA). */
  async fail(id: string, outcome: RequestOutcome): Promise<void> {
    await this.prisma.invoiceRequest.update({ where: { id }, data: journalData(outcome) });
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

function journalData(outcome: RequestOutcome) {
  const done = outcome.state !== 'PENDING' && outcome.state !== 'SENT' && outcome.state !== 'UNKNOWN';
  return {
    state: outcome.state,
    cbteDesde: outcome.cbteDesde === undefined ? undefined : BigInt(outcome.cbteDesde),
    cbteHasta: outcome.cbteHasta === undefined ? undefined : BigInt(outcome.cbteHasta),
    afipResponse: outcome.afipResponse,
    httpStatus: outcome.httpStatus,
    responseBody: outcome.responseBody,
    attempts: outcome.attempts,
    sentAt: outcome.sentAt,
    completedAt: done ? new Date() : undefined,
  };
}
