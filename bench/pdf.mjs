// npm run bench -- pdf: rendering printed invoices (libs/invoice-print) in this process, from the voucher's data to
// the PDF's bytes: the model, the layout, the embedded font subset and the QR. The database and registry reads of
// GET .../pdf are not in these figures.
import { join } from 'node:path';
import { percentile } from './support.mjs';

const dist = process.env.BENCH_DIST ?? join(import.meta.dirname, '..', 'dist');

const ISSUER = {
  name: 'PEREZ JUAN CARLOS',
  address: 'AV CORRIENTES 1234, CIUDAD AUTONOMA BUENOS AIRES',
  ivaCondition: 'IVA Responsable Inscripto',
  grossIncome: '901-123456-7',
  activityStart: '20200301',
};
const RECEIVER = {
  name: 'DISTRIBUIDORA DEL CENTRO S.A.',
  address: 'BV SAN JUAN 450, CORDOBA',
  ivaCondition: 'IVA Responsable Inscripto',
};
const QR =
  'https://www.afip.gob.ar/fe/qr/?p=eyJ2ZXIiOjEsImZlY2hhIjoiMjAyNi0xMS0zMCIsImN1aXQiOjIwMTIzNDU2Nzg5LCJwdG9WdGEiOjEsInRpcG9DbXAiOjEsIm5yb0NtcCI6NDIsImltcG9ydGUiOjM2MzUuNSwibW9uZWRhIjoiUEVTIiwiY3R6IjoxLCJ0aXBvRG9jUmVjIjo4MCwibnJvRG9jUmVjIjozMDcxMjM0NTY3MSwidGlwb0NvZEF1dCI6IkUiLCJjb2RBdXQiOjc2NTQzMjEwOTg3NjU0fQ==';

function voucher(lines) {
  return {
    environment: 'production',
    cuit: 20123456789,
    ptoVta: 1,
    cbteTipo: 1,
    cbteNro: 42,
    detail: {
      Concepto: 1,
      DocTipo: 80,
      DocNro: 30712345671,
      CbteFch: '20261130',
      ImpTotal: lines * 121,
      ImpTotConc: 0,
      ImpNeto: lines * 100,
      ImpOpEx: 0,
      ImpTrib: 0,
      ImpIVA: lines * 21,
      MonId: 'PES',
      MonCotiz: 1,
      CondicionIVAReceptorId: 1,
      Iva: [{ Id: 5, BaseImp: lines * 100, Importe: lines * 21 }],
    },
    items: Array.from({ length: lines }, (_, index) => ({
      Description: `Artículo de almacén número ${index + 1}`,
      Quantity: 1,
      UnitPrice: 100,
      AlicIvaId: 5,
    })),
    authorization: { type: 'CAE', code: '76543210987654', due: '20261210' },
    observations: [],
    qrUrl: QR,
  };
}

async function time(runs, work) {
  for (let index = 0; index < 10; index += 1) await work(); // warm-up: fonts read, code compiled
  const samples = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

export async function pdfFigures() {
  const { printable, renderA4, renderTicket, qrPng } = await import(
    join(dist, 'libs', 'invoice-print', 'src', 'index.js')
  );
  const rows = [];
  for (const [name, lines, render, runs] of [
    ['A4, 3 lines', 3, renderA4, 200],
    ['80 mm ticket, 3 lines', 3, renderTicket, 200],
    ['A4, 150 lines (4 pages)', 150, renderA4, 50],
  ]) {
    const model = voucher(lines);
    let bytes = 0;
    const figures = await time(runs, async () => {
      bytes = (await render(printable(model, ISSUER, RECEIVER))).length;
    });
    rows.push([
      `PDF render, ${name}`,
      `p50 ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms (${(bytes / 1024).toFixed(0)} KB)`,
    ]);
  }
  const qr = await time(200, () => qrPng(QR));
  rows.push(['QR alone, PNG', `p50 ${qr.p50.toFixed(2)} ms, p99 ${qr.p99.toFixed(2)} ms`]);
  return rows;
}
