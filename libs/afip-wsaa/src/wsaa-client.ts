import {
  escapeXml,
  parseXml,
  SoapFaultError,
  soapRequestEnvelope,
  type SoapTransport,
  TransportError,
} from '#libs/afip-soap';
import { type LoginTicket, parseLoginTicket } from './login-ticket.js';
import { WsaaError } from './wsaa-error.js';

const WSAA_MESSAGES = 'http://wsaa.view.sua.dvadac.desein.afip.gov';

export interface WsaaClientOptions {
  /** ARCA's LoginCms endpoint (homologation, production) or the sandbox's. */
  url: string;
  transport: SoapTransport;
  /** Default 30 s, as ARCA's own clients use. */
  timeoutMs?: number;
}

/** WSAA's `loginCms`: a signed TRA (CMS, DER) in, a ticket out, or a `WsaaError` with ARCA's fault code. */
export class WsaaClient {
  constructor(private readonly options: WsaaClientOptions) {}

  async login(cms: Uint8Array): Promise<LoginTicket> {
    const in0 = Buffer.from(cms).toString('base64');
    const body = soapRequestEnvelope(
      `<wsaa:loginCms><wsaa:in0>${escapeXml(in0)}</wsaa:in0></wsaa:loginCms>`,
      {
        wsaa: WSAA_MESSAGES,
      },
    );
    let answer: string;
    try {
      // Axis ignores the SOAPAction value, but SOAP 1.1 needs the header (PROTOCOL.md 1).
      answer = (
        await this.options.transport.call({
          url: this.options.url,
          body,
          soapAction: '',
          timeoutMs: this.options.timeoutMs ?? 30_000,
          service: 'wsaa',
          operation: 'loginCms',
        })
      ).body;
    } catch (error) {
      if (error instanceof SoapFaultError)
        throw new WsaaError(error.faultCode, error.faultString, { cause: error });
      if (error instanceof TransportError) throw new WsaaError('transport', error.message, { cause: error });
      throw error;
    }
    const returned = parseXml(answer).getElementsByTagNameNS('*', 'loginCmsReturn')[0]?.textContent;
    if (!returned) throw new WsaaError('wsaa.badAnswer', 'loginCms answered without loginCmsReturn');
    return parseLoginTicket(returned);
  }
}
