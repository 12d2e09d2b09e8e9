import { Injectable } from '@nestjs/common';
import { PrismaService } from '#libs/database';
import type { FECAEADetRequest, FECAEADetResponse } from '#libs/afip-wsfe';
import { type AuditRecord, AuditEntryRepository } from '../audit/audit-entry.repository.js';
import { journalSubject } from '../billing/journal/invoice-journal.repository.js';
import { highestAuthorizedOn, LANE_WHERE } from '../billing/invoice.repository.js';
import { laneValues } from '../billing/lanes/numbering-lane.repository.js';
import type { LaneKey, LaneSession } from '../billing/lanes/numbering-lane.repository.js';

/** The states of a contingency voucher's report to ARCA. */
export type ReportState = 'PENDING' | 'REPORTED' | 'OBSERVED' | 'REJECTED';

/** A contingency voucher waiting for (or past) its report, as the reporter reads it. */
export interface ContingencyVoucher {
  id: string;
  cbteNro: number;
  caea: string;
  reportState: ReportState;
  detail: FECAEADetRequest;
}

/** What issuing a sale under a CAEA writes, in the contingency lane's transaction. */
export interface ContingencyIssue {
  journalId: string;
  token: string;
  httpStatus: number;
  responseBody: object;
  details: FECAEADetRequest[];
  /** The CAEA's last valid day: what the voucher shows as its authorization's due date. */
  fchVigHasta: string;
  audit: AuditRecord[];
}

/**
 * Contingency vouchers: the journal row closed and the vouchers stored in one transaction when a sale is issued
 * under a CAEA (nothing was sent anywhere, so nothing is in doubt), then each voucher's report to ARCA.
 */
