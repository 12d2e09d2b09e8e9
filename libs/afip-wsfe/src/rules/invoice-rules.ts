import { daysBetween, parseYyyymmdd } from '../dates.js';
import type { CodeMsg, FECAEDetRequest } from '../wsfe-types.js';
import { dateWindow } from './date-window.js';
import { msg, RULE_MESSAGES } from './rule-messages.js';
import type { RuleTables } from './rule-tables.js';
import {
  ASSOCIATION_ALLOWED,
  associableTypes,
  classOf,
  CREDIT_NOTES,
  DEBIT_NOTES,
  FCE_TYPES,
  IVA_RELAXED,
} from './voucher-classes.js';

/** A FECAEDetRequest as the codec decodes it, or a FECAEADetRequest (which adds the CAEA fields). */
export type Detail = FECAEDetRequest & { CAEA?: string; CbteFchHsGen?: string };

export interface RuleContext {
  cuit: number;
  cbteTipo: number;
  /** Submission date N, yyyymmdd in Argentina. */
  today: string;
  /** The date of the last voucher authorized on the lane, when known. */
  lastFch?: string;
  /** ARCA's parameter tables (currencies, tributes, optionals, aliquots, receiver conditions). */
  tables: RuleTables;
  /** ARCA's rate for a currency on a date (FEParamGetCotizacion), when known. */
  rateOf(monId: string): number | undefined;
  /** ARCA's registry: is this receiver a Monotributo taxpayer? (only adds observation 10217) */
  isMonotributista(cuit: number): boolean;
  /**
   * ARCA's registry: does this CUIT exist? Absent where the registry is not at hand (the gateway's own checks):
   * then nobody is refused for it.
   */
  isRegistered?(cuit: number): boolean;
}

export interface RuleOutcome {
  /** Excluding failures: the voucher is rejected (R) with these as Obs. */
  rejections: CodeMsg[];
  /** Non-excluding observations: the voucher is approved (A) and carries them. */
  observations: CodeMsg[];
}

// RG 5700/2025: a class B (or C) receiver must be identified from this total (ImpTotal x MonCotiz).
const IDENTIFICATION_THRESHOLD = 10_000_000;
// RG 5616: CondicionIVAReceptorId mandatory from 2026-12-01 (manual v4.8, PROTOCOL.md 4.1 10246).
const CONDITION_MANDATORY_FROM = '20261201';
const REPEATABLE_OPTIONALS = new Set(['1801', '1802', '2901', '2902', '23']);
/** Receivers that make a class A voucher carry the fiscal-credit legend (Obs 10217). */
const MONOTRIBUTO_CONDITIONS = new Set([6, 13, 16]);

/**
 * ARCA's validation of one FECAEDetRequest (PROTOCOL.md 4.1), in the manual's order of fields. Tolerances as
 * ARCA's: 0.01 absolute (times the number of aliquots or tributes for sums) or 0.01 % relative.
 */
