import { randomInt } from 'node:crypto';
import {
  addDays,
  checkDetail,
  classOf,
  type Detail,
  FCE_TYPES,
  yyyymmdd,
  yyyymmddhhmmss,
} from '#libs/afip-wsfe';
import { type CodeMsg, MESSAGES, msg } from './messages.js';
import { SANDBOX_RULE_TABLES } from './sandbox-rule-tables.js';
import type { ExchangeRates } from './rates.js';
import type { StoredCaea, VoucherStore } from './voucher-store.js';

export interface AuthorizeContext {
  cuit: number;
  now: Date;
  store: VoucherStore;
  rates: ExchangeRates;
  maxRecords: number;
  isMonotributista(cuit: number): boolean;
  isRegistered(cuit: number): boolean;
  /** FECAEARegInformativo: vouchers carry a CAEA instead of receiving a CAE. */
  caeaMode?: boolean;
  /** Reports taken on the validity's first day too (a test option; ARCA says 1414). */
  caeaReportsOnFirstDay?: boolean;
}

interface CabRequest {
  CantReg: number;
  PtoVta: number;
  CbteTipo: number;
}

/**
 * FECAESolicitar (and FECAEARegInformativo): header checks, then each detail in order against the lane's
 * numbering and ARCA's rules. As ARCA does, the first rejected detail stops the batch: later details come back R
 * without observations (PROTOCOL.md 3.1). Numbering errors go to `Errors`, rule failures to the detail's `Obs`.
 */
