import {
  parseSoapRequest,
  SchemaCodec,
  SchemaDecodeError,
  soapActionOf,
  soapContentType,
  type SoapVersion,
  soapFaultXml,
  soapNamespace,
  type Element,
} from '#libs/afip-soap';
import { argentinaIso } from '#libs/afip-wsfe';
import type { SandboxClock } from '../clock.js';
import type { SoapReply } from '../wsaa/wsaa.endpoint.js';
import type { WsfeService } from './wsfe.service.js';

const FEV1 = 'http://ar.gov.afip.dif.FEV1/';

/**
 * WSFEv1 over SOAP as ARCA's ASMX service answers it (PROTOCOL.md 1): dispatch by SOAPAction (SOAP 1.1 header or
 * SOAP 1.2 `action`), else by the body element; unknown SOAPAction and unreadable values are SOAP faults with HTTP
 * 500; truncated XML is HTTP 400; business errors are HTTP 200 inside `Errors`. Responses are one line with
 * `FEHeaderInfo` in the header, like ARCA's.
 */
export class WsfeEndpoint {
  constructor(
    private readonly codec: SchemaCodec,
    private readonly service: WsfeService,
    private readonly clock: SandboxClock,
  ) {}

  handle(body: string, headers: { soapaction?: string | string[]; 'content-type'?: string }): SoapReply {
    let version: SoapVersion = /application\/soap\+xml/i.test(headers['content-type'] ?? '') ? '1.2' : '1.1';
    let operationName = '';
    try {
      let request;
      try {
        request = parseSoapRequest(body);
      } catch (error) {
        if (error instanceof Error && error.name === 'XmlParseError') {
          return {
            status: 400,
            contentType: 'text/html; charset=utf-8',
            body: 'Bad Request',
            operation: '?',
            outcome: `malformed XML (${error.message})`,
          };
        }
        throw error;
      }
      version = request.version;
      const action = soapActionOf(headers);
      const element = request.operation;
      operationName = this.operationFor(action, element);
      if (!operationName) {
        return this.fault(
          version,
          'Client',
          `Server did not recognize the value of HTTP Header SOAPAction: ${action ?? ''}.`,
          '?',
        );
      }
      const decoded = (
        element && element.namespaceURI === FEV1 && element.localName === operationName
          ? this.codec.decode(element, operationName)
          : {}
      ) as Record<string, unknown>;
      const result = this.service.handle(operationName, decoded);
      const resultType = this.codec.fieldType(`${operationName}Response`, `${operationName}Result`);
      const payload = `<${operationName}Response xmlns="${FEV1}">${this.codec.encode(`${operationName}Result`, resultType, result)}</${operationName}Response>`;
      const errors = (result.Errors as { Code: number }[] | undefined)?.map((err) => err.Code) ?? [];
      const outcome =
        typeof (result.FeCabResp as { Resultado?: string } | undefined)?.Resultado === 'string'
          ? `Resultado ${(result.FeCabResp as { Resultado: string }).Resultado}${errors.length ? ` Err ${errors.join(',')}` : ''}`
          : errors.length
            ? `Err ${errors.join(',')}`
            : 'ok';
      return {
        status: 200,
        contentType: soapContentType(version),
        body: this.envelope(version, payload),
        operation: operationName,
        outcome,
      };
    } catch (error) {
      if (error instanceof SchemaDecodeError) {
        return this.fault(
          version,
          'Client',
          'Server was unable to read request. ---> There is an error in XML document. ---> Input string was not in a correct format.',
          operationName || '?',
        );
      }
      if (error instanceof Error && error.name === 'SoapEnvelopeError') {
        return this.fault(
          version,
          'Client',
          'Server was unable to read request. ---> The root element is not a SOAP Envelope.',
          '?',
        );
      }
      return this.fault(
        version,
        'Server',
        'Server was unable to process request. ---> Internal error.',
        operationName || '?',
      );
    }
  }

  private operationFor(action: string | undefined, element: Element | undefined): string {
    if (action !== undefined && action !== '') {
      const name = action.startsWith(FEV1) ? action.slice(FEV1.length) : '';
      return this.service.has(name) ? name : '';
    }
    if (element && element.namespaceURI === FEV1 && this.service.has(element.localName ?? ''))
      return element.localName ?? '';
    return '';
  }

  private envelope(version: SoapVersion, payload: string): string {
    const now = this.clock.now();
    return (
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${soapNamespace(version)}" ` +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">' +
      `<soap:Header><FEHeaderInfo xmlns="${FEV1}"><ambiente>Sandbox - arca-gateway</ambiente>` +
      `<fecha>${argentinaIso(now).replace(/\.(\d{3})/, '.$10000')}</fecha><id>4.3.0.0-sandbox</id></FEHeaderInfo></soap:Header>` +
      `<soap:Body>${payload}</soap:Body></soap:Envelope>`
    );
  }

  private fault(
    version: SoapVersion,
    side: 'Client' | 'Server',
    message: string,
    operation: string,
  ): SoapReply {
    const code = version === '1.2' ? (side === 'Client' ? 'soap:Sender' : 'soap:Receiver') : `soap:${side}`;
    const body =
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${soapNamespace(version)}" ` +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>' +
      `${soapFaultXml(version, 'soap', { code, message })}</soap:Body></soap:Envelope>`;
    return { status: 500, contentType: soapContentType(version), body, operation, outcome: `fault ${code}` };
  }
}
