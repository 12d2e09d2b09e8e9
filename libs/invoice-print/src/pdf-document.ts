import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create as parseFont, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

// What both layouts share: the document, its embedded fonts and the QR drawn as vector squares.

export type Pdf = InstanceType<typeof PDFDocument>;

/**
 * DejaVu Sans from the npm package `dejavu-fonts-ttf`, read and parsed once and embedded (subset) in every PDF.
 * Parsing the font for each document (what pdfkit does when given the file) cost about 45 ms a document here;
 * the parsed font holds only caches, so documents share it.
 */
let fonts: { regular: Font; bold: Font } | undefined;
function parsedFonts(): { regular: Font; bold: Font } {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const load = (file: string) => parseFont(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
    fonts = { regular: load('DejaVuSans.ttf'), bold: load('DejaVuSans-Bold.ttf') };
  }
  return fonts;
}

export const REGULAR = 'regular';
export const BOLD = 'bold';

/** A document with one page of `size` points, fonts `regular` and `bold`, and no standard font loaded. */
export function newDocument(size: [number, number], title: string, margin: number): Pdf {
  const doc = new PDFDocument({
    size,
    margin,
    autoFirstPage: true,
    bufferPages: true,
    // No standard (Helvetica) font: every glyph comes from the embedded TrueType fonts.
    font: null as unknown as string,
    info: { Title: title, Creator: 'arca-gateway', Producer: 'arca-gateway (pdfkit)' },
  });
  const { regular, bold } = parsedFonts();
  // pdfkit takes a parsed fontkit font in place of the bytes (PDFFontFactory.open); its types say bytes only.
  doc.registerFont(REGULAR, regular as unknown as Buffer);
  doc.registerFont(BOLD, bold as unknown as Buffer);
  doc.font(REGULAR);
  return doc;
}

/** The finished document's bytes. */
export function finish(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/**
 * The QR of `text` as filled squares, `size` points wide with a 4-module quiet zone inside it. Error correction M,
 * as the ARCA examples use; dark runs of a row are drawn as one rectangle.
 */
export function drawQr(doc: Pdf, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = modules.size;
  const cell = size / (count + 8);
  const left = x + 4 * cell;
  const top = y + 4 * cell;
  doc.save();
  for (let row = 0; row < count; row++) {
    let start = -1;
    for (let column = 0; column <= count; column++) {
      const dark = column < count && modules.get(row, column);
      if (dark && start < 0) start = column;
      if (!dark && start >= 0) {
        doc.rect(left + start * cell, top + row * cell, (column - start) * cell, cell);
        start = -1;
      }
    }
  }
  doc.fill('#000000');
  doc.restore();
}
