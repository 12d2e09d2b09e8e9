import { escapeXml } from '#libs/afip-soap';

export interface TraOptions {
  service: string;
  /** The (NTP-corrected) current time. */
  now: Date;
  /** Seconds the TRA is back-dated and post-dated: ARCA refuses generation times in the future. Default 600. */
  skewSeconds?: number;
  /** Epoch seconds by default (ARCA's uniqueId is an unsignedInt: milliseconds overflow it). */
  uniqueId?: number;
}

/**
 * The login ticket request ARCA's WSAA signs in: `loginTicketRequest` version 1.0 with uniqueId, generation and
 * expiration times (Argentina's offset, -03:00) and the service (`wsfe`). PROTOCOL.md section 2.1.
 */
export function buildTra(options: TraOptions): string {
  const skew = (options.skewSeconds ?? 600) * 1000;
  const uniqueId = options.uniqueId ?? Math.floor(options.now.getTime() / 1000);
  return (
    '<?xml version="1.0" encoding="UTF-8"?><loginTicketRequest version="1.0"><header>' +
    `<uniqueId>${uniqueId}</uniqueId>` +
    `<generationTime>${argentinaTime(new Date(options.now.getTime() - skew))}</generationTime>` +
    `<expirationTime>${argentinaTime(new Date(options.now.getTime() + skew))}</expirationTime>` +
    `</header><service>${escapeXml(options.service)}</service></loginTicketRequest>`
  );
}

/** `2026-11-23T20:00:00-03:00`: Argentina has no daylight saving time, so the offset is fixed. */
export function argentinaTime(date: Date): string {
  const local = new Date(date.getTime() - 3 * 3_600_000);
  return `${local.toISOString().slice(0, 19)}-03:00`;
}
