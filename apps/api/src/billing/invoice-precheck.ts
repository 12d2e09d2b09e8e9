import { checkDetail, classOf, FCE_TYPES, IVA_RELAXED, type RuleTables } from '#libs/afip-wsfe';
import { checkItems } from '#libs/invoice-print';
import { AppError, type ErrorDetail } from '../common/app-error.js';
import type { InvoiceDetailDto } from './invoice-detail.dto.js';
import { toWsfeDetail } from './invoice-mapping.js';
import type { CreateInvoiceDto } from './invoice-request.dto.js';
import { fieldOfRule } from './rule-fields.js';

const HEADER = 'FeCAEReq.FeCabReq';
const DETAILS = 'FeCAEReq.FeDetReq.FECAEDetRequest';

export interface PrecheckContext {
  /** Submission date, yyyymmdd in Argentina. */
  today: string;
  tables: RuleTables;
  /** FECompTotXRequest. */
  maxRecords: number;
}

/**
 * ARCA's rules that can be decided without ARCA, applied before anything is written or sent: a request ARCA
 * would certainly refuse gets a 400 naming each field, its rule (ARCA's code where ARCA has one) and ARCA's
 * wording. The rules are the ones the sandbox applies (libs/afip-wsfe), with ARCA's cached parameter tables.
 */
export function precheck(dto: CreateInvoiceDto, context: PrecheckContext): void {
  const cab = dto.FeCAEReq.FeCabReq;
  const details = dto.FeCAEReq.FeDetReq.FECAEDetRequest;
  const problems: ErrorDetail[] = [];
  const arca = (field: string, code: number, text: string) =>
    problems.push({ field, rule: String(code), message: `${field}: ${text} (ARCA ${code})` });

  if (cab.CantReg !== details.length)
    arca(`${HEADER}.CantReg`, 10002, `CantReg is ${cab.CantReg} but FeDetReq has ${details.length} details`);
  const limit = FCE_TYPES.has(cab.CbteTipo) ? 1 : context.maxRecords;
  if (details.length > limit)
    arca(
      `${HEADER}.CantReg`,
      10003,
      `at most ${limit} details per request for this type (FECompTotXRequest)`,
    );
  if (!classOf(cab.CbteTipo))
    arca(
      `${HEADER}.CbteTipo`,
      10007,
      'El campo CbteTipo no es valido. Consultar metodo FEParamGetTiposCbte.',
    );
  problems.push(...numberingProblems(details), ...dateOrderProblems(details));

  details.forEach((detail, index) => {
    const outcome = checkDetail(
      toWsfeDetail(detail, {
        CbteDesde: detail.CbteDesde ?? 1,
        CbteHasta: detail.CbteHasta ?? detail.CbteDesde ?? 1,
        CbteFch: detail.CbteFch ?? context.today,
      }),
      {
        cuit: dto.Auth.Cuit,
        cbteTipo: cab.CbteTipo,
        today: context.today,
        tables: context.tables,
        // Decided by ARCA alone: the official rate (10119) and the receiver's registration (an observation).
        rateOf: () => undefined,
        isMonotributista: () => false,
      },
    );
    for (const rejection of outcome.rejections) {
      const field = fieldOfRule(rejection.Code, rejection.Msg);
      arca(field ? `${DETAILS}.${index}.${field}` : `${DETAILS}.${index}`, rejection.Code, rejection.Msg);
    }
    if (detail.Items) {
      const kind = { classC: classOf(cab.CbteTipo) === 'C', relaxedIva: IVA_RELAXED.has(cab.CbteTipo) };
      const totals = { ...detail, Iva: detail.Iva?.AlicIva };
      for (const problem of checkItems(detail.Items, totals, kind)) {
        const field = `${DETAILS}.${index}.${problem.field}`;
        problems.push({ field, rule: problem.rule, message: `${DETAILS}.${index}.${problem.message}` });
      }
    }
  });

  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', problems.map((problem) => problem.message).join('; '), problems);
  }
}

/**
 * ARCA takes a request's details in order, each against the date of the one before (10016): dates given in one
 * request may not go back.
 */
function dateOrderProblems(details: InvoiceDetailDto[]): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  let latest: string | undefined;
  details.forEach((detail, index) => {
    const date = detail.CbteFch;
    if (date === undefined) return;
    if (latest !== undefined && date < latest) {
      const field = `${DETAILS}.${index}.CbteFch`;
      problems.push({
        field,
        rule: '10016',
        message:
          `${field}: CbteFch ${date} is before ${latest}, the date of an earlier detail of this request; ARCA ` +
          'refuses a voucher dated before the last one authorized on its point of sale and type (ARCA 10016)',
      });
    }
    if (latest === undefined || date > latest) latest = date;
  });
  return problems;
}

/** Numbers come from the POS for every detail (consecutive) or for none; a detail gives both ends or neither. */
function numberingProblems(details: InvoiceDetailDto[]): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  details.forEach((detail, index) => {
    if ((detail.CbteDesde === undefined) !== (detail.CbteHasta === undefined)) {
      const missing = detail.CbteDesde === undefined ? 'CbteDesde' : 'CbteHasta';
      problems.push({
        field: `${DETAILS}.${index}.${missing}`,
        rule: 'numbering',
        message: `${DETAILS}.${index}.${missing} is required when the other end of the range is given (or leave both out and the gateway numbers the voucher)`,
      });
    }
  });
  const numbered = details.filter((detail) => detail.CbteDesde !== undefined);
  if (numbered.length > 0 && numbered.length < details.length) {
    problems.push({
      field: DETAILS,
      rule: 'numbering',
      message: `${DETAILS}: number every detail or none (${numbered.length} of ${details.length} have CbteDesde)`,
    });
  } else if (numbered.length === details.length) {
    for (let index = 1; index < details.length; index++) {
      const expected = (details[index - 1]!.CbteHasta ?? 0) + 1;
      if (details[index]!.CbteDesde !== expected) {
        problems.push({
          field: `${DETAILS}.${index}.CbteDesde`,
          rule: 'consecutive',
          message: `${DETAILS}.${index}.CbteDesde must be ${expected}: the details of one request are consecutive`,
        });
      }
    }
  }
  return problems;
}
