import { yyyymmdd, yyyymmddhhmmss } from '#libs/afip-wsfe';
import { newCode } from './authorize.js';
import { MESSAGES } from './messages.js';
import type { VoucherStore } from './voucher-store.js';

type Handler = (request: Record<string, unknown>, cuit: number, now: Date) => Record<string, unknown>;

const DAY = 86_400_000;

/** First and last day of a CAEA fortnight (Orden 1: days 1-15; Orden 2: 16 to the end of the month). */
function fortnight(periodo: number, orden: number): { from: Date; to: Date } {
  const year = Math.floor(periodo / 100);
  const month = (periodo % 100) - 1;
  return orden === 1
    ? { from: new Date(Date.UTC(year, month, 1)), to: new Date(Date.UTC(year, month, 15)) }
    : { from: new Date(Date.UTC(year, month, 16)), to: new Date(Date.UTC(year, month + 1, 0)) };
}

const ymd = (date: Date) => date.toISOString().slice(0, 10).replace(/-/g, '');

/** FECAEASolicitar, FECAEAConsultar, FECAEASinMovimientoInformar and ...Consultar (PROTOCOL.md 3, 4.2). */
export function caeaOperations(store: VoucherStore): Record<string, Handler> {
  const validPeriod = (periodo: unknown) =>
    typeof periodo === 'number' && /^\d{4}(0[1-9]|1[0-2])$/.test(String(periodo));
  const resultGet = (caea: NonNullable<ReturnType<VoucherStore['findCaea']>>) => ({
    CAEA: caea.caea,
    Periodo: caea.periodo,
    Orden: caea.orden,
    FchVigDesde: caea.fchVigDesde,
    FchVigHasta: caea.fchVigHasta,
    FchTopeInf: caea.fchTopeInf,
    FchProceso: caea.fchProceso,
  });
  return {
    FECAEASolicitar: (request, cuit, now) => {
      const periodo = request.Periodo as number;
      const orden = request.Orden as number;
      if (!validPeriod(periodo)) return { Errors: [MESSAGES.periodFormat()] };
      if (orden !== 1 && orden !== 2) return { Errors: [MESSAGES.ordenFormat()] };
      const { from, to } = fortnight(periodo, orden);
      // Requests are taken from 5 calendar days before the fortnight until its last day.
      const opens = new Date(from.getTime() - 5 * DAY);
      const today = yyyymmdd(now);
      if (today < ymd(opens) || today > ymd(to)) return { Errors: [MESSAGES.caeaWindow(opens, to)] };
      // One CAEA per CUIT, period and order: a second request is refused, FECAEAConsultar returns it.
      if (store.findCaea(cuit, periodo, orden)) return { Errors: [MESSAGES.caeaGranted()] };
      const caea = {
        cuit,
        caea: newCode(),
        periodo,
        orden,
        fchVigDesde: ymd(from),
        fchVigHasta: ymd(to),
        fchTopeInf: ymd(new Date(to.getTime() + 8 * DAY)),
        fchProceso: yyyymmddhhmmss(now),
      };
      store.addCaea(caea);
      return { ResultGet: resultGet(caea) };
    },
    FECAEAConsultar: (request, cuit) => {
      const periodo = request.Periodo as number;
      const orden = request.Orden as number;
      if (!validPeriod(periodo)) return { Errors: [MESSAGES.periodFormat()] };
      const found = store.findCaea(cuit, periodo, orden);
      if (!found) return { ResultGet: { Periodo: periodo, Orden: orden }, Errors: [MESSAGES.notFound()] };
      return { ResultGet: resultGet(found) };
    },
    FECAEASinMovimientoInformar: (request, cuit, now) => {
      const caea = typeof request.CAEA === 'string' ? request.CAEA : '';
      const ptoVta = request.PtoVta as number;
      const base = { CAEA: caea, FchProceso: yyyymmdd(now), PtoVta: ptoVta };
      if (!caea) return { ...base, Resultado: 'R', Errors: [MESSAGES.caeaRequired()] };
      const granted = store.caeaByCode(cuit, caea);
      if (!granted) return { ...base, Resultado: 'R', Errors: [MESSAGES.notCaea()] };
      const refusal =
        store.emisionTipo(cuit, ptoVta) !== 'CAEA'
          ? MESSAGES.pointNotCaeaType()
          : yyyymmdd(now) <= granted.fchVigDesde
            ? MESSAGES.withoutMovementTooEarly()
            : store.usedCaea(cuit, ptoVta, caea)
              ? MESSAGES.caeaUsed()
              : store.withoutMovementFor(cuit, caea, ptoVta).length > 0
                ? MESSAGES.alreadyWithoutMovement()
                : undefined;
      if (refusal) return { ...base, Resultado: 'R', Errors: [refusal] };
      store.addWithoutMovement({ cuit, caea, ptoVta, fchProceso: base.FchProceso });
      return { ...base, Resultado: 'A' };
    },
    FECAEASinMovimientoConsultar: (request, cuit) => {
      const caea = typeof request.CAEA === 'string' ? request.CAEA : '';
      const found = store.withoutMovementFor(cuit, caea, (request.PtoVta as number) ?? 0);
      if (found.length === 0) return { Errors: [MESSAGES.notFound()] };
      return {
        ResultGet: found.map((entry) => ({
          CAEA: entry.caea,
          FchProceso: entry.fchProceso,
          PtoVta: entry.ptoVta,
        })),
      };
    },
  };
}
