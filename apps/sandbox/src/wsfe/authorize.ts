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
import type { VoucherStore } from './voucher-store.js';

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
    if (context.caeaMode && !context.store.caeaByCode(context.cuit, detail.CAEA ?? '')) {
      errors.push(MESSAGES.notCaea());
      stopped = true;
      rejected();
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
      today,
      lastFch: context.store.lastDate(context.cuit, cab.PtoVta, cab.CbteTipo),
      tables: SANDBOX_RULE_TABLES,
      rateOf: (monId) => context.rates.rateOf(monId),
      isMonotributista: context.isMonotributista,
      isRegistered: context.isRegistered,
    });
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