export function checkDetail(detail: Detail, context: RuleContext): RuleOutcome {
  const rejections: CodeMsg[] = [];
  const observations: CodeMsg[] = [];
  const reject = (code: number, text: string) => rejections.push(msg(code, text));
  const cls = classOf(context.cbteTipo);
  const isC = cls === 'C';
  const single = cls !== 'B' || FCE_TYPES.has(context.cbteTipo);

  if (![1, 2, 3].includes(detail.Concepto))
    reject(10030, 'El campo Concepto debe ser 1 (Productos), 2 (Servicios) o 3 (Productos y Servicios).');
  else if (context.cbteTipo === 49 && detail.Concepto !== 1)
    reject(10085, 'Para comprobantes tipo 49 el Concepto debe ser 1 (Productos).');

  if (!inRange(detail.CbteDesde, 1, 99_999_999))
    reject(10008, 'El campo CbteDesde debe estar comprendido entre 1 y 99999999.');
  if (!inRange(detail.CbteHasta, 1, 99_999_999))
    reject(10010, 'El campo CbteHasta debe estar comprendido entre 1 y 99999999.');
  if (single && detail.CbteDesde !== detail.CbteHasta) {
    reject(
      10012,
      'Para comprobantes clase A, C, M, 49 o FCE los campos CbteDesde y CbteHasta deben ser iguales.',
    );
  } else if (detail.CbteHasta < detail.CbteDesde) {
    reject(10011, 'El campo CbteHasta debe ser mayor o igual a CbteDesde.');
  }

  checkReceiver(detail, context, cls, reject);
  checkDates(detail, context, reject);
  checkAmounts(detail, context, isC, reject);
  checkCurrency(detail, context, reject);
  checkAssociations(detail, context, reject);
  checkOptionals(detail, context, reject);

  const condition = detail.CondicionIVAReceptorId;
  if (condition === undefined || condition === 0) {
    if (context.today >= CONDITION_MANDATORY_FROM) {
      reject(
        10246,
        'El campo CondicionIVAReceptorId es obligatorio. Consultar metodo FEParamGetCondicionIvaReceptor.',
      );
    }
  } else {
    const classes = context.tables.receiverConditions.get(condition);
    const receiverClass = cls === 'M' ? 'A' : cls;
    if (!classes)
      reject(
        10242,
        'El campo CondicionIVAReceptorId no es un valor permitido. Consultar metodo FEParamGetCondicionIvaReceptor.',
      );
    else if (receiverClass && !classes.includes(receiverClass)) {
      reject(
        10243,
        `El campo CondicionIVAReceptorId no es valido para la clase de comprobante ${receiverClass}.`,
      );
    }
  }
  const monotributo =
    (condition !== undefined && MONOTRIBUTO_CONDITIONS.has(condition)) ||
    (detail.DocTipo === 80 && context.isMonotributista(detail.DocNro));
  if ((cls === 'A' || cls === 'M') && monotributo) observations.push(RULE_MESSAGES.fiscalCreditLegend());
  return { rejections: firstOfEachCode(rejections), observations };
}

/** One observation per code, as ARCA lists them. */
function firstOfEachCode(list: CodeMsg[]): CodeMsg[] {
  return list.filter((item, index) => list.findIndex((other) => other.Code === item.Code) === index);
}

function checkReceiver(
  detail: Detail,
  context: RuleContext,
  cls: string | undefined,
  reject: (code: number, text: string) => void,
): void {
  // No check of DocTipo against FEParamGetTiposDoc: ARCA judged a DocTipo 30, which that table lacks, on its
  // dates alone (recording 14), so the sandbox does not invent that refusal.
  if ((cls === 'A' || cls === 'M') && detail.DocTipo !== 80)
    reject(10013, 'Para comprobantes clase A el campo DocTipo debe ser 80 (CUIT).');
  if (detail.DocTipo === 80 && detail.DocNro === context.cuit)
    reject(10069, 'El campo DocNro no puede ser igual al CUIT del emisor.');
  if (detail.DocTipo === 80 && !/^(20|23|24|27|30|33|34)\d{9}$/.test(String(detail.DocNro))) {
    reject(10015, 'El campo DocNro no es un CUIT valido.');
  } else if (
    // PROTOCOL.md 4: receivers identified by CUIT, CUIL or CDI must exist in ARCA's registry; 23000000000 is
    // exempt. The wording of this refusal is not in any recording (UNVERIFIED).
    [80, 86, 87].includes(detail.DocTipo) &&
    detail.DocNro !== 23_000_000_000 &&
    context.isRegistered?.(detail.DocNro) === false
  ) {
    reject(10015, 'El campo DocNro no corresponde a una persona registrada en ARCA.');
  }
  if (cls === 'B' || cls === 'C') {
    const count = detail.CbteHasta - detail.CbteDesde + 1;
    const total = detail.ImpTotal * (detail.MonCotiz ?? 1);
    if (
      count > 1 &&
      (detail.DocTipo !== 99 || detail.DocNro !== 0 || total / count >= IDENTIFICATION_THRESHOLD)
    ) {
      reject(
        10014,
        'Los lotes de comprobantes B solo se admiten con DocTipo 99, DocNro 0 e importe por comprobante menor al limite vigente.',
      );
    }
    if (detail.DocTipo === 99 && detail.DocNro !== 0)
      reject(10015, 'Si DocTipo es 99 (Doc. Otro) el campo DocNro debe ser 0.');
    if (count === 1 && total >= IDENTIFICATION_THRESHOLD && (detail.DocTipo === 99 || detail.DocNro === 0)) {
      reject(
        10015,
        'Para importes iguales o superiores al limite vigente se debe identificar al receptor (DocTipo distinto de 99 y DocNro).',
      );
    }
  }
}

