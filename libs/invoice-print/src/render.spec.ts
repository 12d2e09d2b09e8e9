import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderA4 } from './a4.js';
import { qrPng, qrSvg } from './qr-image.js';
import { type AuthorizedVoucher, printable } from './printable.js';
import { renderTicket } from './ticket.js';

// The layouts, read back by poppler (pdfinfo, pdftotext): pages, page size and the text on them.

/** zbarimg writes D-Bus noise to stderr on this machine: kept out of the test output. */
const QUIET: { stdio: ['ignore', 'pipe', 'pipe'] } = { stdio: ['ignore', 'pipe', 'pipe'] };
const dir = mkdtempSync(join(tmpdir(), 'invoice-print-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ISSUER = {
  name: 'PEREZ JUAN',
  address: 'Av. Corrientes 1234',
  ivaCondition: 'IVA Responsable Inscripto',
  grossIncome: '901-123456-7',
  activityStart: '20200301',
};
function voucher(lines: number): AuthorizedVoucher {
  return {
    environment: 'production',
    cuit: 20123456789,
    ptoVta: 1,
    cbteTipo: 1,
    cbteNro: 7,
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
      Description: `Artículo número ${index + 1}`,
      Quantity: 1,
      UnitPrice: 100,
      AlicIvaId: 5,
    })),
    authorization: { type: 'CAE', code: '71234567890123', due: '20261210' },
    observations: [{ code: 10217, msg: 'Observación de prueba' }],
    qrUrl: 'https://www.afip.gob.ar/fe/qr/?p=e30=',
  };
}

function read(pdf: Buffer, name: string): { text: string; info: string } {
  const file = join(dir, name);
  writeFileSync(file, pdf);
  return {
    text: execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8'),
    info: execFileSync('pdfinfo', [file]).toString('utf8'),
  };
}

describe('the layouts', () => {
  it('A4: one page for a short sale; a long one goes on to further pages, each saying which it is', async () => {
    const short = read(await renderA4(printable(voucher(3), ISSUER, {})), 'short.pdf');
    expect(short.info).toMatch(/Pages:\s+1\n/);
    expect(short.info).toMatch(/Page size:\s+595\.2\d x 841\.8\d pts \(A4\)/);
    expect(short.text).toContain('Hoja 1 de 1');
    expect(short.text).toContain('10217: Observación de prueba');

    const long = read(await renderA4(printable(voucher(150), ISSUER, {})), 'long.pdf');
    const pages = Number(/Pages:\s+(\d+)/.exec(long.info)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    const sheets = long.text.split('\f').filter((sheet) => sheet.trim());
    expect(sheets).toHaveLength(pages);
    sheets.forEach((sheet, index) => {
      expect(sheet).toContain(`Hoja ${index + 1} de ${pages}`);
      expect(sheet).toContain('00001-00000007'); // every page repeats the header
    });
    expect(long.text).toContain('Artículo número 150');
    // The CAE and total once, on the last page.
    expect(sheets.at(-1)).toContain('71234567890123');
    expect(sheets.at(-1)).toContain('18.150,00');
    expect(sheets.slice(0, -1).join('')).not.toContain('71234567890123');
  });

  it('ticket: 80 mm wide, one page as long as its lines', async () => {
    const heights = [];
    for (const lines of [2, 40]) {
      const { info, text } = read(
        await renderTicket(printable(voucher(lines), ISSUER, {})),
        `ticket-${lines}.pdf`,
      );
      expect(info).toMatch(/Pages:\s+1\n/);
      const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
      expect(Number(size?.[1])).toBeCloseTo(226.77, 1);
      heights.push(Number(size?.[2]));
      expect(text).toContain(`Artículo número ${lines}`);
      expect(text).toContain('71234567890123');
    }
    expect(heights[0]).toBeGreaterThan(300);
    expect(heights[1]).toBeGreaterThan(heights[0]! + 38 * 15);
  });

  it('the QR alone: a PNG that zbar decodes to the text, at the scale asked, and an SVG', async () => {
    const text = 'https://www.afip.gob.ar/fe/qr/?p=eyJ2ZXIiOjEsImZlY2hhIjoiMjAyNi0xMS0zMCJ9';
    for (const scale of [3, 6]) {
      const png = await qrPng(text, scale);
      const file = join(dir, `qr-${scale}.png`);
      writeFileSync(file, png);
      expect(execFileSync('zbarimg', ['-q', '--raw', file], QUIET).toString('utf8').trim()).toBe(text);
      expect(png.readUInt32BE(16) % scale).toBe(0); // IHDR width: whole modules
    }
    expect(await qrSvg(text)).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*viewBox="0 0 (\d+) \1"/,
    );
  });
});
