export { renderA4 } from './a4.js';
export { cuit, date, decimal, money, voucherNumber } from './format.js';
export { checkItems, IVA_RATES, type ItemLine, type ItemProblem, type ItemTotals, lineNet } from './items.js';
export {
  type AuthorizedVoucher,
  type IssuerData,
  printable,
  type PrintableInvoice,
  type ReceiverData,
} from './printable.js';
export { qrPng, qrSvg } from './qr-image.js';
export { renderTicket } from './ticket.js';
export { printedType } from './voucher-types.js';
