import type { CodeMsg } from '../wsfe-types.js';

// Msg texts of the rule failures whose wording ARCA's own answers were recorded with (PROTOCOL.md 4.2); the
// other rule texts are the manual's descriptions written in ARCA's style (no accents).

export const msg = (Code: number, Msg: string): CodeMsg => ({ Code, Msg });

export const RULE_MESSAGES = {
  dateWindowProducts: () =>
    msg(
      10016,
      'Campo CbteFch Debe estar comprendido  en el  rango  N-5 y N+5 siendo N la fecha de envio del pedido  de autorizacion para 1 - Productos',
    ),
  dateWindowServices: () =>
    msg(
      10016,
      'Campo CbteFch Debe estar comprendido  en el  rango  N-10 y N+10 siendo N la fecha de envio del pedido  de autorizacion para 2 - Servicios o 3 - Productos y Servicios',
    ),
  dateWindowFceNotes: () =>
    msg(
      10016,
      'Campo CbteFch Debe estar comprendido  en el  rango  N-5 y N siendo N la fecha de envio del pedido de autorizacion para Facturas de Credito del tipo Nota de Debito o Nota de Credito',
    ),
  dateWindowFce: () =>
    msg(
      10016,
      'Campo CbteFch Debe estar comprendido  en el  rango  N-5 y N+1 siendo N la fecha de envio del pedido de autorizacion para Facturas de Credito',
    ),
  dateBeforeLast: () =>
    msg(
      10016,
      'Campo CbteFch no puede ser anterior a la fecha del ultimo comprobante autorizado para el tipo y punto de venta.',
    ),
  fiscalCreditLegend: () =>
    msg(
      10217,
      'El credito fiscal discriminado en el presente comprobante solo podra ser computado a efectos del Procedimiento permanente de transicion al Regimen General.',
    ),
};
