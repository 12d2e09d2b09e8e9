// npm run bench -- codec: the project's WSDL-driven SOAP codec against the `soap` package (node-soap) on one
// FECAESolicitar of 250 vouchers: building the request envelope and reading the 250-voucher answer, each side
// with its own WSDL-driven machinery (node-soap: objectToDocumentXML / xmlToObject, what its client runs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import soap from 'soap';
import { percentile } from './support.mjs';

const dist = process.env.BENCH_DIST ?? join(import.meta.dirname, '..', 'dist');
const wsdlPath = join(import.meta.dirname, '..', 'wsdl', 'wsfev1.wsdl');
const FEV1 = 'http://ar.gov.afip.dif.FEV1/';

function request(count) {
  const detail = (number) => ({
    Concepto: 1,
    DocTipo: 96,
    DocNro: 20000000 + number,
    CbteDesde: number,
    CbteHasta: number,
    CbteFch: '20261130',
    ImpTotal: 1210,
    ImpTotConc: 0,
    ImpNeto: 1000,
    ImpOpEx: 0,
    ImpTrib: 0,
    ImpIVA: 210,
    MonId: 'PES',
    MonCotiz: 1,
    CondicionIVAReceptorId: 5,
    Iva: { AlicIva: [{ Id: 5, BaseImp: 1000, Importe: 210 }] },
  });
  return {
    Auth: { Token: 'T'.repeat(800), Sign: 'S'.repeat(172), Cuit: 20123456789 },
    FeCAEReq: {
      FeCabReq: { CantReg: count, PtoVta: 1, CbteTipo: 6 },
      FeDetReq: { FECAEDetRequest: Array.from({ length: count }, (_, index) => detail(index + 1)) },
    },
  };
}

function answerXml(count) {
  const details = Array.from(
    { length: count },
    (_, index) =>
      `<FECAEDetResponse><Concepto>1</Concepto><DocTipo>96</DocTipo><DocNro>${20000001 + index}</DocNro>` +
      `<CbteDesde>${index + 1}</CbteDesde><CbteHasta>${index + 1}</CbteHasta><CbteFch>20261130</CbteFch>` +
      `<Resultado>A</Resultado><CAE>7${String(index).padStart(13, '0')}</CAE><CAEFchVto>20261210</CAEFchVto></FECAEDetResponse>`,
  ).join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<soap:Body><FECAESolicitarResponse xmlns="${FEV1}"><FECAESolicitarResult><FeCabResp><Cuit>20123456789</Cuit>` +
    `<PtoVta>1</PtoVta><CbteTipo>6</CbteTipo><FchProceso>20261130120000</FchProceso><CantReg>${count}</CantReg>` +
    `<Resultado>A</Resultado><Reproceso>N</Reproceso></FeCabResp><FeDetResp>${details}</FeDetResp>` +
    '</FECAESolicitarResult></FECAESolicitarResponse></soap:Body></soap:Envelope>'
  );
}

function time(runs, work) {
  for (let index = 0; index < 20; index += 1) work(); // warm-up
  const samples = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

export async function codecFigures() {
  const { SchemaCodec, soapRequestEnvelope, parseXml } = await import(
    join(dist, 'libs', 'afip-soap', 'src', 'index.js')
  );
  const codec = SchemaCodec.fromWsdl(readFileSync(wsdlPath, 'utf8'));
  const body = request(250);
  const xml = answerXml(250);
  const own = time(200, () => {
    soapRequestEnvelope(codec.encode('FECAESolicitar', 'FECAESolicitar', body, { xmlns: true }));
    const result = parseXml(xml).getElementsByTagNameNS(FEV1, 'FECAESolicitarResult')[0];
    const decoded = codec.decode(result, codec.fieldType('FECAESolicitarResponse', 'FECAESolicitarResult'), {
      emptyLists: true,
    });
    if (decoded.FeDetResp.length !== 250) throw new Error('own codec lost vouchers');
  });
  const client = await soap.createClientAsync(wsdlPath);
  const wsdl = client.wsdl;
  const nodeSoap = time(200, () => {
    const document = wsdl.objectToDocumentXML('FECAESolicitar', body, 'ar', FEV1, 'FECAESolicitar');
    if (!document.includes('FECAEDetRequest')) throw new Error('node-soap built no request');
    const decoded = wsdl.xmlToObject(xml);
    const details = decoded.Body.FECAESolicitarResponse.FECAESolicitarResult.FeDetResp.FECAEDetResponse;
    if (details.length !== 250) throw new Error('node-soap lost vouchers');
  });
  return [
    [
      'SOAP codec, FECAESolicitar of 250 vouchers (encode + decode), project codec',
      `p50 ${own.p50.toFixed(2)} ms, p99 ${own.p99.toFixed(2)} ms`,
    ],
    [
      '  same with the soap package 1.x (objectToDocumentXML + xmlToObject)',
      `p50 ${nodeSoap.p50.toFixed(2)} ms, p99 ${nodeSoap.p99.toFixed(2)} ms (${(nodeSoap.p50 / own.p50).toFixed(1)}x the project codec)`,
    ],
  ];
}
