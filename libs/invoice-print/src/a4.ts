import { BOLD, drawQr, finish, newDocument, type Pdf, REGULAR } from './pdf-document.js';
import type { PrintableInvoice } from './printable.js';

// The A4 page in the layout of ARCA's own "Comprobantes en línea" (INVOICE-PRINT.md 8): header with the letter box
// in the middle, receiver, lines, totals, then QR and CAE. Lines that do not fit go on to further pages, which
// repeat the header; every page says "Hoja x de y".

const PAGE: [number, number] = [595.28, 841.89];
const M = 28;
const W = PAGE[0] - 2 * M;
const GRAY = '#e6e6e6';
/** Where the lines table must stop on a page that still has the totals and the footer below it. */
const FOOTER_TOP = PAGE[1] - M - 120;

export async function renderA4(invoice: PrintableInvoice): Promise<Buffer> {
  const doc = newDocument(PAGE, `${invoice.name} ${invoice.letter} ${invoice.number}`, M);
  let y = header(doc, invoice);
  y = receiver(doc, invoice, y + 6);
  y = linesTable(doc, invoice, y + 6);
  if (y + bottomHeight(doc, invoice) > FOOTER_TOP) {
    doc.addPage();
    y = header(doc, invoice) + 6;
  }
  bottom(doc, invoice, y + 6);
  footer(doc, invoice);
  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    // Below the bottom margin: without this, pdfkit would start a page for the text.
    doc.page.margins.bottom = 0;
    doc.font(REGULAR).fontSize(7).fillColor('#000000');
    doc.text(`Hoja ${index + 1} de ${range.count}`, M, PAGE[1] - M - 8, {
      width: W,
      align: 'right',
      lineBreak: false,
    });
  }
  return finish(doc);
}

/** Banner, issuer, letter box, voucher; returns the y under it. */
function header(doc: Pdf, invoice: PrintableInvoice): number {
  doc.rect(M, M, W, 16).stroke();
  doc
    .font(BOLD)
    .fontSize(10)
    .text('ORIGINAL', M, M + 3.5, { width: W, align: 'center', lineBreak: false });
  const top = M + 20;
  const height = 100;
  doc.rect(M, top, W, height).stroke();
  const half = W / 2;
  doc
    .moveTo(M + half, top + 44)
    .lineTo(M + half, top + height)
    .stroke();
  // Letter box.
  const box = 44;
  doc.rect(M + half - box / 2, top, box, box).fillAndStroke('#ffffff', '#000000');
  doc
    .fillColor('#000000')
    .font(BOLD)
    .fontSize(28)
    .text(invoice.letter, M + half - box / 2, top + 3, { width: box, align: 'center', lineBreak: false });
  doc
    .font(BOLD)
    .fontSize(6.5)
    .text(invoice.code, M + half - box / 2, top + 34, { width: box, align: 'center', lineBreak: false });
  if (invoice.letterLegend)
    doc
      .font(BOLD)
      .fontSize(6)
      .text(invoice.letterLegend, M + half - 60, top + box + 3, { width: 120, align: 'center' });
  // Issuer, left.
  let left = top + 8;
  const leftWidth = half - box / 2 - 16;
  if (invoice.issuer.logo) {
    doc.image(invoice.issuer.logo, M + 8, left, { fit: [leftWidth, 34] });
    left += 38;
  }
  doc
    .font(BOLD)
    .fontSize(12)
    .text(invoice.issuer.name, M + 8, left, { width: leftWidth });
  left = doc.y + 4;
  left = labelled(doc, 'Domicilio comercial: ', invoice.issuer.address, M + 8, left, half - 16);
  labelled(doc, 'Condición frente al IVA: ', invoice.issuer.ivaCondition, M + 8, left + 2, half - 16);
  // Voucher, right.
  const x = M + half + box / 2 + 8;
  const rightWidth = half - box / 2 - 16;
  doc
    .font(BOLD)
    .fontSize(13)
    .text(invoice.name, x, top + 8, { width: rightWidth });
  let right = doc.y + 4;
  right = labelled(doc, 'Punto de venta y número: ', invoice.number, x, right, rightWidth);
  right = labelled(doc, 'Fecha de emisión: ', invoice.date, x, right + 1, rightWidth);
  right = Math.max(right, top + 52);
  right = labelled(doc, 'CUIT: ', invoice.issuer.cuit, M + half + 8, right + 4, half - 16);
  right = labelled(doc, 'Ingresos Brutos: ', invoice.issuer.grossIncome, M + half + 8, right + 1, half - 16);
  labelled(doc, 'Inicio de actividades: ', invoice.issuer.activityStart, M + half + 8, right + 1, half - 16);
  let y = top + height;
  if (invoice.testMark) {
    doc
      .font(BOLD)
      .fontSize(8)
      .fillColor('#b00000')
      .text(invoice.testMark, M, y + 3, { width: W, align: 'center' });
    doc.fillColor('#000000');
    y = doc.y;
  }
  return y;
}

