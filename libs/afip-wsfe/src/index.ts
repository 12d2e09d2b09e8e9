export {
  addDays,
  argentinaIso,
  daysBetween,
  parseYyyymmdd,
  yyyymmdd,
  yyyymmddhhmmss,
  yyyymmddUtc,
} from './dates.js';
export {
  CaeaClient,
  type CaeaAnswer,
  type CaeaGrant,
  type CaeaReportResult,
  type FECAEADetRequest,
  type FECAEADetResponse,
  type PointOfSaleRow,
} from './caea-client.js';
export {
  argentinaMidnight,
  type Fortnight,
  fortnightDays,
  fortnightLabel,
  fortnightOf,
  nextFortnight,
  requestableFortnights,
} from './fortnight.js';
export { decodeQrUrl, QR_BASE_URL, type QrPayload, qrPayload, qrUrl, type QrVoucher } from './qr.js';
export { dateWindow, type DateWindow } from './rules/date-window.js';
export { checkDetail, type Detail, type RuleContext, type RuleOutcome } from './rules/invoice-rules.js';
export { msg, RULE_MESSAGES } from './rules/rule-messages.js';
export { type RuleTableRows, type RuleTables, ruleTablesFrom } from './rules/rule-tables.js';
export {
  associableTypes,
  classOf,
  CREDIT_NOTES,
  DEBIT_NOTES,
  FCE_TYPES,
  IVA_RELAXED,
  type VoucherClass,
} from './rules/voucher-classes.js';
export { WsfeClient, type WsfeClientOptions } from './wsfe-client.js';
export { kindOfErrors, WsfeError, type WsfeErrorKind } from './wsfe-error.js';
export type * from './wsfe-types.js';