function checkDates(
  detail: Detail,
  context: RuleContext,
  reject: (code: number, text: string) => void,
): void {
  const fch = detail.CbteFch;
  if (fch !== undefined && fch !== '') {
    if (!parseYyyymmdd(fch)) {
      reject(10016, 'El campo CbteFch debe tener el formato AAAAMMDD.');
    } else {
      const offset = daysBetween(context.today, fch);
      const window = dateWindow(context.cbteTipo, detail.Concepto, context.today);
      if (offset < -window.days.before || offset > window.days.after) rejectWith(reject, window.message);
      else if (context.lastFch && fch < context.lastFch) rejectWith(reject, RULE_MESSAGES.dateBeforeLast());
      if (window.sameMonth && offset > 0 && fch.slice(0, 6) !== context.today.slice(0, 6)) {
        reject(
          10152,
          'Para Concepto 1 (Productos) la fecha del comprobante posterior a la de envio debe corresponder al mismo mes.',
        );
      }
    }
  }
  const service = [detail.FchServDesde, detail.FchServHasta, detail.FchVtoPago].map((value) =>
    value === '' ? undefined : value,
  );
  const [desde, hasta, vtoPago] = service;
  if (detail.Concepto === 2 || detail.Concepto === 3) {
    if (!desde || !hasta || !vtoPago) {
      reject(
        10049,
        'Para Concepto 2 o 3 los campos FchServDesde, FchServHasta y FchVtoPago son obligatorios.',
      );
      return;
    }
    if (!parseYyyymmdd(desde)) reject(10031, 'El campo FchServDesde debe tener el formato AAAAMMDD.');
    if (!parseYyyymmdd(hasta)) reject(10032, 'El campo FchServHasta debe tener el formato AAAAMMDD.');
    if (!parseYyyymmdd(vtoPago)) reject(10034, 'El campo FchVtoPago debe tener el formato AAAAMMDD.');
    if (parseYyyymmdd(desde) && parseYyyymmdd(hasta) && hasta < desde)
      reject(10033, 'El campo FchServHasta no puede ser anterior a FchServDesde.');
    const voucherDate = fch && parseYyyymmdd(fch) ? fch : context.today;
    if (parseYyyymmdd(vtoPago) && vtoPago < voucherDate)
      reject(10035, 'El campo FchVtoPago no puede ser anterior a la fecha del comprobante.');
  } else if ((desde || hasta || vtoPago) && !FCE_TYPES.has(context.cbteTipo)) {
    reject(
      10036,
      'Para Concepto 1 (Productos) no deben informarse FchServDesde, FchServHasta ni FchVtoPago.',
    );
  }
}

function checkAmounts(
  detail: Detail,
  context: RuleContext,
  isC: boolean,
  reject: (code: number, text: string) => void,
): void {
  const amounts: [keyof Detail, number][] = [
    ['ImpTotal', 10043],
    ['ImpTotConc', 10044],
    ['ImpNeto', 10045],
    ['ImpOpEx', 10046],
    ['ImpIVA', 10047],
    ['ImpTrib', 10047],
  ];
  for (const [field, code] of amounts) {
    const value = detail[field] as number;
    if (value < 0) reject(code, `El campo ${field} no puede ser negativo.`);
    if (!hasPrecision(value, 2)) reject(10056, `El campo ${field} admite hasta 13 enteros y 2 decimales.`);
  }
  if (isC) {
    if (detail.ImpTotConc !== 0 || detail.ImpOpEx !== 0 || detail.ImpIVA !== 0) {
      reject(10048, 'Para comprobantes clase C los campos ImpTotConc, ImpOpEx e ImpIVA deben ser 0.');
    }
    if (detail.Iva && detail.Iva.length > 0)
      reject(10071, 'Para comprobantes clase C no debe informarse el array Iva.');
  }
  const sum = isC
    ? detail.ImpNeto + detail.ImpTrib
    : detail.ImpTotConc + detail.ImpNeto + detail.ImpOpEx + detail.ImpTrib + detail.ImpIVA;
  // The total gets no relative tolerance: 0.02 off is refused at any amount.
  if (Math.abs(detail.ImpTotal - sum) > 0.01 + 1e-9) {
    reject(
      10048,
      'El campo ImpTotal debe ser igual a la suma de ImpTotConc + ImpNeto + ImpOpEx + ImpTrib + ImpIVA.',
    );
  }
  if (!isC) checkIva(detail, context, reject);
  checkTributes(detail, context, reject);
}