/** `Label: value` with the label in bold; returns the y under it. */
function labelled(
  doc: Pdf,
  label: string,
  value: string,
  x: number,
  y: number,
  width: number,
  size = 8.5,
): number {
  doc.font(BOLD).fontSize(size).text(label, x, y, { width, continued: true });
  doc.font(REGULAR).text(value);
  return doc.y;
}

function receiver(doc: Pdf, invoice: PrintableInvoice, top: number): number {
  const r = invoice.receiver;
  const half = W / 2;
  const under = labelled(doc, 'Apellido y nombre / Razón social: ', r.name, M + 8, top + 6, W - 16);
  let left = under;
  if (r.address) left = labelled(doc, 'Domicilio: ', r.address, M + 8, left + 1, half - 12);
  let right = under;
  if (r.document)
    right = labelled(
      doc,
      `${r.document.split(' ')[0]}: `,
      r.document.split(' ').slice(1).join(' '),
      M + half,
      right,
      half - 8,
    );
  right = labelled(doc, 'Condición frente al IVA: ', r.ivaCondition, M + half, right + 1, half - 8);
  if (invoice.period)
    right = labelled(doc, 'Período facturado: ', invoice.period, M + half, right + 1, half - 8);
  if (invoice.paymentDue)
    right = labelled(doc, 'Fecha de vto. para el pago: ', invoice.paymentDue, M + half, right + 1, half - 8);
  let y = Math.max(left, right);
  for (const legend of invoice.legends) {
    doc
      .font(BOLD)
      .fontSize(8)
      .text(legend, M + 8, y + 2, { width: W - 16 });
    y = doc.y;
  }
  if (invoice.associated.length > 0)
    y = labelled(doc, 'Comprobantes asociados: ', invoice.associated.join('; '), M + 8, y + 2, W - 16);
  doc.rect(M, top, W, y + 6 - top).stroke();
  return y + 6;
}

interface Column {
  head: string;
  width: number;
  align: 'left' | 'right' | 'center';
  value: (line: PrintableInvoice['lines'][number]) => string;
}

function columns(invoice: PrintableInvoice): Column[] {
  const fixed: Column[] = [
    { head: 'Cantidad', width: 50, align: 'right', value: (line) => line.quantity },
    { head: 'Unidad', width: 46, align: 'center', value: (line) => line.unit },
    { head: invoice.columns.unitPrice, width: 78, align: 'right', value: (line) => line.unitPrice },
    { head: 'Bonif.', width: 50, align: 'right', value: (line) => line.discount },
    ...(invoice.columns.rate
      ? [
          {
            head: '% IVA',
            width: 40,
            align: 'right' as const,
            value: (line: PrintableInvoice['lines'][number]) => line.rate,
          },
        ]
      : []),
    { head: invoice.columns.amount, width: 74, align: 'right', value: (line) => line.amount },
  ];
  const rest = W - fixed.reduce((sum, column) => sum + column.width, 0);
  return [{ head: 'Descripción', width: rest, align: 'left', value: (line) => line.description }, ...fixed];
}

