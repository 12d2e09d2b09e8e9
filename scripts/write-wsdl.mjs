// Writes the project's WSDL documents (wsdl/wsfev1.wsdl, wsdl/wsaa.wsdl, wsdl/ws_sr_constancia_inscripcion.wsdl) from the compact description below,
// which follows ARCA's published interface (PROTOCOL.md sections 1-3; checked by `npm run test:conformance`).
// The service address is a placeholder that the sandbox replaces with its own when it serves `?wsdl`.
//   node scripts/write-wsdl.mjs          write the files
//   node scripts/write-wsdl.mjs --check  exit 1 when the files differ from what this script writes
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ADDRESS_PLACEHOLDER = 'http://localhost:8081';
const FEV1 = 'http://ar.gov.afip.dif.FEV1/';

// Field notation: `Name:type` with `?` optional (minOccurs 0), `*` repeated (maxOccurs unbounded), `~` nillable.
// Scalar types are XML Schema's (string, int, long, short, double); any other name is a complex type below.
const ARRAY = (item) => `${item}:${item}?*~`;
const RESULT = 'Errors:ArrayOfErr? Events:ArrayOfEvt?';
const PARAM_ROW = 'Desc:string? FchDesde:string? FchHasta:string?';

const TYPES = {
  FEAuthRequest: 'Token:string? Sign:string? Cuit:long',
  FECabRequest: 'CantReg:int PtoVta:int CbteTipo:int',
  FECAECabRequest: { extends: 'FECabRequest' },
  FECAEACabRequest: { extends: 'FECabRequest' },
  FECAERequest: 'FeCabReq:FECAECabRequest? FeDetReq:ArrayOfFECAEDetRequest?',
  FECAEARequest: 'FeCabReq:FECAEACabRequest? FeDetReq:ArrayOfFECAEADetRequest?',
  ArrayOfFECAEDetRequest: ARRAY('FECAEDetRequest'),
  ArrayOfFECAEADetRequest: ARRAY('FECAEADetRequest'),
  FEDetRequest:
    'Concepto:int DocTipo:int DocNro:long CbteDesde:long CbteHasta:long CbteFch:string? ImpTotal:double ' +
    'ImpTotConc:double ImpNeto:double ImpOpEx:double ImpTrib:double ImpIVA:double FchServDesde:string? ' +
    'FchServHasta:string? FchVtoPago:string? MonId:string? MonCotiz:double? CanMisMonExt:string? ' +
    'CondicionIVAReceptorId:int? CbtesAsoc:ArrayOfCbteAsoc? Tributos:ArrayOfTributo? Iva:ArrayOfAlicIva? ' +
    'Opcionales:ArrayOfOpcional? Compradores:ArrayOfComprador? PeriodoAsoc:Periodo? Actividades:ArrayOfActividad?',
  FECAEDetRequest: { extends: 'FEDetRequest' },
  FECAEADetRequest: { extends: 'FEDetRequest', fields: 'CAEA:string? CbteFchHsGen:string?' },
  ArrayOfCbteAsoc: ARRAY('CbteAsoc'),
  CbteAsoc: 'Tipo:int PtoVta:int Nro:long Cuit:string? CbteFch:string?',
  ArrayOfTributo: ARRAY('Tributo'),
  Tributo: 'Id:short Desc:string? BaseImp:double Alic:double Importe:double',
  ArrayOfAlicIva: ARRAY('AlicIva'),
  AlicIva: 'Id:int BaseImp:double Importe:double',
  ArrayOfOpcional: ARRAY('Opcional'),
  Opcional: 'Id:string? Valor:string?',
  ArrayOfComprador: ARRAY('Comprador'),
  Comprador: 'DocTipo:int DocNro:long Porcentaje:double',
  Periodo: 'FchDesde:string? FchHasta:string?',
  ArrayOfActividad: ARRAY('Actividad'),
  Actividad: 'Id:long',

  FECabResponse:
    'Cuit:long PtoVta:int CbteTipo:int FchProceso:string? CantReg:int Resultado:string? Reproceso:string?',
  FECAECabResponse: { extends: 'FECabResponse' },
  FECAEACabResponse: { extends: 'FECabResponse' },
  FEDetResponse:
    'Concepto:int DocTipo:int DocNro:long CbteDesde:long CbteHasta:long CbteFch:string? Resultado:string? ' +
    'Observaciones:ArrayOfObs?',
  FECAEDetResponse: { extends: 'FEDetResponse', fields: 'CAE:string? CAEFchVto:string?' },
  FECAEADetResponse: { extends: 'FEDetResponse', fields: 'CAEA:string?' },
  ArrayOfFECAEDetResponse: ARRAY('FECAEDetResponse'),
  ArrayOfFECAEADetResponse: ARRAY('FECAEADetResponse'),
  FECAEResponse:
    'FeCabResp:FECAECabResponse? FeDetResp:ArrayOfFECAEDetResponse? Events:ArrayOfEvt? Errors:ArrayOfErr?',
  FECAEAResponse:
    'FeCabResp:FECAEACabResponse? FeDetResp:ArrayOfFECAEADetResponse? Events:ArrayOfEvt? Errors:ArrayOfErr?',
  ArrayOfObs: ARRAY('Obs'),
  Obs: 'Code:int Msg:string?',
  ArrayOfEvt: ARRAY('Evt'),
  Evt: 'Code:int Msg:string?',
  ArrayOfErr: ARRAY('Err'),
  Err: 'Code:int Msg:string?',

  FERegXReqResponse: `RegXReq:int ${RESULT}`,
  DummyResponse: 'AppServer:string? DbServer:string? AuthServer:string?',
  FERecuperaLastCbteResponse: `PtoVta:int CbteTipo:int CbteNro:int ${RESULT}`,
  FECompConsultaReq: 'CbteTipo:int CbteNro:long PtoVta:int',
  FECompConsultaResponse: `ResultGet:FECompConsResponse? ${RESULT}`,
  FECompConsResponse: {
    extends: 'FECAEDetRequest',
    fields:
      'Resultado:string? CodAutorizacion:string? EmisionTipo:string? FchVto:string? FchProceso:string? ' +
      'Observaciones:ArrayOfObs? PtoVta:int CbteTipo:int',
  },
  FECAEAGetResponse: `ResultGet:FECAEAGet? ${RESULT}`,
  FECAEAGet:
    'CAEA:string? Periodo:int Orden:short FchVigDesde:string? FchVigHasta:string? FchTopeInf:string? ' +
    'FchProceso:string? Observaciones:ArrayOfObs?',
  FECAEASinMov: 'CAEA:string? FchProceso:string? PtoVta:int',
  ArrayOfFECAEASinMov: ARRAY('FECAEASinMov'),
  FECAEASinMovConsResponse: `ResultGet:ArrayOfFECAEASinMov? ${RESULT}`,
  FECAEASinMovResponse: { extends: 'FECAEASinMov', fields: `Resultado:string? ${RESULT}` },
  FECotizacionResponse: `ResultGet:Cotizacion? ${RESULT}`,
  Cotizacion: 'MonId:string? MonCotiz:double FchCotiz:string?',
  FETributoResponse: `ResultGet:ArrayOfTributoTipo? ${RESULT}`,
  ArrayOfTributoTipo: ARRAY('TributoTipo'),
  TributoTipo: `Id:short ${PARAM_ROW}`,
  MonedaResponse: `ResultGet:ArrayOfMoneda? ${RESULT}`,
  ArrayOfMoneda: ARRAY('Moneda'),
  Moneda: `Id:string? ${PARAM_ROW}`,
  IvaTipoResponse: `ResultGet:ArrayOfIvaTipo? ${RESULT}`,
  ArrayOfIvaTipo: ARRAY('IvaTipo'),
  IvaTipo: `Id:string? ${PARAM_ROW}`,
  OpcionalTipoResponse: `ResultGet:ArrayOfOpcionalTipo? ${RESULT}`,
  ArrayOfOpcionalTipo: ARRAY('OpcionalTipo'),
  OpcionalTipo: `Id:string? ${PARAM_ROW}`,
  ConceptoTipoResponse: `ResultGet:ArrayOfConceptoTipo? ${RESULT}`,
  ArrayOfConceptoTipo: ARRAY('ConceptoTipo'),
  ConceptoTipo: `Id:int ${PARAM_ROW}`,
  FEPtoVentaResponse: `ResultGet:ArrayOfPtoVenta? ${RESULT}`,
  ArrayOfPtoVenta: ARRAY('PtoVenta'),
  PtoVenta: 'Nro:int EmisionTipo:string? Bloqueado:string? FchBaja:string?',
  CbteTipoResponse: `ResultGet:ArrayOfCbteTipo? ${RESULT}`,
  ArrayOfCbteTipo: ARRAY('CbteTipo'),
  CbteTipo: `Id:int ${PARAM_ROW}`,
  CondicionIvaReceptorResponse: `ResultGet:ArrayOfCondicionIvaReceptor? ${RESULT}`,
  ArrayOfCondicionIvaReceptor: ARRAY('CondicionIvaReceptor'),
  CondicionIvaReceptor: 'Id:int Desc:string? Cmp_Clase:string?',
  DocTipoResponse: `ResultGet:ArrayOfDocTipo? ${RESULT}`,
  ArrayOfDocTipo: ARRAY('DocTipo'),
  DocTipo: `Id:int ${PARAM_ROW}`,
  FEPaisResponse: `ResultGet:ArrayOfPaisTipo? ${RESULT}`,
  ArrayOfPaisTipo: ARRAY('PaisTipo'),
  PaisTipo: 'Id:short Desc:string?',
  FEActividadesResponse: `ResultGet:ArrayOfActividadesTipo? ${RESULT}`,
  ArrayOfActividadesTipo: ARRAY('ActividadesTipo'),
  ActividadesTipo: 'Id:long Orden:short Desc:string?',
};