function checkIva(detail: Detail, context: RuleContext, reject: (code: number, text: string) => void): void {
  const iva = detail.Iva ?? [];
  const relaxed = IVA_RELAXED.has(context.cbteTipo);
  if (detail.ImpIVA > 0 && iva.length === 0)
    reject(10018, 'Si ImpIVA es mayor a 0 el array Iva es obligatorio.');
  if (detail.ImpNeto > 0 && iva.length === 0 && !relaxed)
    reject(10070, 'Si ImpNeto es mayor a 0 el array Iva es obligatorio.');
  if (iva.length === 0) return;
  if (detail.ImpIVA === 0 && iva.some((alic) => alic.Id !== 3)) {
    reject(10019, 'Si ImpIVA es igual a 0 solo puede informarse la alicuota Id 3 (0%).');
  }
  const seen = new Set<number>();
  for (const alic of iva) {
    const rate = context.tables.ivaRates.get(alic.Id);
    if (rate === undefined)
      reject(10020, `El Id de alicuota ${alic.Id} no es valido. Consultar metodo FEParamGetTiposIva.`);
    if (!(alic.BaseImp > 0) && !relaxed) reject(10021, 'El campo BaseImp de AlicIva debe ser mayor a 0.');
    if (alic.Importe < 0) reject(10021, 'El campo Importe de AlicIva no puede ser negativo.');
    if (seen.has(alic.Id)) reject(10022, `La alicuota Id ${alic.Id} esta repetida.`);
    seen.add(alic.Id);
    if (rate !== undefined && !relaxed && !close(alic.Importe, round2(alic.BaseImp * rate), 1)) {
      reject(10051, `El Importe de la alicuota Id ${alic.Id} no se corresponde con BaseImp por la tasa.`);
    }
  }
  if (!close(sum(iva.map((alic) => alic.Importe)), detail.ImpIVA, iva.length)) {
    reject(10023, 'La suma de los Importe del array Iva debe ser igual a ImpIVA.');
  }
  if (!relaxed && !close(sum(iva.map((alic) => alic.BaseImp)), detail.ImpNeto, iva.length)) {
    reject(10061, 'La suma de las BaseImp del array Iva debe ser igual a ImpNeto.');
  }
}

function checkTributes(
  detail: Detail,
  context: RuleContext,
  reject: (code: number, text: string) => void,
): void {
  const tributes = detail.Tributos ?? [];
  if (detail.ImpTrib > 0 && tributes.length === 0)
    reject(10024, 'Si ImpTrib es mayor a 0 el array Tributos es obligatorio.');
  if (detail.ImpTrib === 0 && tributes.length > 0)
    reject(10024, 'Si se informa el array Tributos ImpTrib debe ser mayor a 0.');
  for (const tribute of tributes) {
    if (!context.tables.tributes.has(tribute.Id))
      reject(10025, `El Id de tributo ${tribute.Id} no es valido. Consultar metodo FEParamGetTiposTributos.`);
    if (tribute.BaseImp < 0 || tribute.Alic < 0 || tribute.Importe < 0)
      reject(10026, 'Los campos BaseImp, Alic e Importe de Tributo no pueden ser negativos.');
    if (tribute.Id === 99 && !tribute.Desc)
      reject(10042, 'Para el tributo Id 99 (Otro) el campo Desc es obligatorio.');
  }
  if (
    tributes.length > 0 &&
    !close(sum(tributes.map((tribute) => tribute.Importe)), detail.ImpTrib, tributes.length)
  ) {
    reject(10029, 'La suma de los Importe del array Tributos debe ser igual a ImpTrib.');
  }
}