export function authorize(
  request: { FeCabReq?: CabRequest; FeDetReq?: Detail[] },
  context: AuthorizeContext,
): Record<string, unknown> {
  const cab = request.FeCabReq ?? { CantReg: 0, PtoVta: 0, CbteTipo: 0 };
  const details = request.FeDetReq ?? [];
  const today = yyyymmdd(context.now);
  const errors: CodeMsg[] = checkHeader(cab, details.length, context.maxRecords);
  // FECAESolicitar only on CAE points of sale, FECAEARegInformativo only on CAEA (contingency) ones. For a report,
  // after the CAEA's own checks: ARCA answered 782 (no CAEA) to a report on its CAE point of sale 3 (recording 32).
  const pointType = context.store.emisionTipo(context.cuit, cab.PtoVta);
  if (errors.length === 0 && !context.caeaMode && pointType !== 'CAE') errors.push(MESSAGES.pointNotCae());
  const responses: Record<string, unknown>[] = [];
  let stopped = errors.length > 0;
  let expected = context.store.lastNumber(context.cuit, cab.PtoVta, cab.CbteTipo) + 1;

  for (const detail of details) {
    const echo = {
      Concepto: detail.Concepto,
      DocTipo: detail.DocTipo,
      DocNro: detail.DocNro,
      CbteDesde: detail.CbteDesde,
      CbteHasta: detail.CbteHasta,
      CbteFch: detail.CbteFch || today,
    };
    const rejected = (observations?: CodeMsg[]) =>
      responses.push({
        ...echo,
        Resultado: 'R',
        Observaciones: observations,
        ...(context.caeaMode ? { CAEA: detail.CAEA ?? '' } : { CAE: '', CAEFchVto: '' }),
      });
    if (stopped) {
      rejected();
      continue;
    }
    if (context.caeaMode && !detail.CAEA) {
      errors.push(MESSAGES.caeaRequired());
      stopped = true;
      rejected();
      continue;
    }
    const granted = context.caeaMode ? context.store.caeaByCode(context.cuit, detail.CAEA ?? '') : undefined;
    if (context.caeaMode && !granted) {
      errors.push(MESSAGES.notCaea());
      stopped = true;
      rejected();
      continue;
    }
    if (context.caeaMode && pointType !== 'CAEA') {
      errors.push(MESSAGES.pointNotCaea());
      stopped = true;
      rejected();
      continue;
    }
    const caeaRefusal = granted
      ? checkCaeaDetail(detail, granted, today, context.caeaReportsOnFirstDay === true)
      : undefined;
    if (caeaRefusal) {
      stopped = true;
      rejected([caeaRefusal]);
      continue;
    }
    if (detail.CbteDesde !== expected) {
      errors.push(MESSAGES.numbering());
      stopped = true;
      rejected();
      continue;
    }
    const outcome = checkDetail(detail, {
      cuit: context.cuit,
      cbteTipo: cab.CbteTipo,
      // A reported voucher's date is bound by the CAEA's validity (702, above), not by the day it is reported.
      today: granted ? detail.CbteFch || today : today,
      lastFch: context.store.lastDate(context.cuit, cab.PtoVta, cab.CbteTipo),
      tables: SANDBOX_RULE_TABLES,
      rateOf: (monId) => context.rates.rateOf(monId),
      isMonotributista: context.isMonotributista,
      isRegistered: context.isRegistered,
    });
    if (granted) observeInstead(outcome);
    if (granted) outcome.observations.push(...caeaObservations(detail, granted, cab.PtoVta, context));
    if (outcome.rejections.length > 0) {
      stopped = true;
      rejected([...outcome.rejections, ...outcome.observations]);
      continue;
    }
    const cbteFch = echo.CbteFch;
    // CAEFchVto = CbteFch + 10 days in every real example (PROTOCOL.md 3.1; the rule itself is unpublished).
    const code = context.caeaMode ? (detail.CAEA as string) : newCode();
    const fchVto = addDays(cbteFch, 10);
    context.store.record({
      cuit: context.cuit,
      ptoVta: cab.PtoVta,
      cbteTipo: cab.CbteTipo,
      cbteDesde: detail.CbteDesde,
      cbteHasta: detail.CbteHasta,
      cbteFch,
      impTotal: detail.ImpTotal,
      codAutorizacion: code,
      emisionTipo: context.caeaMode ? 'CAEA' : 'CAE',
      fchVto,
      fchProceso: yyyymmddhhmmss(context.now),
      detail: { ...detail, CbteFch: cbteFch },
      ...(context.caeaMode ? { fchVto: granted!.fchVigHasta } : {}),
      observaciones: outcome.observations,
    });
    expected = detail.CbteHasta + 1;
    responses.push({
      ...echo,
      Resultado: 'A',
      Observaciones: outcome.observations.length > 0 ? outcome.observations : undefined,
      ...(context.caeaMode ? { CAEA: code } : { CAE: code, CAEFchVto: fchVto }),
    });
  }
  const results = new Set(responses.map((response) => response.Resultado));
  const resultado =
    errors.length > 0 && !results.has('A')
      ? 'R'
      : results.size === 1
        ? [...results][0]
        : results.size === 0
          ? 'R'
          : 'P';
  return {
    FeCabResp: {
      Cuit: context.cuit,
      PtoVta: cab.PtoVta,
      CbteTipo: cab.CbteTipo,
      FchProceso: yyyymmddhhmmss(context.now),
      CantReg: cab.CantReg,
      Resultado: resultado,
      Reproceso: 'N',
    },
    FeDetResp: responses,
    Errors: errors.length > 0 ? errors : undefined,
  };
}

/**
 * What a reported (CAEA) voucher must carry, checked before ARCA's other rules: its date inside the CAEA's
 * validity (702), sent after the validity starts (1414), and its generation time (1440, 1441).
 */
function checkCaeaDetail(
  detail: Detail,
  caea: StoredCaea,
  today: string,
  firstDayToo: boolean,
): CodeMsg | undefined {
  const cbteFch = detail.CbteFch || today;
  if (cbteFch < caea.fchVigDesde || cbteFch > caea.fchVigHasta) return MESSAGES.outsideValidity();
  if (today < caea.fchVigDesde || (today === caea.fchVigDesde && !firstDayToo))
    return MESSAGES.reportTooEarly();
  const generated = detail.CbteFchHsGen;
  if (!generated) return MESSAGES.hsGenRequired();
  if (!/^\d{14}$/.test(generated) || Number.isNaN(Date.parse(isoOf(generated))))
    return MESSAGES.hsGenFormat();
  return undefined;
}