const AUTH = 'Auth:FEAuthRequest?';
// Operation: request fields, result type, and what it does (our wording of the manual's descriptions).
const OPERATIONS = [
  [
    'FECAESolicitar',
    `${AUTH} FeCAEReq:FECAERequest?`,
    'FECAEResponse',
    'Requests a CAE for one or more vouchers.',
  ],
  [
    'FECompTotXRequest',
    AUTH,
    'FERegXReqResponse',
    'Maximum number of records in one FECAESolicitar / FECAEARegInformativo.',
  ],
  ['FEDummy', '', 'DummyResponse', 'Health check of the application, database and authentication servers.'],
  [
    'FECompUltimoAutorizado',
    `${AUTH} PtoVta:int CbteTipo:int`,
    'FERecuperaLastCbteResponse',
    'Last authorized number for a point of sale and voucher type.',
  ],
  [
    'FECompConsultar',
    `${AUTH} FeCompConsReq:FECompConsultaReq?`,
    'FECompConsultaResponse',
    'Looks up an issued voucher and its authorization code.',
  ],
  [
    'FECAEARegInformativo',
    `${AUTH} FeCAEARegInfReq:FECAEARequest?`,
    'FECAEAResponse',
    'Reports vouchers issued under a CAEA.',
  ],
  [
    'FECAEASolicitar',
    `${AUTH} Periodo:int Orden:short`,
    'FECAEAGetResponse',
    'Requests an advance authorization code (CAEA) for a fortnight.',
  ],
  [
    'FECAEASinMovimientoConsultar',
    `${AUTH} CAEA:string? PtoVta:int`,
    'FECAEASinMovConsResponse',
    'Looks up CAEAs reported as unused.',
  ],
  [
    'FECAEASinMovimientoInformar',
    `${AUTH} PtoVta:int CAEA:string?`,
    'FECAEASinMovResponse',
    'Reports a CAEA as unused for a point of sale.',
  ],
  ['FECAEAConsultar', `${AUTH} Periodo:int Orden:short`, 'FECAEAGetResponse', 'Looks up an issued CAEA.'],
  [
    'FEParamGetCotizacion',
    `${AUTH} MonId:string? FchCotiz:string?`,
    'FECotizacionResponse',
    'Exchange rate of a currency (on a date).',
  ],
  ['FEParamGetTiposTributos', AUTH, 'FETributoResponse', 'Table of tribute types.'],
  ['FEParamGetTiposMonedas', AUTH, 'MonedaResponse', 'Table of currencies.'],
  ['FEParamGetTiposIva', AUTH, 'IvaTipoResponse', 'Table of VAT rates.'],
  ['FEParamGetTiposOpcional', AUTH, 'OpcionalTipoResponse', 'Table of optional field identifiers.'],
  ['FEParamGetTiposConcepto', AUTH, 'ConceptoTipoResponse', 'Table of concepts (products, services, both).'],
  ['FEParamGetPtosVenta', AUTH, 'FEPtoVentaResponse', 'Points of sale of the issuer and their state.'],
  ['FEParamGetTiposCbte', AUTH, 'CbteTipoResponse', 'Table of voucher types.'],
  [
    'FEParamGetCondicionIvaReceptor',
    `${AUTH} ClaseCmp:string?`,
    'CondicionIvaReceptorResponse',
    'Receiver VAT conditions, for one voucher class or all.',
  ],
  ['FEParamGetTiposDoc', AUTH, 'DocTipoResponse', 'Table of document types.'],
  ['FEParamGetTiposPaises', AUTH, 'FEPaisResponse', 'Table of countries.'],
  ['FEParamGetActividades', AUTH, 'FEActividadesResponse', 'Economic activities enabled for the issuer.'],
];

