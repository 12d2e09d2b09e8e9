import { type SoapVersion, soapFaultXml, soapNamespace } from '#libs/afip-soap';

// WSAA's fault codes and strings (PROTOCOL.md 2.4; "real" where ARCA's own text is known).
export const WSAA_FAULTS = {
  'cms.bad': 'El CMS no es valido',
  'cms.bad.base64': 'No se puede decodificar el BASE64',
  'cms.cert.notFound': 'No se ha encontrado certificado de firmador',
  'cms.sign.invalid': 'Firma inválida o algoritmo no soportado',
  'cms.cert.expired': 'Certificado expirado',
  'cms.cert.invalid': 'Certificado con fecha de generacion posterior a la actual',
  'cms.cert.untrusted': 'Certificado no emitido por AC de confianza',
  'xml.bad': 'No se ha podido interpretar el XML contra el SCHEMA',
  'xml.source.invalid': 'El source del requerimiento no corresponde con el DN del firmante',
  'xml.destination.invalid': 'El destination del requerimiento no corresponde con el DN del WSAA',
  'xml.version.notSupported': 'Version del requerimiento no soportada',
  'xml.generationTime.invalid':
    'generationTime posee formato o dato inválido (ej: en el futuro o más de 24 horas de antigüedad)',
  'xml.expirationTime.expired': 'expirationTime es anterior a la hora actual',
  'xml.expirationTime.invalid':
    'expirationTime posee formato o dato invalido (ej: mas de 24 horas en el futuro)',
  'wsn.notFound': 'Servicio informado inexistente',
  'wsn.unavailable': 'El servicio al que se desea acceder se encuentra momentaneamente fuera de servicio',
  'coe.notAuthorized': 'Computador no autorizado a acceder al servicio',
  'coe.alreadyAuthenticated': 'El CEE ya posee un TA valido para el acceso al WSN solicitado',
  'wsaa.internalError': 'Error interno de WSAA',
} as const;

export type WsaaFaultCode = keyof typeof WSAA_FAULTS;

/** A refusal of loginCms; answered as a SOAP fault with HTTP 500, as Axis does. */
export class WsaaFault extends Error {
  constructor(
    readonly code: WsaaFaultCode | 'soapenv:Server.userException' | 'soapenv:Client',
    message?: string,
  ) {
    super(message ?? WSAA_FAULTS[code as WsaaFaultCode] ?? code);
    this.name = 'WsaaFault';
  }
}

const AXIS = 'http://xml.apache.org/axis/';

/** The fault envelope in Axis 1.4's shape, one line, non-ASCII as character references (`inv&#xE1;lida`). */
export function wsaaFaultEnvelope(version: SoapVersion, fault: WsaaFault): string {
  const axisCode = fault.code.includes(':') ? fault.code : `ns1:${fault.code}`;
  const body = soapFaultXml(version, 'soapenv', {
    code: axisCode,
    codeNamespaces: fault.code.includes(':') ? undefined : `xmlns:ns1="${AXIS}"`,
    message: fault.message,
    detail:
      `<ns2:exceptionName xmlns:ns2="${AXIS}">gov.afip.desein.dvadac.sua.view.wsaa.LoginFault</ns2:exceptionName>` +
      `<ns3:hostname xmlns:ns3="${AXIS}">wsaa-sandbox</ns3:hostname>`,
  }).replace(/[^\x20-\x7e]/g, (char) => `&#x${char.charCodeAt(0).toString(16).toUpperCase()};`);
  return (
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${soapNamespace(version)}" ` +
    `xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}