/** Observations only a reported voucher gets: its date far from its generation (1445), a PV declared idle (1424). */
function caeaObservations(
  detail: Detail,
  caea: StoredCaea,
  ptoVta: number,
  context: AuthorizeContext,
): CodeMsg[] {
  const observations: CodeMsg[] = [];
  const cbteFch = detail.CbteFch || yyyymmdd(context.now);
  const generatedDay = Date.parse(isoOf(`${detail.CbteFchHsGen!.slice(0, 8)}000000`));
  const days = Math.abs(Date.parse(isoOf(`${cbteFch}000000`)) - generatedDay) / 86_400_000;
  if (days > (detail.Concepto === 1 ? 5 : 10)) observations.push(MESSAGES.hsGenWindow());
  if (context.store.withoutMovementFor(context.cuit, caea.caea, ptoVta).length > 0)
    observations.push(MESSAGES.declaredWithoutMovement());
  return observations;
}

/**
 * The voucher already exists on paper, so what rejects a CAE request only observes a reported one
 * (CAEA-CONTINGENCY.md 6): those rejections move to the observations under their CAEA codes.
 */
function observeInstead(outcome: { rejections: CodeMsg[]; observations: CodeMsg[] }): void {
  const kept: CodeMsg[] = [];
  for (const rejection of outcome.rejections) {
    const code = CAEA_OBSERVES[rejection.Code];
    if (code) outcome.observations.push({ Code: code, Msg: rejection.Msg });
    else kept.push(rejection);
  }
  outcome.rejections.splice(0, outcome.rejections.length, ...kept);
}

/** CAE rejection code → the observation code FECAEARegInformativo gives for the same check. */
const CAEA_OBSERVES: Record<number, number> = {
  10243: 824,
  10048: 724,
  10023: 725,
  10029: 1406,
  10061: 1408,
  10051: 1006,
  10247: 827,
  10248: 828,
  10240: 821,
  10067: 1425,
};

const isoOf = (stamp: string) =>
  `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(8, 10)}:${stamp.slice(10, 12)}:${stamp.slice(12, 14)}Z`;

function checkHeader(cab: CabRequest, count: number, maxRecords: number): CodeMsg[] {
  const errors: CodeMsg[] = [];
  if (cab.CantReg < 1 || cab.CantReg > 9998)
    errors.push(msg(10001, 'El campo CantReg debe estar comprendido entre 1 y 9998.'));
  else if (cab.CantReg !== count)
    errors.push(msg(10002, 'El campo CantReg debe ser igual a la cantidad de registros del detalle.'));
  const limit = FCE_TYPES.has(cab.CbteTipo) ? 1 : maxRecords;
  if (cab.CantReg > limit)
    errors.push(msg(10003, `El campo CantReg no puede superar ${limit} (ver FECompTotXRequest).`));
  if (cab.PtoVta < 1 || cab.PtoVta > 99_998)
    errors.push(msg(10004, 'El campo PtoVta debe estar comprendido entre 1 y 99998.'));
  if (cab.CbteTipo <= 0) errors.push(msg(10006, 'El campo CbteTipo debe ser mayor a 0.'));
  else if (!classOf(cab.CbteTipo))
    errors.push(msg(10007, 'El campo CbteTipo no es valido. Consultar metodo FEParamGetTiposCbte.'));
  return errors;
}

/** A 14-digit authorization code (ARCA's CAE and CAEA have 14 digits, e.g. 71263951827464). */
export function newCode(): string {
  return String(70_000_000_000_000 + randomInt(0, 9_999_999_999_999));
}