const SCALARS = new Set(['string', 'int', 'long', 'short', 'double']);

function element(field, indent) {
  const match = /^(\w+):(\w+)(\?)?(\*)?(~)?$/.exec(field);
  if (!match) throw new Error(`bad field ${field}`);
  const [, name, type, optional, repeated, nillable] = match;
  if (!SCALARS.has(type) && !TYPES[type]) throw new Error(`unknown type ${type} in ${field}`);
  const prefix = SCALARS.has(type) ? 's' : 'tns';
  return (
    `${indent}<s:element minOccurs="${optional ? 0 : 1}" maxOccurs="${repeated ? 'unbounded' : 1}" name="${name}"` +
    `${nillable ? ' nillable="true"' : ''} type="${prefix}:${type}" />`
  );
}

function sequence(fields, indent) {
  const list = fields.split(/\s+/).filter(Boolean);
  if (list.length === 0) return `${indent}<s:sequence />`;
  return [
    `${indent}<s:sequence>`,
    ...list.map((field) => element(field, `${indent}  `)),
    `${indent}</s:sequence>`,
  ].join('\n');
}

function complexType(name, spec) {
  if (typeof spec === 'string')
    return [`    <s:complexType name="${name}">`, sequence(spec, '      '), '    </s:complexType>'].join(
      '\n',
    );
  const body = spec.fields
    ? [
        `        <s:extension base="tns:${spec.extends}">`,
        sequence(spec.fields, '          '),
        '        </s:extension>',
      ]
    : [`        <s:extension base="tns:${spec.extends}" />`];
  return [
    `    <s:complexType name="${name}">`,
    '      <s:complexContent mixed="false">',
    ...body,
    '      </s:complexContent>',
    '    </s:complexType>',
  ].join('\n');
}