function linesTable(doc: Pdf, invoice: PrintableInvoice, top: number): number {
  const cols = columns(invoice);
  const headRow = (y: number): number => {
    doc.rect(M, y, W, 16).fill(GRAY);
    doc.fillColor('#000000').font(BOLD).fontSize(7.5);
    let x = M;
    for (const column of cols) {
      doc.text(column.head, x + 3, y + 4.5, {
        width: column.width - 6,
        align: column.align,
        lineBreak: false,
      });
      x += column.width;
    }
    return y + 18;
  };
  let y = headRow(top);
  doc.font(REGULAR).fontSize(8);
  for (const line of invoice.lines) {
    const height = Math.max(doc.heightOfString(line.description, { width: cols[0]!.width - 6 }), 10);
    if (y + height > PAGE[1] - M - 20) {
      doc.addPage();
      y = headRow(header(doc, invoice) + 6);
      doc.font(REGULAR).fontSize(8);
    }
    let x = M;
    for (const column of cols) {
      doc.text(column.value(line), x + 3, y, { width: column.width - 6, align: column.align });
      x += column.width;
    }
    y += height + 3;
  }
  doc
    .moveTo(M, y)
    .lineTo(M + W, y)
    .stroke();
  return y;
}

function bottomHeight(doc: Pdf, invoice: PrintableInvoice): number {
  doc.font(REGULAR).fontSize(8);
  const text = [...invoice.observations, invoice.currency ?? ''].join('\n');
  return (
    Math.max(
      invoice.totals.length * 13,
      invoice.tributes.length * 11 + (invoice.transparency ? 50 : 0) + 14,
    ) +
    doc.heightOfString(text, { width: W }) +
    20
  );
}

/** Tributes and the RG 5614 block on the left, totals on the right, then observations. */
function bottom(doc: Pdf, invoice: PrintableInvoice, top: number): void {
  const half = W / 2;
  let left = top;
  if (invoice.tributes.length > 0) {
    doc
      .font(BOLD)
      .fontSize(8)
      .text('Otros tributos', M, left, { width: half - 12 });
    left = doc.y + 1;
    for (const tribute of invoice.tributes)
      left = row(doc, tribute.label, tribute.amount, M, left, half - 12, false);
    left += 6;
  }
  if (invoice.transparency) {
    const start = left;
    doc
      .font(BOLD)
      .fontSize(7)
      .text(invoice.transparency.title, M + 6, left + 5, { width: half - 24 });
    left = doc.y + 2;
    for (const item of invoice.transparency.rows)
      left = row(doc, item.label, `$ ${item.amount}`, M + 6, left, half - 24, false);
    doc.rect(M, start, half - 12, left + 5 - start).stroke();
    left += 5;
  }
  let right = top;
  for (const total of invoice.totals)
    right = row(doc, `${total.label}: $`, total.amount, M + half, right, half, total.strong ?? false, 9);
  let y = Math.max(left, right) + 6;
  if (invoice.currency) {
    doc.font(REGULAR).fontSize(8).text(invoice.currency, M, y, { width: W });
    y = doc.y + 4;
  }
  if (invoice.observations.length > 0) {
    doc.font(BOLD).fontSize(8).text('Observaciones de ARCA', M, y, { width: W });
    doc.font(REGULAR).text(invoice.observations.join('\n'), { width: W });
  }
}

function row(
  doc: Pdf,
  label: string,
  amount: string,
  x: number,
  y: number,
  width: number,
  strong: boolean,
  size = 8,
): number {
  doc.font(strong ? BOLD : REGULAR).fontSize(size);
  doc.text(label, x, y, { width: width - 90, align: 'right', lineBreak: false });
  doc.text(amount, x + width - 88, y, { width: 88, align: 'right', lineBreak: false });
  return y + size + 4;
}

/** QR, "Comprobante Autorizado", CAE and its due date, at the foot of the last page. */
function footer(doc: Pdf, invoice: PrintableInvoice): void {
  const top = PAGE[1] - M - 112;
  doc
    .moveTo(M, top - 4)
    .lineTo(M + W, top - 4)
    .stroke();
  drawQr(doc, invoice.qrUrl, M, top, 100);
  const x = M + 108;
  doc
    .font(BOLD)
    .fontSize(11)
    .text('Comprobante Autorizado', x, top + 14, { width: 220 });
  doc
    .font(REGULAR)
    .fontSize(6.5)
    .text(
      'Esta Administración Federal no se responsabiliza por los datos ingresados en el detalle de la operación.',
      x,
      doc.y + 4,
      { width: 220 },
    );
  const cae = M + W - 200;
  labelled(doc, `${invoice.authorization.label}: `, invoice.authorization.code, cae, top + 14, 200, 10);
  labelled(doc, `${invoice.authorization.dueLabel}: `, invoice.authorization.due, cae, doc.y + 3, 200, 10);
}