function checkCurrency(
  detail: Detail,
  context: RuleContext,
  reject: (code: number, text: string) => void,
): void {
  const monId = detail.MonId ?? '';
  if (!context.tables.currencies.has(monId)) {
    reject(10037, 'El campo MonId no es valido. Consultar metodo FEParamGetTiposMonedas.');
    return;
  }
  const sameCurrency = detail.CanMisMonExt;
  if (sameCurrency !== undefined && sameCurrency !== '' && sameCurrency !== 'S' && sameCurrency !== 'N') {
    reject(10239, 'El campo CanMisMonExt solo admite los valores S o N.');
  }
  if (monId === 'PES') {
    if (detail.MonCotiz !== 1) reject(10039, 'Si MonId es PES el campo MonCotiz debe ser 1.');
    if (sameCurrency === 'S')
      reject(10241, 'Si MonId es PES el campo CanMisMonExt no debe informarse o debe ser N.');
    return;
  }
  if (!(detail.MonCotiz !== undefined && detail.MonCotiz > 0)) {
    if (sameCurrency !== 'S') reject(10038, 'El campo MonCotiz es obligatorio y debe ser mayor a 0.');
    return;
  }
  const official = context.rateOf(monId);
  // 10119: the declared rate must lie within 2 % and 400 % of ARCA's rate for the currency.
  if (
    official !== undefined &&
    sameCurrency !== 'S' &&
    (detail.MonCotiz < official * 0.02 || detail.MonCotiz > official * 4)
  ) {
    reject(
      10119,
      `El campo MonCotiz no se encuentra dentro del rango permitido respecto de la cotizacion oficial (${official}).`,
    );
  }
}

function checkAssociations(
  detail: Detail,
  context: RuleContext,
  reject: (code: number, text: string) => void,
): void {
  const associated = detail.CbtesAsoc ?? [];
  const note = DEBIT_NOTES.has(context.cbteTipo) || CREDIT_NOTES.has(context.cbteTipo);
  const period = detail.PeriodoAsoc && (detail.PeriodoAsoc.FchDesde || detail.PeriodoAsoc.FchHasta);
  if (associated.length > 0 && !ASSOCIATION_ALLOWED.has(context.cbteTipo)) {
    reject(10040, `El comprobante tipo ${context.cbteTipo} no admite comprobantes asociados.`);
  }
  if (note && associated.length === 0 && !period) {
    reject(10197, 'Para Notas de Debito y Credito es obligatorio informar CbtesAsoc o PeriodoAsoc.');
  }
  if (!note && period) reject(10198, 'PeriodoAsoc solo puede informarse en Notas de Debito y Credito.');
  const allowed = associableTypes(context.cbteTipo);
  const seen = new Set<string>();
  for (const cbte of associated) {
    if (!(cbte.Tipo > 0) || (allowed && !allowed.has(cbte.Tipo))) {
      reject(
        10057,
        `El tipo de comprobante asociado ${cbte.Tipo} no es valido para el comprobante tipo ${context.cbteTipo}.`,
      );
    }
    if (!inRange(cbte.PtoVta, 1, 99_998))
      reject(10058, 'El PtoVta del comprobante asociado debe estar entre 1 y 99998.');
    if (!inRange(cbte.Nro, 1, 99_999_999))
      reject(10059, 'El Nro del comprobante asociado debe estar entre 1 y 99999999.');
    const key = `${cbte.Tipo}/${cbte.PtoVta}/${cbte.Nro}`;
    if (seen.has(key)) reject(10060, 'Los comprobantes asociados no pueden repetirse.');
    seen.add(key);
  }
}

function checkOptionals(
  detail: Detail,
  context: RuleContext,
  reject: (code: number, text: string) => void,
): void {
  const seen = new Set<string>();
  for (const optional of detail.Opcionales ?? []) {
    const id = optional.Id ?? '';
    if (!context.tables.optionals.has(id))
      reject(10052, `El Id de opcional ${id} no es valido. Consultar metodo FEParamGetTiposOpcional.`);
    if (!optional.Valor) reject(10053, `El campo Valor del opcional ${id} es obligatorio.`);
    if (seen.has(id) && !REPEATABLE_OPTIONALS.has(id)) reject(10054, `El opcional ${id} no puede repetirse.`);
    seen.add(id);
  }
}

function rejectWith(reject: (code: number, text: string) => void, message: CodeMsg): void {
  reject(message.Code, message.Msg);
}

function inRange(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function hasPrecision(value: number, decimals: number): boolean {
  return (
    Math.abs(value * 10 ** decimals - Math.round(value * 10 ** decimals)) < 1e-6 && Math.abs(value) < 1e13
  );
}

/** ARCA's tolerance: 0.01 per term (aliquots, tributes) or 0.01 % of the amount. */
function close(a: number, b: number, terms: number): boolean {
  const difference = Math.abs(a - b);
  return difference <= 0.01 * terms + 1e-9 || difference <= Math.abs(b) * 0.0001;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