function wrapper(name, fields) {
  return [
    `    <s:element name="${name}">`,
    '      <s:complexType>',
    sequence(fields, '        '),
    '      </s:complexType>',
    '    </s:element>',
  ].join('\n');
}

function binding(name, soap) {
  const operations = OPERATIONS.map(([op]) =>
    [
      `    <wsdl:operation name="${op}">`,
      `      <${soap}:operation soapAction="${FEV1}${op}" style="document" />`,
      `      <wsdl:input><${soap}:body use="literal" /></wsdl:input>`,
      `      <wsdl:output><${soap}:body use="literal" /></wsdl:output>`,
      '    </wsdl:operation>',
    ].join('\n'),
  );
  return [
    `  <wsdl:binding name="${name}" type="tns:ServiceSoap">`,
    `    <${soap}:binding transport="http://schemas.xmlsoap.org/soap/http" />`,
    ...operations,
    '  </wsdl:binding>',
  ].join('\n');
}

export function wsfeWsdl() {
  const schema = [
    ...OPERATIONS.flatMap(([op, request, result]) => [
      wrapper(op, request),
      wrapper(`${op}Response`, `${op}Result:${result}?`),
    ]),
    ...Object.entries(TYPES).map(([name, spec]) => complexType(name, spec)),
  ];
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- arca-gateway: WSFEv1 as ARCA publishes it (SOAP 1.1 and 1.2, document/literal). Written by',
    '     scripts/write-wsdl.mjs; the sandbox serves it with its own address. -->',
    `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:s="http://www.w3.org/2001/XMLSchema"`,
    `    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"`,
    `    xmlns:tns="${FEV1}" targetNamespace="${FEV1}">`,
    '  <wsdl:documentation>WSFEv1: electronic invoicing (RG 2485 and later), CAE and CAEA.</wsdl:documentation>',
    '  <wsdl:types>',
    `  <s:schema elementFormDefault="qualified" targetNamespace="${FEV1}">`,
    ...schema,
    '  </s:schema>',
    '  </wsdl:types>',
    ...OPERATIONS.flatMap(([op]) => [
      `  <wsdl:message name="${op}SoapIn"><wsdl:part name="parameters" element="tns:${op}" /></wsdl:message>`,
      `  <wsdl:message name="${op}SoapOut"><wsdl:part name="parameters" element="tns:${op}Response" /></wsdl:message>`,
    ]),
    '  <wsdl:portType name="ServiceSoap">',
    ...OPERATIONS.map(([op, , , doc]) =>
      [
        `    <wsdl:operation name="${op}">`,
        `      <wsdl:documentation>${doc}</wsdl:documentation>`,
        `      <wsdl:input message="tns:${op}SoapIn" />`,
        `      <wsdl:output message="tns:${op}SoapOut" />`,
        '    </wsdl:operation>',
      ].join('\n'),
    ),
    '  </wsdl:portType>',
    binding('ServiceSoap', 'soap'),
    binding('ServiceSoap12', 'soap12'),
    '  <wsdl:service name="Service">',
    '    <wsdl:port name="ServiceSoap" binding="tns:ServiceSoap">',
    `      <soap:address location="${ADDRESS_PLACEHOLDER}/wsfev1/service.asmx" />`,
    '    </wsdl:port>',
    '    <wsdl:port name="ServiceSoap12" binding="tns:ServiceSoap12">',
    `      <soap12:address location="${ADDRESS_PLACEHOLDER}/wsfev1/service.asmx" />`,
    '    </wsdl:port>',
    '  </wsdl:service>',
    '</wsdl:definitions>',
    '',
  ].join('\n');
}

