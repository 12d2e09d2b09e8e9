import { type Detail, yyyymmdd } from '#libs/afip-wsfe';
import type { SandboxClock } from '../clock.js';
import type { TicketAuthority } from '../ticket-authority.js';
import { checkAuth, type AuthRequest } from './auth-check.js';
import { authorize } from './authorize.js';
import { caeaOperations } from './caea-operations.js';
import { CONDICIONES_IVA_RECEPTOR } from './condicion-iva-receptor.js';
import { type CodeMsg, MESSAGES } from './messages.js';
import {
  tiposCbte,
  tiposConcepto,
  tiposDoc,
  tiposIva,
  tiposMonedas,
  tiposOpcional,
  tiposTributos,
  type ParamRow,
} from './param-tables.data.js';
import { ExchangeRates } from './rates.js';
import { ACTIVIDADES, PAISES } from './reference-tables.js';
import type { VoucherStore } from './voucher-store.js';

export interface WsfeServiceOptions {
  clock: SandboxClock;
  tickets: TicketAuthority;
  store: VoucherStore;
  rates: ExchangeRates;
  /** FECompTotXRequest: 250 in homologation (PROTOCOL.md 3). */
  maxRecords: number;
  monotributistas: ReadonlySet<number>;
  /** CUITs the sandbox's registry does not know: vouchers to them are rejected (10015). */
  unregistered: ReadonlySet<number>;
  /** See SandboxOptions.caeaReportsOnFirstDay. */
  caeaReportsOnFirstDay?: boolean;
}

type Request = Record<string, unknown> & { Auth?: AuthRequest };
type Handler = (request: Request, cuit: number, now: Date) => Record<string, unknown>;

const paramRows = (rows: readonly ParamRow[]) =>
  rows.map(([Id, Desc, FchDesde]) => ({ Id, Desc, FchDesde, FchHasta: 'NULL' }));
const CLASES: Record<string, string> = { A: 'A', B: 'B', C: 'C', ALEY: 'A', '49': '49' };

/** The WSFEv1 operations: each takes the decoded request and returns its `...Result` as a plain object. */
export class WsfeService {
  private readonly handlers: Record<string, Handler>;

