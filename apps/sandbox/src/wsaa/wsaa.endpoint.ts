import {
  childElements,
  escapeXml,
  parseSoapRequest,
  type SoapVersion,
  SoapEnvelopeError,
  soapNamespace,
} from '#libs/afip-soap';
import type { LoginService } from './login.service.js';
import { WsaaFault, wsaaFaultEnvelope } from './wsaa-fault.js';

export interface SoapReply {
  status: number;
  contentType: string;
  body: string;
  /** For logs and fault injection: the operation and what happened. */
  operation: string;
  outcome: string;
}

/**
 * WSAA over SOAP, as Apache Axis answers it: loginCms found by local name in any namespace (ARCA does not check
 * it and echoes it back), SOAP 1.1 or 1.2, every fault with HTTP 500.
 */
export async function handleWsaa(body: string, logins: LoginService): Promise<SoapReply> {
  let version: SoapVersion = '1.1';
  try {
    const request = parseSoapRequest(body);
    version = request.version;
    const operation = request.operation;
    if (!operation || operation.localName !== 'loginCms') {
      throw new WsaaFault('soapenv:Client', `No such operation '${operation?.localName ?? ''}'`);
    }
    const in0 = childElements(operation).find((child) => child.localName === 'in0');
    if (!in0) throw new WsaaFault('soapenv:Server.userException', 'java.lang.NullPointerException');
    const ta = await logins.login(in0.textContent ?? '');
    const namespace = operation.namespaceURI ?? '';
    const envelope =
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${soapNamespace(version)}" ` +
      'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>' +
      `<loginCmsResponse xmlns="${escapeXml(namespace)}"><loginCmsReturn>${escapeXml(ta)}</loginCmsReturn></loginCmsResponse>` +
      '</soapenv:Body></soapenv:Envelope>';
    return {
      status: 200,
      contentType: contentType(version),
      body: envelope,
      operation: 'loginCms',
      outcome: 'TA issued',
    };
  } catch (error) {
    const fault =
      error instanceof WsaaFault
        ? error
        : error instanceof SoapEnvelopeError
          ? new WsaaFault('soapenv:Server.userException', error.message)
          : error instanceof Error && error.name === 'XmlParseError'
            ? new WsaaFault(
                'soapenv:Server.userException',
                `org.xml.sax.SAXParseException: ${error.message.split('\n')[0]}`,
              )
            : new WsaaFault('wsaa.internalError');
    return {
      status: 500,
      contentType: contentType(version),
      body: wsaaFaultEnvelope(version, fault),
      operation: 'loginCms',
      outcome: fault.code,
    };
  }
}

function contentType(version: SoapVersion): string {
  return version === '1.2' ? 'application/soap+xml;charset=utf-8' : 'text/xml;charset=utf-8';
}
