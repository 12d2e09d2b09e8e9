import { BOLD, drawQr, finish, newDocument, type Pdf, REGULAR } from './pdf-document.js';
import type { PrintableInvoice } from './printable.js';

// The 80 mm thermal ticket: the same mandatory data as the A4 page, stacked in one column (INVOICE-PRINT.md 8).
// No norm fixes its layout. The page is drawn on a tall sheet and then cut to what was drawn, so a ticket is as
// long as its lines and one pass suffices.

const WIDTH = 226.77; // 80 mm
const M = 10;
const W = WIDTH - 2 * M;
/** The tallest ticket: 5 m of paper. */
const MAX_HEIGHT = 14_170;

export async function renderTicket(invoice: PrintableInvoice): Promise<Buffer> {
  const doc = newDocument([WIDTH, MAX_HEIGHT], `${invoice.name} ${invoice.letter} ${invoice.number}`, M);
  let y = M;
  const text = (
    value: string,
    options: { bold?: boolean; size?: number; align?: 'left' | 'center' | 'right' } = {},
  ) => {
    doc.font(options.bold ? BOLD : REGULAR).fontSize(options.size ?? 7.5);
    doc.text(value, M, y, { width: W, align: options.align ?? 'left' });
    y = doc.y + 1;
  };
  const pair = (label: string, value: string, bold = false) => {
    doc.font(bold ? BOLD : REGULAR).fontSize(bold ? 8.5 : 7.5);
    const valueWidth = doc.widthOfString(value) + 2;
    doc.text(label, M, y, { width: W - valueWidth - 4 });
    const after = doc.y;
    doc.text(value, M + W - valueWidth, y, { width: valueWidth, align: 'right', lineBreak: false });
    y = after + 1;
  };
  const rule = () => {
    y += 2;
    doc
      .moveTo(M, y)
      .lineTo(M + W, y)
      .dash(1.5, { space: 1.5 })
      .stroke()
      .undash();
    y += 4;
  };

  if (invoice.issuer.logo) {
    doc.image(invoice.issuer.logo, M + W / 4, y, { fit: [W / 2, 40], align: 'center' });
    y += 44;
  }
  text(invoice.issuer.name, { bold: true, size: 9, align: 'center' });
  text(invoice.issuer.address, { align: 'center' });
  text(`CUIT: ${invoice.issuer.cuit}`, { align: 'center' });
  text(`Ingresos Brutos: ${invoice.issuer.grossIncome}`, { align: 'center' });
  text(`Inicio de actividades: ${invoice.issuer.activityStart}`, { align: 'center' });
  text(invoice.issuer.ivaCondition, { align: 'center' });
  rule();
  text(`${invoice.name} ${invoice.letter}`, { bold: true, size: 10, align: 'center' });
  text(invoice.code, { align: 'center' });
  if (invoice.letterLegend) text(invoice.letterLegend, { bold: true, align: 'center' });
  text(`N° ${invoice.number}`, { bold: true, size: 9, align: 'center' });
  text(`Fecha: ${invoice.date}`, { align: 'center' });
  if (invoice.testMark) text(invoice.testMark, { bold: true, align: 'center' });
  rule();
  for (const legend of invoice.legends) text(legend, { bold: true });
  text(invoice.receiver.name);
  if (invoice.receiver.document) text(invoice.receiver.document);
  if (invoice.receiver.address) text(invoice.receiver.address);
  text(`Condición frente al IVA: ${invoice.receiver.ivaCondition}`);
  if (invoice.period) text(`Período facturado: ${invoice.period}`);
  if (invoice.paymentDue) text(`Vto. para el pago: ${invoice.paymentDue}`);
  if (invoice.associated.length > 0) text(`Comprobantes asociados: ${invoice.associated.join('; ')}`);
  rule();
  for (const line of invoice.lines) {
    const rate = line.rate ? ` (${line.rate})` : '';
    text(`${line.quantity}${line.unit ? ` ${line.unit}` : ''} x ${line.unitPrice}${rate}`);
    pair(line.description, line.amount);
    if (line.discount) pair('  Bonificación', `-${line.discount}`);
  }
  rule();
  for (const tribute of invoice.tributes) pair(tribute.label, tribute.amount);
  for (const total of invoice.totals) pair(total.label, total.amount, total.strong ?? false);
  if (invoice.currency) text(invoice.currency, { size: 6.5 });
  if (invoice.transparency) {
    rule();
    text(invoice.transparency.title, { bold: true, size: 7 });
    for (const item of invoice.transparency.rows) pair(item.label, item.amount);
  }
  if (invoice.observations.length > 0) {
    rule();
    text('Observaciones de ARCA', { bold: true });
    for (const observation of invoice.observations) text(observation, { size: 6.5 });
  }
  rule();
  const qr = W * 0.8;
  drawQr(doc, invoice.qrUrl, M + (W - qr) / 2, y, qr);
  y += qr + 2;
  text(`${invoice.authorization.label}: ${invoice.authorization.code}`, { bold: true, align: 'center' });
  text(`${invoice.authorization.dueLabel}: ${invoice.authorization.due}`, { align: 'center' });
  text('Comprobante Autorizado', { bold: true, align: 'center' });
  y += M;
  cut(doc, Math.min(y, MAX_HEIGHT));
  return finish(doc);
}

/** Keep the top `used` points of the page: the MediaBox starts that far from the top (PDF y grows upwards). */
function cut(doc: Pdf, used: number): void {
  const page = doc.page as unknown as { dictionary: { data: { MediaBox: number[] } } };
  page.dictionary.data.MediaBox = [0, MAX_HEIGHT - used, WIDTH, MAX_HEIGHT];
}
