/** RG 4892/2020: the voucher's QR code data (JSON v1) and the URL the QR encodes (PROTOCOL.md 5). */
export interface QrPayload {
  ver: 1;
  /** Voucher date, yyyy-mm-dd. */
  fecha: string;
  cuit: number;
  ptoVta: number;
  tipoCmp: number;
  nroCmp: number;
  importe: number;
  moneda: string;
  ctz: number;
  tipoDocRec?: number;
  nroDocRec?: number;
  /** `E` for a CAE, `A` for a CAEA. */
  tipoCodAut: 'E' | 'A';
  codAut: number;
}

export const QR_BASE_URL = 'https://www.afip.gob.ar/fe/qr/?p=';

export interface QrVoucher {
  cuit: number;
  ptoVta: number;
  cbteTipo: number;
  cbteNro: number;
  /** yyyymmdd, as WSFEv1 has it. */
  cbteFch: string;
  impTotal: number;
  monId: string;
  monCotiz: number;
  docTipo?: number;
  docNro?: number;
  codAut: string;
  authorizationType: 'CAE' | 'CAEA';
}

/** The QR data in the field order of RG 4892's specification (its example: ver, fecha, cuit, ... codAut). */
export function qrPayload(voucher: QrVoucher): QrPayload {
  // The receiver's document only "if applicable": a DocTipo 99 / DocNro 0 consumer has none.
  const receiver =
    voucher.docTipo !== undefined && voucher.docNro
      ? { tipoDocRec: voucher.docTipo, nroDocRec: voucher.docNro }
      : {};
  return {
    ver: 1,
    fecha: `${voucher.cbteFch.slice(0, 4)}-${voucher.cbteFch.slice(4, 6)}-${voucher.cbteFch.slice(6, 8)}`,
    cuit: voucher.cuit,
    ptoVta: voucher.ptoVta,
    tipoCmp: voucher.cbteTipo,
    nroCmp: voucher.cbteNro,
    importe: voucher.impTotal,
    moneda: voucher.monId,
    ctz: voucher.monCotiz,
    ...receiver,
    tipoCodAut: voucher.authorizationType === 'CAE' ? 'E' : 'A',
    codAut: Number(voucher.codAut),
  };
}

/** The URL for the QR: the base plus standard base64 (with padding) of the JSON. */
export function qrUrl(payload: QrPayload): string {
  return `${QR_BASE_URL}${Buffer.from(JSON.stringify(payload)).toString('base64')}`;
}

export function decodeQrUrl(url: string): QrPayload {
  if (!url.startsWith(QR_BASE_URL)) throw new Error(`not an ARCA QR URL: ${url}`);
  return JSON.parse(Buffer.from(url.slice(QR_BASE_URL.length), 'base64').toString('utf8')) as QrPayload;
}