  constructor(private readonly options: WsfeServiceOptions) {
    const { store } = options;
    const errors = (...list: CodeMsg[]) => ({ Errors: list });
    const params =
      (rows: readonly ParamRow[]): Handler =>
      () => ({ ResultGet: paramRows(rows) });
    const authorizeFrom = (request: unknown, cuit: number, now: Date, caeaMode: boolean) =>
      authorize((request ?? {}) as { FeDetReq?: Detail[] }, {
        cuit,
        now,
        store,
        rates: options.rates,
        maxRecords: options.maxRecords,
        isMonotributista: (doc) => options.monotributistas.has(doc),
        isRegistered: (doc) => !options.unregistered.has(doc),
        caeaMode,
        caeaReportsOnFirstDay: options.caeaReportsOnFirstDay,
      });
    this.handlers = {
      FECompTotXRequest: () => ({ RegXReq: options.maxRecords }),
      FECompUltimoAutorizado: (request, cuit) => ({
        PtoVta: request.PtoVta,
        CbteTipo: request.CbteTipo,
        CbteNro: store.lastNumber(cuit, request.PtoVta as number, request.CbteTipo as number),
      }),
      FECAESolicitar: (request, cuit, now) => authorizeFrom(request.FeCAEReq, cuit, now, false),
      FECAEARegInformativo: (request, cuit, now) => authorizeFrom(request.FeCAEARegInfReq, cuit, now, true),
      FECompConsultar: (request, cuit) => {
        const query = (request.FeCompConsReq ?? {}) as {
          CbteTipo?: number;
          CbteNro?: number;
          PtoVta?: number;
        };
        const voucher = store.find(cuit, query.PtoVta ?? 0, query.CbteTipo ?? 0, query.CbteNro ?? 0);
        if (!voucher) return errors(MESSAGES.notFound());
        return {
          ResultGet: {
            FchServDesde: '',
            FchServHasta: '',
            FchVtoPago: '',
            ...voucher.detail,
            Resultado: 'A',
            CodAutorizacion: voucher.codAutorizacion,
            EmisionTipo: voucher.emisionTipo,
            FchVto: voucher.fchVto,
            FchProceso: voucher.fchProceso,
            Observaciones: voucher.observaciones.length > 0 ? voucher.observaciones : undefined,
            PtoVta: voucher.ptoVta,
            CbteTipo: voucher.cbteTipo,
          },
        };
      },
      FEParamGetTiposCbte: params(tiposCbte),
      FEParamGetTiposConcepto: params(tiposConcepto),
      FEParamGetTiposDoc: params(tiposDoc),
      FEParamGetTiposIva: params(tiposIva),
      FEParamGetTiposMonedas: params(tiposMonedas),
      FEParamGetTiposOpcional: params(tiposOpcional),
      FEParamGetTiposTributos: params(tiposTributos),
      FEParamGetTiposPaises: () => ({ ResultGet: PAISES.map(([Id, Desc]) => ({ Id, Desc })) }),
      FEParamGetActividades: () => ({
        ResultGet: ACTIVIDADES.map(([Id, Orden, Desc]) => ({ Id, Orden, Desc })),
      }),
      FEParamGetPtosVenta: (_request, cuit) => {
        const points = store.pointsOfSale(cuit);
        if (points.length === 0) return errors(MESSAGES.notFound());
        return {
          ResultGet: points.map((Nro) => ({
            Nro,
            // ARCA's text for a CAE point of sale was recorded; the CAEA one is UNVERIFIED (CAEA-CONTINGENCY.md 3.2).
            EmisionTipo: store.emisionTipo(cuit, Nro) === 'CAEA' ? 'CAEA - Ri Iva' : 'CAE - Ri Iva',
            Bloqueado: 'N',
            FchBaja: 'NULL',
          })),
        };
      },
      FEParamGetCondicionIvaReceptor: (request) => {
        const requested =
          typeof request.ClaseCmp === 'string' && request.ClaseCmp !== '' ? request.ClaseCmp : undefined;
        if (requested !== undefined && !CLASES[requested]) return errors(MESSAGES.claseCmp());
        const cls = requested ? CLASES[requested] : undefined;
        const rows = CONDICIONES_IVA_RECEPTOR.filter(
          (row) => !cls || (row.classes as readonly string[]).includes(cls),
        );
        return {
          ResultGet: rows.map((row) => ({
            Id: row.id,
            Desc: row.desc,
            Cmp_Clase: requested ?? row.classes.join(', '),
          })),
        };
      },
      FEParamGetCotizacion: (request, _cuit, now) => {
        const monId = typeof request.MonId === 'string' ? request.MonId : '';
        if (!tiposMonedas.some(([id]) => id === monId)) return errors(MESSAGES.cotizacionMonId());
        const fch =
          typeof request.FchCotiz === 'string' && request.FchCotiz !== '' ? request.FchCotiz : undefined;
        if (fch !== undefined && (!/^\d{8}$/.test(fch) || fch > yyyymmdd(now)))
          return errors(MESSAGES.cotizacionFecha());
        const date = fch
          ? new Date(`${fch.slice(0, 4)}-${fch.slice(4, 6)}-${fch.slice(6, 8)}T12:00:00Z`)
          : now;
        return {
          ResultGet: {
            MonId: monId,
            MonCotiz: options.rates.rateOf(monId),
            FchCotiz: ExchangeRates.previousBusinessDay(date),
          },
        };
      },
      ...caeaOperations(store),
    };
  }

  has(operation: string): boolean {
    return operation === 'FEDummy' || operation in this.handlers;
  }

  handle(operation: string, request: Request): Record<string, unknown> {
    if (operation === 'FEDummy') return { AppServer: 'OK', DbServer: 'OK', AuthServer: 'OK' };
    const handler = this.handlers[operation];
    if (!handler) throw new Error(`unknown operation ${operation}`);
    const now = this.options.clock.now();
    const refused = checkAuth(request.Auth, this.options.tickets, now);
    if (refused) return { Errors: [refused] };
    return handler(request, Number(request.Auth?.Cuit), now);
  }
}
