import { crc32, deflateSync } from 'node:zlib';
import QRCode from 'qrcode';

// The RG 4892 QR alone, for a POS that prints its own document: SVG (vector) and PNG. Error correction M and a
// quiet zone of 4 modules, as on the printed invoice.

const QUIET = 4;

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { errorCorrectionLevel: 'M', margin: QUIET, type: 'svg' });
}

/**
 * A grayscale PNG, `scale` pixels per module. Written here rather than through qrcode's PNG renderer, which took
 * about 45 ms per image on this machine (pngjs); this takes the QR's own time plus a deflate of a few KB.
 */
export function qrPng(text: string, scale = 6): Promise<Buffer> {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const side = (modules.size + 2 * QUIET) * scale;
  const rows = Buffer.alloc(side * (side + 1), 0xff);
  for (let y = 0; y < side; y++) {
    rows[y * (side + 1)] = 0; // filter: none
    const row = Math.floor(y / scale) - QUIET;
    if (row < 0 || row >= modules.size) continue;
    for (let x = 0; x < side; x++) {
      const column = Math.floor(x / scale) - QUIET;
      if (column >= 0 && column < modules.size && modules.get(row, column)) rows[y * (side + 1) + 1 + x] = 0;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  return Promise.resolve(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(rows)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
