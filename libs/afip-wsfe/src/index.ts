export { decodeQrUrl, QR_BASE_URL, type QrPayload, qrPayload, qrUrl, type QrVoucher } from './qr.js';
export { WsfeClient, type WsfeClientOptions } from './wsfe-client.js';
export { kindOfErrors, WsfeError, type WsfeErrorKind } from './wsfe-error.js';
export type * from './wsfe-types.js';
