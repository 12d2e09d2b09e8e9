import { childElements, type Element, escapeXml, parseXml } from './xml.js';

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';

export type SoapVersion = '1.1' | '1.2';

export interface SoapRequest {
  version: SoapVersion;
  /** First element child of Body, if any (an empty Body is legal and ARCA answers FEDummy to it). */
  operation?: Element;
  header?: Element;
}

/** The envelope is not SOAP: no Envelope, or an Envelope in neither SOAP namespace. */
export class SoapEnvelopeError extends Error {
  constructor(
    message: string,
    readonly version: SoapVersion = '1.1',
  ) {
    super(message);
    this.name = 'SoapEnvelopeError';
  }
}

export function parseSoapRequest(text: string): SoapRequest {
  const envelope = parseXml(text);
  const namespace = envelope.namespaceURI;
  if (envelope.localName !== 'Envelope' || (namespace !== SOAP11_NS && namespace !== SOAP12_NS)) {
    throw new SoapEnvelopeError(
      `root element is {${namespace ?? ''}}${envelope.localName}, not a SOAP Envelope`,
    );
  }
  const version: SoapVersion = namespace === SOAP12_NS ? '1.2' : '1.1';
  const body = childElements(envelope, namespace, 'Body')[0];
  if (!body) throw new SoapEnvelopeError('SOAP Envelope without Body', version);
  return {
    version,
    operation: childElements(body)[0],
    header: childElements(envelope, namespace, 'Header')[0],
  };
}

export function soapNamespace(version: SoapVersion): string {
  return version === '1.2' ? SOAP12_NS : SOAP11_NS;
}

export function soapContentType(version: SoapVersion): string {
  return version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
}

/** The SOAPAction of a request: the header for SOAP 1.1, the `action` parameter of Content-Type for 1.2. */
export function soapActionOf(headers: {
  soapaction?: string | string[];
  'content-type'?: string;
}): string | undefined {
  const header = headers.soapaction;
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw !== undefined) return raw.trim().replace(/^"(.*)"$/, '$1');
  const action = /(?:^|;)\s*action\s*=\s*"?([^";]*)"?/i.exec(headers['content-type'] ?? '');
  return action?.[1];
}

export interface SoapFault {
  /** Qualified fault code as it should appear, e.g. `soap:Client` or `ns1:cms.bad`. */
  code: string;
  /** Declarations the code's prefix needs, e.g. `xmlns:ns1="http://xml.apache.org/axis/"`. */
  codeNamespaces?: string;
  message: string;
  /** Raw XML placed inside `detail` / `Detail`. */
  detail?: string;
}

/** A SOAP Fault body for either version (1.2 nests Code/Value and Reason/Text). */
export function soapFaultXml(version: SoapVersion, prefix: string, fault: SoapFault): string {
  const ns = fault.codeNamespaces ? ` ${fault.codeNamespaces}` : '';
  if (version === '1.2') {
    return (
      `<${prefix}:Fault><${prefix}:Code${ns}><${prefix}:Value>${fault.code}</${prefix}:Value></${prefix}:Code>` +
      `<${prefix}:Reason><${prefix}:Text xml:lang="en">${escapeXml(fault.message)}</${prefix}:Text></${prefix}:Reason>` +
      (fault.detail ? `<${prefix}:Detail>${fault.detail}</${prefix}:Detail>` : '') +
      `</${prefix}:Fault>`
    );
  }
  return (
    `<${prefix}:Fault><faultcode${ns}>${fault.code}</faultcode><faultstring>${escapeXml(fault.message)}</faultstring>` +
    (fault.detail ? `<detail>${fault.detail}</detail>` : '') +
    `</${prefix}:Fault>`
  );
}

/** A SOAP 1.1 request envelope around `content` (the operation element), as the clients send it. */
export function soapRequestEnvelope(content: string, namespaces: Record<string, string> = {}): string {
  const declarations = Object.entries(namespaces)
    .map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP11_NS}"${declarations}>` +
    `<soapenv:Body>${content}</soapenv:Body></soapenv:Envelope>`
  );
}
