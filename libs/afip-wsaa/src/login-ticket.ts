import { parseXml } from '#libs/afip-soap';

/** A WSAA access ticket (TA): what every WSFEv1 call carries in `Auth`. */
export interface LoginTicket {
  token: string;
  sign: string;
  uniqueId: number;
  generationTime: Date;
  expirationTime: Date;
  /** The WSAA that issued it (`CN=wsaahomo, O=AFIP, ...`). */
  source: string;
  /** The certificate it was issued to. */
  destination: string;
}

/** Reads a `loginTicketResponse` (PROTOCOL.md 2.3). */
export function parseLoginTicket(xml: string): LoginTicket {
  const root = parseXml(xml);
  if (root.localName !== 'loginTicketResponse')
    throw new Error(`not a loginTicketResponse: <${root.localName}>`);
  const text = (name: string) => {
    const value = root.getElementsByTagName(name)[0]?.textContent?.trim();
    if (!value) throw new Error(`loginTicketResponse without <${name}>`);
    return value;
  };
  const date = (name: string) => {
    const value = new Date(text(name));
    if (Number.isNaN(value.getTime())) throw new Error(`loginTicketResponse <${name}> is not a date`);
    return value;
  };
  return {
    token: text('token'),
    sign: text('sign'),
    uniqueId: Number(text('uniqueId')),
    generationTime: date('generationTime'),
    expirationTime: date('expirationTime'),
    source: text('source'),
    destination: text('destination'),
  };
}