// WSAA (Apache Axis 1.4): one operation, loginCms(in0: base64 CMS) -> loginCmsReturn (the TA as escaped text).
// The impl namespace is homologation's, as ARCA's message namespace is the same in both environments.
const WSAA_IMPL = 'https://wsaahomo.afip.gov.ar/ws/services/LoginCms';
const WSAA_MESSAGES = 'http://wsaa.view.sua.dvadac.desein.afip.gov';

export function wsaaWsdl() {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- arca-gateway: WSAA LoginCms as ARCA publishes it. Written by scripts/write-wsdl.mjs. -->',
    `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:wsdlsoap="http://schemas.xmlsoap.org/wsdl/soap/"`,
    `    xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:impl="${WSAA_IMPL}" xmlns:tns1="${WSAA_MESSAGES}"`,
    `    targetNamespace="${WSAA_IMPL}">`,
    '  <wsdl:types>',
    `    <schema xmlns="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified" targetNamespace="${WSAA_MESSAGES}">`,
    `      <import namespace="${WSAA_IMPL}" />`,
    '      <element name="loginCms"><complexType><sequence><element name="in0" type="xsd:string" /></sequence></complexType></element>',
    '      <element name="loginCmsResponse"><complexType><sequence><element name="loginCmsReturn" type="xsd:string" /></sequence></complexType></element>',
    '    </schema>',
    `    <schema xmlns="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified" targetNamespace="${WSAA_IMPL}">`,
    '      <complexType name="LoginFault"><sequence /></complexType>',
    '      <element name="fault" type="impl:LoginFault" />',
    '    </schema>',
    '  </wsdl:types>',
    '  <wsdl:message name="loginCmsRequest"><wsdl:part name="parameters" element="tns1:loginCms" /></wsdl:message>',
    '  <wsdl:message name="loginCmsResponse"><wsdl:part name="parameters" element="tns1:loginCmsResponse" /></wsdl:message>',
    '  <wsdl:message name="LoginFault"><wsdl:part name="fault" element="impl:fault" /></wsdl:message>',
    '  <wsdl:portType name="LoginCMS">',
    '    <wsdl:operation name="loginCms">',
    '      <wsdl:input name="loginCmsRequest" message="impl:loginCmsRequest" />',
    '      <wsdl:output name="loginCmsResponse" message="impl:loginCmsResponse" />',
    '      <wsdl:fault name="LoginFault" message="impl:LoginFault" />',
    '    </wsdl:operation>',
    '  </wsdl:portType>',
    '  <wsdl:binding name="LoginCmsSoapBinding" type="impl:LoginCMS">',
    '    <wsdlsoap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http" />',
    '    <wsdl:operation name="loginCms">',
    '      <wsdlsoap:operation soapAction="" />',
    '      <wsdl:input name="loginCmsRequest"><wsdlsoap:body use="literal" /></wsdl:input>',
    '      <wsdl:output name="loginCmsResponse"><wsdlsoap:body use="literal" /></wsdl:output>',
    '      <wsdl:fault name="LoginFault"><wsdlsoap:fault name="LoginFault" use="literal" /></wsdl:fault>',
    '    </wsdl:operation>',
    '  </wsdl:binding>',
    '  <wsdl:service name="LoginCMSService">',
    '    <wsdl:port name="LoginCms" binding="impl:LoginCmsSoapBinding">',
    `      <wsdlsoap:address location="${ADDRESS_PLACEHOLDER}/ws/services/LoginCms" />`,
    '    </wsdl:port>',
    '  </wsdl:service>',
    '</wsdl:definitions>',
    '',
  ].join('\n');
}