@Injectable()
export class ContingencyVouchersRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditEntryRepository,
  ) {}

  /**
   * Closes the journal row (PENDING -> AUTHORIZED) and stores its vouchers as CAEA vouchers to report. False, with
   * nothing written, when the row is no longer this attempt's (a retry with the same Idempotency-Key took it over).
   */
  async issue(session: LaneSession, issue: ContingencyIssue): Promise<boolean> {
    const { client, key } = session;
    const moved = await client.query(
      `UPDATE invoice_request SET state = 'AUTHORIZED', cbte_desde = $4::bigint, cbte_hasta = $5::bigint,
         sent_request = $6::jsonb, http_status = $7::int, response_body = $8::jsonb, completed_at = now(),
         updated_at = now()
       WHERE id = $1::uuid AND attempt_token = $2::uuid AND state = $3::"InvoiceRequestState"
       RETURNING id`,
      [
        issue.journalId,
        issue.token,
        'PENDING',
        issue.details[0]!.CbteDesde,
        issue.details.at(-1)!.CbteHasta,
        JSON.stringify(issue.details),
        issue.httpStatus,
        JSON.stringify(issue.responseBody),
      ],
    );
    if (moved.length === 0) return false;
    const values: unknown[] = [
      issue.journalId,
      key.environment,
      key.cuit,
      key.ptoVta,
      key.cbteTipo,
      issue.fchVigHasta,
    ];
    const tuples = issue.details.map((detail) => {
      const at = values.length;
      values.push(
        detail.CbteDesde,
        detail.CbteFch ?? '',
        detail.Concepto,
        detail.DocTipo,
        detail.DocNro,
        detail.ImpTotal,
        detail.ImpNeto,
        detail.ImpIVA,
        detail.MonId ?? 'PES',
        detail.MonCotiz ?? 1,
        detail.CAEA,
        detail.CbteFchHsGen,
        JSON.stringify(detail),
      );
      const p = (n: number) => `$${at + n}`;
      return `(gen_random_uuid(), $1::uuid, $2, $3::bigint, $4::int, $5::int, ${p(1)}::bigint, ${p(2)}, ${p(3)}::int,
        ${p(4)}::int, ${p(5)}::bigint, ${p(6)}::numeric, ${p(7)}::numeric, ${p(8)}::numeric, ${p(9)},
        ${p(10)}::numeric, 'A', ${p(11)}, $6, 'CAEA', ${p(12)}, 'PENDING', ${p(13)}::jsonb)`;
    });
    await client.query(
      `INSERT INTO invoice (id, request_id, environment, cuit, pto_vta, cbte_tipo, cbte_nro, cbte_fch, concepto,
                            doc_tipo, doc_nro, imp_total, imp_neto, imp_iva, mon_id, mon_cotiz, resultado, cae,
                            cae_fch_vto, emision_tipo, cbte_fch_hs_gen, report_state, report_detail)
       VALUES ${tuples.join(', ')}`,
      values,
    );
    await this.audit.appendMany(client, issue.audit);
    return true;
  }

  /** The highest number stored on a contingency lane (0: none). */
  async highest(session: LaneSession): Promise<number> {
    return highestAuthorizedOn(session);
  }

  /** Lanes with vouchers still to report. */
  async lanesToReport(environment: string): Promise<LaneKey[]> {
    const rows = await this.prisma.$queryRaw<{ cuit: bigint; pto_vta: number; cbte_tipo: number }[]>`
      SELECT DISTINCT cuit, pto_vta, cbte_tipo FROM invoice
      WHERE environment = ${environment} AND report_state = 'PENDING'
      ORDER BY cuit, pto_vta, cbte_tipo`;
    return rows.map((row) => ({
      environment,
      cuit: Number(row.cuit),
      ptoVta: row.pto_vta,
      cbteTipo: row.cbte_tipo,
    }));
  }

  /** The lane's vouchers to report, in number order; and whether a rejected one blocks them. */
  async toReport(session: LaneSession): Promise<{ vouchers: ContingencyVoucher[]; blockedBy?: number }> {
    const rows = await session.client.query<{
      id: string;
      cbte_nro: string;
      cae: string | null;
      report_state: string;
      report_detail: unknown;
    }>(
      `SELECT id, cbte_nro, cae, report_state, report_detail FROM invoice
       WHERE ${LANE_WHERE} AND emision_tipo = 'CAEA' AND report_state IN ('PENDING', 'REJECTED')
       ORDER BY cbte_nro`,
      laneValues(session.key),
    );
    const rejected = rows.find((row) => row.report_state === 'REJECTED');
    const vouchers = rows
      .filter((row) => row.report_state === 'PENDING')
      .map((row) => ({
        id: row.id,
        cbteNro: Number(row.cbte_nro),
        caea: row.cae ?? '',
        reportState: row.report_state as ReportState,
        detail: row.report_detail as FECAEADetRequest,
      }));
    return { vouchers, blockedBy: rejected ? Number(rejected.cbte_nro) : undefined };
  }

  /** Each voucher's report outcome, with ARCA's answer for it, and the audit entry of the call. */
  async settle(
    session: LaneSession,
    outcomes: { id: string; state: ReportState; answer: FECAEADetResponse | object }[],
    entry: AuditRecord,
  ): Promise<void> {
    const now = new Date().toISOString();
    for (const outcome of outcomes) {
      await session.client.query(
        `UPDATE invoice SET report_state = $2, report_answer = $3::jsonb, reported_at = $4::timestamptz
         WHERE id = $1::uuid`,
        [outcome.id, outcome.state, JSON.stringify(outcome.answer), outcome.state === 'PENDING' ? null : now],
      );
    }
    await this.audit.append(session.client, entry);
  }

  /** Contingency vouchers by report state, per CUIT and point of sale, with their CAEA's period. */
  async summary(environment: string, cuits?: number[]) {
    const rows = await this.prisma.$queryRaw<
      { cuit: bigint; pto_vta: number; cbte_tipo: number; cae: string; report_state: string; count: bigint }[]
    >`
      SELECT cuit, pto_vta, cbte_tipo, cae, report_state, count(*) AS count FROM invoice
      WHERE environment = ${environment} AND emision_tipo = 'CAEA'
        AND (${cuits === undefined} OR cuit = ANY(${(cuits ?? []).map(BigInt)}::bigint[]))
      GROUP BY cuit, pto_vta, cbte_tipo, cae, report_state ORDER BY cuit, pto_vta, cbte_tipo`;
    return rows.map((row) => ({
      cuit: Number(row.cuit),
      ptoVta: row.pto_vta,
      cbteTipo: row.cbte_tipo,
      caea: row.cae,
      state: row.report_state,
      count: Number(row.count),
    }));
  }

  /** Vouchers a person has to look at: ARCA rejected or observed them when they were reported. */
  async alarms(environment: string, cuits?: number[]) {
    const rows = await this.prisma.invoice.findMany({
      where: {
        environment,
        emisionTipo: 'CAEA',
        reportState: { in: ['REJECTED', 'OBSERVED'] },
        ...(cuits ? { cuit: { in: cuits.map(BigInt) } } : {}),
      },
      orderBy: [{ cuit: 'asc' }, { ptoVta: 'asc' }, { cbteTipo: 'asc' }, { cbteNro: 'asc' }],
      take: 500,
      select: {
        cuit: true,
        ptoVta: true,
        cbteTipo: true,
        cbteNro: true,
        cae: true,
        reportState: true,
        reportAnswer: true,
        requestId: true,
      },
    });
    return rows.map((row) => ({
      cuit: Number(row.cuit),
      ptoVta: row.ptoVta,
      cbteTipo: row.cbteTipo,
      cbteNro: Number(row.cbteNro),
      caea: row.cae,
      state: row.reportState,
      answer: row.reportAnswer,
      journal: journalSubject(row.requestId),
    }));
  }

  /** Unreported vouchers per CUIT and CAEA (for deadlines). */
  async unreported(environment: string): Promise<{ cuit: number; caea: string; count: number }[]> {
    const rows = await this.prisma.$queryRaw<{ cuit: bigint; cae: string; count: bigint }[]>`
      SELECT cuit, cae, count(*) AS count FROM invoice
      WHERE environment = ${environment} AND report_state = 'PENDING' GROUP BY cuit, cae`;
    return rows.map((row) => ({ cuit: Number(row.cuit), caea: row.cae, count: Number(row.count) }));
  }

  /** Whether any voucher was issued under the CAEA on the point of sale. */
  async used(environment: string, cuit: number, ptoVta: number, caea: string): Promise<boolean> {
    const row = await this.prisma.invoice.findFirst({
      where: { environment, cuit: BigInt(cuit), ptoVta, cae: caea, emisionTipo: 'CAEA' },
      select: { id: true },
    });
    return row !== null;
  }
}
