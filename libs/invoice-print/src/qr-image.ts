import QRCode from 'qrcode';

// The RG 4892 QR alone, for a POS that prints its own document: SVG (vector) and PNG.

const OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...OPTIONS, type: 'svg' });
}

/** `scale` pixels per module. */
export function qrPng(text: string, scale = 6): Promise<Buffer> {
  return QRCode.toBuffer(text, { ...OPTIONS, type: 'png', scale });
}