// ws_sr_constancia_inscripcion (padrón A5, Apache CXF): document/literal wrapped, SOAP 1.1 only, soapAction "",
// children unqualified (PADRON.md sections 1-2). Types carry the fields of the 2026 service, a superset of the
// older published WSDL (esSucesion, caracterizacion.fechaSolicitud, impuesto.estadoImpuesto and motivo).
const A5 = 'http://a5.soap.ws.server.puc.sr/';
const A5_CREDENTIALS = 'token:string sign:string cuitRepresentada:long';
const A5_BLOCKS =
  'datosGenerales:datosGenerales? datosMonotributo:datosMonotributo? datosRegimenGeneral:datosRegimenGeneral? ' +
  'errorConstancia:errorConstancia? errorMonotributo:errorMonotributo? errorRegimenGeneral:errorRegimenGeneral?';
const A5_TYPES = {
  getPersona: `${A5_CREDENTIALS} idPersona:long`,
  getPersonaResponse: 'personaReturn:personaReturn?',
  personaReturn: `${A5_BLOCKS} metadata:metadata?`,
  datosGenerales:
    'apellido:string? caracterizacion:caracterizacion?*~ dependencia:dependencia? domicilioFiscal:domicilio? ' +
    'esSucesion:string? estadoClave:string? fechaContratoSocial:dateTime? fechaFallecimiento:dateTime? ' +
    'idPersona:long? mesCierre:int? nombre:string? razonSocial:string? tipoClave:string? tipoPersona:string?',
  caracterizacion:
    'descripcionCaracterizacion:string? fechaSolicitud:int? idCaracterizacion:int? periodo:int?',
  dependencia:
    'codPostal:string? descripcionDependencia:string? descripcionProvincia:string? direccion:string? ' +
    'idDependencia:int? idProvincia:int? localidad:string?',
  domicilio:
    'codPostal:string? datoAdicional:string? descripcionProvincia:string? direccion:string? idProvincia:int? ' +
    'localidad:string? tipoDatoAdicional:string? tipoDomicilio:string?',
  datosMonotributo:
    'actividad:actividad?*~ actividadMonotributista:actividad? categoriaMonotributo:categoria? ' +
    'componenteDeSociedad:relacion?*~ impuesto:impuesto?*~',
  actividad: 'descripcionActividad:string? idActividad:long? nomenclador:int? orden:int? periodo:int?',
  categoria: 'descripcionCategoria:string? idCategoria:int? idImpuesto:int? periodo:int?',
  relacion:
    'apellidoPersonaAsociada:string? ffRelacion:dateTime? ffVencimiento:dateTime? idPersonaAsociada:long? ' +
    'nombrePersonaAsociada:string? razonSocialPersonaAsociada:string? tipoComponente:string?',
  impuesto: 'descripcionImpuesto:string? estadoImpuesto:string? idImpuesto:int? motivo:string? periodo:int?',
  datosRegimenGeneral:
    'actividad:actividad?*~ categoriaAutonomo:categoria? impuesto:impuesto?*~ regimen:regimen?*~',
  regimen: 'descripcionRegimen:string? idImpuesto:int? idRegimen:int? periodo:int? tipoRegimen:string?',
  errorConstancia: 'apellido:string? error:string?*~ idPersona:long? nombre:string?',
  errorMonotributo: 'error:string?*~ mensaje:string?',
  errorRegimenGeneral: 'error:string?*~ mensaje:string?',
  metadata: 'fechaHora:dateTime? servidor:string?',
  getPersonaList: `${A5_CREDENTIALS} idPersona:long*`,
  getPersonaListResponse: 'personaListReturn:personaListReturn?',
  personaListReturn: 'metadata:metadata? persona:persona?*~',
  persona: A5_BLOCKS,
  getPersona_v2: `${A5_CREDENTIALS} idPersona:long`,
  getPersona_v2Response: 'personaReturn:personaReturn?',
  dummy: '',
  dummyResponse: 'return:dummyReturn?',
  dummyReturn: 'appserver:string? authserver:string? dbserver:string?',
  getPersonaList_v2: `${A5_CREDENTIALS} idPersona:long*`,
  getPersonaList_v2Response: 'personaListReturn:personaListReturn?',
  SRValidationException: '',
};
const A5_OPERATIONS = ['getPersona', 'getPersonaList', 'getPersona_v2', 'dummy', 'getPersonaList_v2'];
const A5_SCALARS = new Set([...SCALARS, 'dateTime']);

