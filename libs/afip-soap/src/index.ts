export { formatNumber, type FieldSpec, SchemaCodec, SchemaDecodeError } from './schema-codec.js';
export {
  parseSoapRequest,
  SOAP11_NS,
  SOAP12_NS,
  soapActionOf,
  soapContentType,
  SoapEnvelopeError,
  type SoapFault,
  soapFaultXml,
  soapNamespace,
  type SoapRequest,
  soapRequestEnvelope,
  type SoapVersion,
} from './soap-envelope.js';
export {
  childElements,
  type Element,
  escapeXml,
  firstChild,
  parseXml,
  textOf,
  XmlParseError,
} from './xml.js';
export {
  readFault,
  redactSoap,
  type SoapCall,
  type SoapExchange,
  type SoapObservation,
  SoapTransport,
  type SoapTransportOptions,
} from './soap-transport.js';
export { SoapFaultError, TransportError, type TransportErrorCode } from './transport-error.js';
