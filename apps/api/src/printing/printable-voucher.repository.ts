import { Injectable } from '@nestjs/common';
import { PrismaService } from '#libs/database';
import type { FECAEDetRequest } from '#libs/afip-wsfe';
import type { LaneKey } from '../billing/lanes/numbering-lane.repository.js';

/** What the gateway holds of one voucher number, for printing it. */
export type StoredForPrint =
  | {
      kind: 'authorized';
      cbteFch: string;
      /** `CAEA` for a contingency voucher: then `cae` is the CAEA and `caeFchVto` its last valid day. */
      emisionTipo: 'CAE' | 'CAEA';
      cae: string;
      caeFchVto: string;
      impTotal: number;
      monId: string;
      monCotiz: number;
      docTipo: number;
      docNro: number;
      observations: { code: number; msg: string }[];
      /** The FECAEDetRequest as numbered and sent. */
      detail: FECAEDetRequest;
      /** The same detail as the POS posted it (its `Items` are here). */
      posted: unknown;
    }
  | { kind: 'rejected'; observations: { code: number; msg: string }[] }
  | { kind: 'superseded'; reason: string }
  | { kind: 'in-doubt'; requestId: string }
  | { kind: 'none' };

@Injectable()
export class PrintableVoucherRepository {
  constructor(private readonly prisma: PrismaService) {}

  async find(key: LaneKey, cbteNro: number): Promise<StoredForPrint> {
    const lane = {
      environment: key.environment,
      cuit: BigInt(key.cuit),
      ptoVta: key.ptoVta,
      cbteTipo: key.cbteTipo,
    };
    const rows = await this.prisma.invoice.findMany({
      where: { ...lane, cbteNro: BigInt(cbteNro) },
      orderBy: { createdAt: 'desc' },
      include: { request: { select: { request: true, sentRequest: true } } },
    });
    const authorized = rows.find(
      (row) => row.resultado === 'A' && row.cae && row.caeFchVto && !row.supersededAt,
    );
    if (authorized) {
      const sent = (authorized.request.sentRequest as FECAEDetRequest[] | null) ?? [];
      const index = sent.findIndex((detail) => detail.CbteDesde <= cbteNro && cbteNro <= detail.CbteHasta);
      if (index >= 0)
        return {
          kind: 'authorized',
          cbteFch: authorized.cbteFch,
          emisionTipo: authorized.emisionTipo === 'CAEA' ? 'CAEA' : 'CAE',
          cae: authorized.cae!,
          caeFchVto: authorized.caeFchVto!,
          impTotal: authorized.impTotal.toNumber(),
          monId: authorized.monId,
          monCotiz: authorized.monCotiz.toNumber(),
          docTipo: authorized.docTipo,
          docNro: Number(authorized.docNro),
          observations: observations(authorized.observaciones),
          detail: sent[index]!,
          posted: postedDetails(authorized.request.request)[index],
        };
    }
    const superseded = rows.find((row) => row.supersededAt);
    if (rows.some((row) => row.resultado === 'R') && !superseded)
      return { kind: 'rejected', observations: observations(rows[0]!.observaciones) };
    if (superseded) return { kind: 'superseded', reason: superseded.supersededReason ?? '' };
    const doubtful = await this.prisma.invoiceRequest.findMany({
      where: {
        environment: key.environment,
        cuit: lane.cuit,
        ptoVta: key.ptoVta,
        cbteTipo: key.cbteTipo,
        state: { in: ['SENT', 'UNKNOWN'] },
      },
      select: { id: true, sentRequest: true },
      take: 1000,
    });
    const inDoubt = doubtful.find((row) =>
      ((row.sentRequest as FECAEDetRequest[] | null) ?? []).some(
        (detail) => detail.CbteDesde <= cbteNro && cbteNro <= detail.CbteHasta,
      ),
    );
    return inDoubt ? { kind: 'in-doubt', requestId: inDoubt.id } : { kind: 'none' };
  }
}

/** The posted body's details, always a list (ARCA's one-or-many JSON form). */
function postedDetails(body: unknown): unknown[] {
  const details = (body as { FeCAEReq?: { FeDetReq?: { FECAEDetRequest?: unknown } } } | null)?.FeCAEReq
    ?.FeDetReq?.FECAEDetRequest;
  return Array.isArray(details) ? details : details === undefined ? [] : [details];
}

function observations(value: unknown): { code: number; msg: string }[] {
  return Array.isArray(value)
    ? value.flatMap((item: { code?: unknown; msg?: unknown; Code?: unknown; Msg?: unknown }) => {
        const code = Number(item.code ?? item.Code);
        const msg = String(item.msg ?? item.Msg ?? '');
        return Number.isFinite(code) ? [{ code, msg }] : [];
      })
    : [];
}