function a5Element(field) {
  const match = /^(\w+):(\w+)(\?)?(\*)?(~)?$/.exec(field);
  if (!match) throw new Error(`bad field ${field}`);
  const [, name, type, optional, repeated, nillable] = match;
  if (!A5_SCALARS.has(type) && A5_TYPES[type] === undefined)
    throw new Error(`unknown type ${type} in ${field}`);
  return (
    `      <xs:element${repeated ? ' maxOccurs="unbounded"' : ''}${optional ? ' minOccurs="0"' : ''} name="${name}"` +
    `${nillable ? ' nillable="true"' : ''} type="${A5_SCALARS.has(type) ? 'xs' : 'tns'}:${type}"/>`
  );
}

export function padronWsdl() {
  const types = Object.entries(A5_TYPES).map(([name, fields]) => {
    const list = fields.split(/\s+/).filter(Boolean);
    return list.length === 0
      ? `  <xs:complexType name="${name}">\n    <xs:sequence/>\n  </xs:complexType>`
      : [
          `  <xs:complexType name="${name}">`,
          '    <xs:sequence>',
          ...list.map(a5Element),
          '    </xs:sequence>',
          '  </xs:complexType>',
        ].join('\n');
  });
  const elements = [...A5_OPERATIONS.flatMap((op) => [op, `${op}Response`]), 'SRValidationException'].map(
    (name) => `  <xs:element name="${name}" type="tns:${name}"/>`,
  );
  const fault = (op) => op !== 'dummy';
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    '<!-- arca-gateway: ws_sr_constancia_inscripcion (padrón A5) as ARCA publishes it, with the fields of the 2026',
    '     service. Written by scripts/write-wsdl.mjs; the sandbox serves it with its own address. -->',
    `<wsdl:definitions name="PersonaServiceA5" targetNamespace="${A5}" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"`,
    `    xmlns:tns="${A5}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema">`,
    '  <wsdl:types>',
    `<xs:schema attributeFormDefault="unqualified" elementFormDefault="unqualified" targetNamespace="${A5}">`,
    ...elements,
    ...types,
    '</xs:schema>',
    '  </wsdl:types>',
    ...[...A5_OPERATIONS.flatMap((op) => [op, `${op}Response`]), 'SRValidationException'].map((name) =>
      name === 'SRValidationException'
        ? `  <wsdl:message name="${name}"><wsdl:part element="tns:${name}" name="${name}"/></wsdl:message>`
        : `  <wsdl:message name="${name}"><wsdl:part element="tns:${name}" name="parameters"/></wsdl:message>`,
    ),
    '  <wsdl:portType name="PersonaServiceA5">',
    ...A5_OPERATIONS.map((op) =>
      [
        `    <wsdl:operation name="${op}">`,
        `      <wsdl:input message="tns:${op}" name="${op}"/>`,
        `      <wsdl:output message="tns:${op}Response" name="${op}Response"/>`,
        ...(fault(op)
          ? ['      <wsdl:fault message="tns:SRValidationException" name="SRValidationException"/>']
          : []),
        '    </wsdl:operation>',
      ].join('\n'),
    ),
    '  </wsdl:portType>',
    '  <wsdl:binding name="PersonaServiceA5SoapBinding" type="tns:PersonaServiceA5">',
    '    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>',
    ...A5_OPERATIONS.map((op) =>
      [
        `    <wsdl:operation name="${op}">`,
        '      <soap:operation soapAction="" style="document"/>',
        `      <wsdl:input name="${op}"><soap:body use="literal"/></wsdl:input>`,
        `      <wsdl:output name="${op}Response"><soap:body use="literal"/></wsdl:output>`,
        ...(fault(op)
          ? [
              '      <wsdl:fault name="SRValidationException"><soap:fault name="SRValidationException" use="literal"/></wsdl:fault>',
            ]
          : []),
        '    </wsdl:operation>',
      ].join('\n'),
    ),
    '  </wsdl:binding>',
    '  <wsdl:service name="PersonaServiceA5">',
    '    <wsdl:port binding="tns:PersonaServiceA5SoapBinding" name="PersonaServiceA5Port">',
    `      <soap:address location="${ADDRESS_PLACEHOLDER}/sr-padron/webservices/personaServiceA5"/>`,
    '    </wsdl:port>',
    '  </wsdl:service>',
    '</wsdl:definitions>',
    '',
  ].join('\n');
}

const isMain = process.argv[1] && import.meta.filename === process.argv[1];
if (isMain) {
  const dir = join(import.meta.dirname, '..', 'wsdl');
  const files = {
    'wsfev1.wsdl': wsfeWsdl(),
    'wsaa.wsdl': wsaaWsdl(),
    'ws_sr_constancia_inscripcion.wsdl': padronWsdl(),
  };
  let stale = false;
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    if (process.argv.includes('--check')) {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
        console.error(`${path} differs from scripts/write-wsdl.mjs: run node scripts/write-wsdl.mjs`);
        stale = true;
      }
    } else {
      writeFileSync(path, text);
      console.log(`wrote ${path}`);
    }
  }
  process.exit(stale ? 1 : 0);
}
