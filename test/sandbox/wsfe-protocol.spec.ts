import * as soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callWsfe,
  type Credentials,
  FEV1,
  login,
  postSoap,
  signedLoginRequest,
  startTestSandbox,
  type TestSandbox,
  unescapeXml,
  wsfeEnvelope,
} from '#libs/testing';
import { facturaB, today } from './wsfe-support.js';

const CUIT = 20111111112;

describe('sandbox WSFEv1 over SOAP', () => {
  let sandbox: TestSandbox;
  let credentials: Credentials;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    credentials = await login(sandbox, String(CUIT));
  });
  afterAll(() => sandbox.stop());

  it('lets a generic SOAP client, given only the ?wsdl URLs, log in and authorize an invoice', async () => {
    const wsaa = await soap.createClientAsync(`${sandbox.wsaaUrl}?wsdl`);
    const in0 = await signedLoginRequest(sandbox.ca, '20222222223', sandbox.clock.now());
    const [loginResult] = await wsaa.loginCmsAsync({ in0 });
    const ta = String(loginResult.loginCmsReturn);
    const token = /<token>([^<]+)</.exec(ta)?.[1];
    const sign = /<sign>([^<]+)</.exec(ta)?.[1];
    expect(token).toBeTruthy();

    const wsfe = await soap.createClientAsync(`${sandbox.wsfeUrl}?WSDL`);
    const Auth = { Token: token, Sign: sign, Cuit: 20222222223 };
    const [last] = await wsfe.FECompUltimoAutorizadoAsync({ Auth, PtoVta: 3, CbteTipo: 6 });
    const next = last.FECompUltimoAutorizadoResult.CbteNro + 1;
    const detail = facturaB(next, today(sandbox));
    const [result] = await wsfe.FECAESolicitarAsync({
      Auth,
      FeCAEReq: { FeCabReq: { CantReg: 1, PtoVta: 3, CbteTipo: 6 }, FeDetReq: { FECAEDetRequest: [detail] } },
    });
    const response = result.FECAESolicitarResult;
    expect(response.FeCabResp.Resultado).toBe('A');
    const cae = response.FeDetResp.FECAEDetResponse[0].CAE;
    expect(cae).toMatch(/^\d{14}$/);
    const [consult] = await wsfe.FECompConsultarAsync({
      Auth,
      FeCompConsReq: { CbteTipo: 6, CbteNro: next, PtoVta: 3 },
    });
    expect(consult.FECompConsultarResult.ResultGet.CodAutorizacion).toBe(cae);
    expect(consult.FECompConsultarResult.ResultGet.ImpTotal).toBe(1210);
  });

  it('answers FEDummy without Auth, also to an empty Body dispatched by SOAPAction', async () => {
    const empty = await postSoap(
      sandbox.wsfeUrl,
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header/><soap:Body/></soap:Envelope>',
      { SOAPAction: `"${FEV1}FEDummy"` },
    );
    expect(empty.status).toBe(200);
    expect(empty.text).toContain(
      '<FEDummyResult><AppServer>OK</AppServer><DbServer>OK</DbServer><AuthServer>OK</AuthServer></FEDummyResult>',
    );
    expect(empty.text).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?><soap:Envelope[^\n]*<FEHeaderInfo xmlns="http:\/\/ar.gov.afip.dif.FEV1\/"><ambiente>/,
    );
  });

  it('dispatches by the body element when there is no SOAPAction, and speaks SOAP 1.2', async () => {
    const body = wsfeEnvelope('FECompTotXRequest', '', credentials);
    const noAction = await fetch(sandbox.wsfeUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
    });
    expect(await noAction.text()).toContain('<RegXReq>250</RegXReq>');
    const soap12 = await fetch(sandbox.wsfeUrl, {
      method: 'POST',
      headers: { 'content-type': `application/soap+xml; charset=utf-8; action="${FEV1}FECompTotXRequest"` },
      body: body.replace(
        'http://schemas.xmlsoap.org/soap/envelope/',
        'http://www.w3.org/2003/05/soap-envelope',
      ),
    });
    expect(soap12.headers.get('content-type')).toMatch(/^application\/soap\+xml/);
    expect(await soap12.text()).toContain(
      '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"',
    );
  });

  it("answers ASMX's faults: unknown SOAPAction, unreadable numbers, truncated XML", async () => {
    const unknown = await postSoap(sandbox.wsfeUrl, wsfeEnvelope('FEDummy', ''), {
      SOAPAction: '"http://ar.gov.afip.dif.FEV1/FENothing"',
    });
    expect(unknown.status).toBe(500);
    expect(unknown.text).toContain(
      '<faultcode>soap:Client</faultcode><faultstring>Server did not recognize the value of HTTP Header SOAPAction: http://ar.gov.afip.dif.FEV1/FENothing.</faultstring>',
    );
    const badNumber = await callWsfe(
      sandbox,
      'FECompUltimoAutorizado',
      '<PtoVta>uno</PtoVta><CbteTipo>6</CbteTipo>',
      credentials,
    );
    expect(badNumber.status).toBe(500);
    expect(badNumber.text).toContain('Server was unable to read request.');
    const truncated = await postSoap(sandbox.wsfeUrl, wsfeEnvelope('FEDummy', '').slice(0, 80), {
      SOAPAction: `"${FEV1}FEDummy"`,
    });
    expect(truncated.status).toBe(400);
  });

  it('ignores unqualified elements: an Auth without the namespace is a missing Auth (Err 500)', async () => {
    const body =
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
      `<ns:FECompUltimoAutorizado xmlns:ns="${FEV1}"><Auth><Token>${credentials.token}</Token><Sign>${credentials.sign}</Sign>` +
      `<Cuit>${CUIT}</Cuit></Auth><ns:PtoVta>1</ns:PtoVta><ns:CbteTipo>6</ns:CbteTipo></ns:FECompUltimoAutorizado></soap:Body></soap:Envelope>`;
    const response = await postSoap(sandbox.wsfeUrl, body, { SOAPAction: `"${FEV1}FECompUltimoAutorizado"` });
    expect(response.text).toContain(
      '<Errors><Err><Code>500</Code><Msg>Campo Auth no fue ingresado o esta mal formado.</Msg></Err></Errors>',
    );
    expect(response.text).toContain('<PtoVta>0</PtoVta><CbteTipo>0</CbteTipo><CbteNro>0</CbteNro>');
  });

  it.each<[string, (c: Credentials) => Credentials, RegExp]>([
    [
      'an empty token',
      (c) => ({ ...c, token: '' }),
      /<Code>600<\/Code><Msg>ValidacionDeToken: Parametro nulo o vacio \(token\)<\/Msg>/,
    ],
    [
      'a sign of another token',
      (c) => ({ ...c, sign: Buffer.alloc(128, 1).toString('base64') }),
      /<Code>600<\/Code><Msg>ValidacionDeToken: Error al verificar hash/,
    ],
    [
      'a token that is not ARCA XML',
      (c) => ({ ...c, token: Buffer.from('nope').toString('base64') }),
      /<Code>600<\/Code><Msg>ValidacionDeToken: No valido token/,
    ],
    [
      'a CUIT the token does not represent',
      (c) => ({ ...c, cuit: 20333333334 }),
      /<Code>600<\/Code><Msg>ValidacionDeToken: No aparecio CUIT en lista de relaciones: 20333333334<\/Msg>/,
    ],
  ])('refuses %s with Err 600', async (_name, alter, expected) => {
    const response = await callWsfe(sandbox, 'FEParamGetTiposIva', '', alter(credentials));
    expect(response.status).toBe(200);
    expect(response.text).toMatch(expected);
    expect(response.text).not.toContain('<ResultGet>');
  });

  it('refuses an expired token with the dates message, checked before the hash', async () => {
    sandbox.clock.shift(13 * 3_600_000);
    try {
      const response = await callWsfe(
        sandbox,
        'FECompUltimoAutorizado',
        '<PtoVta>1</PtoVta><CbteTipo>6</CbteTipo>',
        credentials,
      );
      expect(response.text).toMatch(
        /<Msg>ValidacionDeToken: No validaron las fechas del token GenTime, ExpTime, NowUTC: \d{10} \(\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M\), \d{10} \(.*\), .* [AP]M<\/Msg>/,
      );
    } finally {
      sandbox.clock.reset();
    }
  });

  it('serves the parameter tables: 2021 recordings plus RG 5616 receiver conditions', async () => {
    const iva = await callWsfe(sandbox, 'FEParamGetTiposIva', '', credentials);
    expect([...iva.text.matchAll(/<IvaTipo><Id>(\d+)<\/Id>/g)].map((m) => m[1])).toEqual([
      '3',
      '4',
      '5',
      '6',
      '8',
      '9',
    ]);
    expect(iva.text).toContain(
      '<IvaTipo><Id>5</Id><Desc>21%</Desc><FchDesde>20090220</FchDesde><FchHasta>NULL</FchHasta></IvaTipo>',
    );
    for (const operation of [
      'FEParamGetTiposCbte',
      'FEParamGetTiposConcepto',
      'FEParamGetTiposDoc',
      'FEParamGetTiposMonedas',
      'FEParamGetTiposOpcional',
      'FEParamGetTiposTributos',
      'FEParamGetTiposPaises',
      'FEParamGetActividades',
    ]) {
      const response = await callWsfe(sandbox, operation, '', credentials);
      expect(response.text, operation).toContain('<ResultGet>');
      expect(response.text, operation).not.toContain('<Errors>');
    }
    const classA = await callWsfe(
      sandbox,
      'FEParamGetCondicionIvaReceptor',
      '<ClaseCmp>A</ClaseCmp>',
      credentials,
    );
    expect(
      [...classA.text.matchAll(/<CondicionIvaReceptor><Id>(\d+)<\/Id>/g)].map((m) => Number(m[1])),
    ).toEqual([1, 6, 13, 16]);
    const badClass = await callWsfe(
      sandbox,
      'FEParamGetCondicionIvaReceptor',
      '<ClaseCmp>Z</ClaseCmp>',
      credentials,
    );
    expect(badClass.text).toContain('<Code>10244</Code>');
    const rate = await callWsfe(sandbox, 'FEParamGetCotizacion', '<MonId>DOL</MonId>', credentials);
    expect(rate.text).toMatch(
      /<ResultGet><MonId>DOL<\/MonId><MonCotiz>[\d.]+<\/MonCotiz><FchCotiz>\d{8}<\/FchCotiz><\/ResultGet>/,
    );
    expect(
      (await callWsfe(sandbox, 'FEParamGetCotizacion', '<MonId>ZZZ</MonId>', credentials)).text,
    ).toContain('<Code>12000</Code>');
    expect(
      (await callWsfe(sandbox, 'FEParamGetPtosVenta', '', await login(sandbox, '20444444445'))).text,
    ).toContain('<Code>602</Code>');
  });

  it('answers FECompConsultar of an unknown voucher with Err 602 and no ResultGet', async () => {
    const response = await callWsfe(
      sandbox,
      'FECompConsultar',
      '<FeCompConsReq><CbteTipo>6</CbteTipo><CbteNro>999</CbteNro><PtoVta>77</PtoVta></FeCompConsReq>',
      credentials,
    );
    expect(response.text).toContain(
      '<FECompConsultarResult><Errors><Err><Code>602</Code><Msg>No existen datos en nuestros registros para los parametros ingresados.</Msg></Err></Errors></FECompConsultarResult>',
    );
  });

  it('runs the CAEA cycle: request in the window, consult, report vouchers, report a CAEA without movement', async () => {
    sandbox.clock.set(new Date('2026-11-28T15:00:00Z'));
    try {
      let fresh = await login(sandbox, String(CUIT));
      const outside = await callWsfe(
        sandbox,
        'FECAEASolicitar',
        '<Periodo>202611</Periodo><Orden>1</Orden>',
        fresh,
      );
      expect(outside.text).toMatch(
        /<Code>15006<\/Code><Msg>Fecha de envío podrá ser desde 5 días corridos anteriores al inicio hasta el último dia de cada quincena. Del 10\/27\/2026 hasta 11\/15\/2026<\/Msg>/,
      );
      const granted = await callWsfe(
        sandbox,
        'FECAEASolicitar',
        '<Periodo>202612</Periodo><Orden>1</Orden>',
        fresh,
      );
      const caea = /<CAEA>(\d{14})<\/CAEA>/.exec(granted.text)?.[1];
      expect(caea).toBeDefined();
      expect(granted.text).toContain(
        '<FchVigDesde>20261201</FchVigDesde><FchVigHasta>20261215</FchVigHasta>',
      );
      const consulted = await callWsfe(
        sandbox,
        'FECAEAConsultar',
        '<Periodo>202612</Periodo><Orden>1</Orden>',
        fresh,
      );
      expect(consulted.text).toContain(`<CAEA>${caea}</CAEA>`);
      const missing = await callWsfe(
        sandbox,
        'FECAEAConsultar',
        '<Periodo>202501</Periodo><Orden>2</Orden>',
        fresh,
      );
      expect(missing.text).toContain(
        '<ResultGet><Periodo>202501</Periodo><Orden>2</Orden></ResultGet><Errors><Err><Code>602</Code>',
      );
      const badPeriod = await callWsfe(
        sandbox,
        'FECAEASolicitar',
        '<Periodo>20261</Periodo><Orden>1</Orden>',
        fresh,
      );
      expect(unescapeXml(badPeriod.text)).toContain(
        '<Code>15004</Code><Msg>El campo <Periodo> debe tener el formato AAAAMM',
      );
      const notCaea = await callWsfe(
        sandbox,
        'FECAEASinMovimientoInformar',
        '<PtoVta>9</PtoVta><CAEA>71293955911805</CAEA>',
        fresh,
      );
      expect(notCaea.text).toMatch(
        /<CAEA>71293955911805<\/CAEA><FchProceso>\d{8}<\/FchProceso><PtoVta>9<\/PtoVta><Resultado>R<\/Resultado><Errors><Err><Code>1200<\/Code>/,
      );
      const again = await callWsfe(
        sandbox,
        'FECAEASolicitar',
        '<Periodo>202612</Periodo><Orden>1</Orden>',
        fresh,
      );
      expect(again.text).toContain('<Code>15008</Code>');
      const notContingency = await callWsfe(
        sandbox,
        'FECAEASinMovimientoInformar',
        `<PtoVta>9</PtoVta><CAEA>${caea}</CAEA>`,
        fresh,
      );
      expect(notContingency.text).toContain('<Code>1204</Code>');
      await registerPoint(sandbox, 9, 'CAEA');
      await registerPoint(sandbox, 10, 'CAEA');
      const early = await callWsfe(
        sandbox,
        'FECAEASinMovimientoInformar',
        `<PtoVta>9</PtoVta><CAEA>${caea}</CAEA>`,
        fresh,
      );
      expect(early.text).toContain('<Code>1203</Code>');
      sandbox.clock.set(new Date('2026-12-01T15:00:00Z'));
      fresh = await login(sandbox, String(CUIT));
      // ARCA takes reports from the day after the CAEA's validity starts.
      const firstDay = await callWsfe(
        sandbox,
        'FECAEARegInformativo',
        reportBody(10, 1, caea!, '20261201113000').replace('20261202', '20261201'),
        fresh,
      );
      expect(firstDay.text).toContain('<Code>1414</Code>');
      sandbox.clock.set(new Date('2026-12-03T15:00:00Z'));
      fresh = await login(sandbox, String(CUIT));
      const points = await callWsfe(sandbox, 'FEParamGetPtosVenta', '', fresh);
      expect(points.text).toContain('<Nro>9</Nro><EmisionTipo>CAEA - Ri Iva</EmisionTipo>');
      // A contingency voucher: refused by FECAESolicitar there, reported with its generation time.
      const cae = await callWsfe(
        sandbox,
        'FECAESolicitar',
        reportBody(10, 1, caea!, '')
          .replace(/FeCAEARegInfReq/g, 'FeCAEReq')
          .replace(/FECAEADetRequest/g, 'FECAEDetRequest')
          .replace(/<CAEA>\d+<\/CAEA>/, ''),
        fresh,
      );
      expect(cae.text).toContain('<Code>10005</Code>');
      const withoutTime = await callWsfe(
        sandbox,
        'FECAEARegInformativo',
        reportBody(10, 1, caea!, ''),
        fresh,
      );
      expect(withoutTime.text).toContain('<Code>1440</Code>');
      const reported = await callWsfe(
        sandbox,
        'FECAEARegInformativo',
        reportBody(10, 1, caea!, '20261202113000'),
        fresh,
      );
      expect(reported.text).toMatch(
        /<Resultado>A<\/Resultado>(<Observaciones>.*<\/Observaciones>)?<CAEA>\d{14}<\/CAEA>/,
      );
      const used = await callWsfe(
        sandbox,
        'FECAEASinMovimientoInformar',
        `<PtoVta>10</PtoVta><CAEA>${caea}</CAEA>`,
        fresh,
      );
      expect(used.text).toContain('<Code>1202</Code>');
      const onCae = await callWsfe(
        sandbox,
        'FECAEARegInformativo',
        reportBody(1, 1, caea!, '20261202113000'),
        fresh,
      );
      expect(onCae.text).toContain('<Code>701</Code>');
      const state = (await (await fetch(`${sandbox.url}/__sandbox/state`)).json()) as {
        vouchers: { ptoVta: number; caea?: string; cbteFchHsGen?: string }[];
      };
      expect(state.vouchers.find((voucher) => voucher.ptoVta === 10)).toMatchObject({
        caea,
        cbteFchHsGen: '20261202113000',
      });
      const informed = await callWsfe(
        sandbox,
        'FECAEASinMovimientoInformar',
        `<PtoVta>9</PtoVta><CAEA>${caea}</CAEA>`,
        fresh,
      );
      expect(informed.text).toContain('<Resultado>A</Resultado>');
      const twice = await callWsfe(
        sandbox,
        'FECAEASinMovimientoInformar',
        `<PtoVta>9</PtoVta><CAEA>${caea}</CAEA>`,
        fresh,
      );
      expect(twice.text).toContain('<Code>1209</Code>');
      const listed = await callWsfe(
        sandbox,
        'FECAEASinMovimientoConsultar',
        `<CAEA>${caea}</CAEA><PtoVta>9</PtoVta>`,
        fresh,
      );
      expect(listed.text).toContain(`<FECAEASinMov><CAEA>${caea}</CAEA>`);
    } finally {
      sandbox.clock.reset();
    }
  });

  /** A FECAEARegInformativo body: one factura B on `ptoVta`, number `nro`, dated 2026-12-02. */
  function reportBody(ptoVta: number, nro: number, caea: string, generated: string): string {
    return (
      `<FeCAEARegInfReq><FeCabReq><CantReg>1</CantReg><PtoVta>${ptoVta}</PtoVta><CbteTipo>6</CbteTipo></FeCabReq>` +
      `<FeDetReq><FECAEADetRequest><Concepto>1</Concepto><DocTipo>99</DocTipo><DocNro>0</DocNro>` +
      `<CbteDesde>${nro}</CbteDesde><CbteHasta>${nro}</CbteHasta><CbteFch>20261202</CbteFch><ImpTotal>121</ImpTotal>` +
      '<ImpTotConc>0</ImpTotConc><ImpNeto>100</ImpNeto><ImpOpEx>0</ImpOpEx><ImpTrib>0</ImpTrib><ImpIVA>21</ImpIVA>' +
      '<MonId>PES</MonId><MonCotiz>1</MonCotiz><CondicionIVAReceptorId>5</CondicionIVAReceptorId>' +
      '<Iva><AlicIva><Id>5</Id><BaseImp>100</BaseImp><Importe>21</Importe></AlicIva></Iva>' +
      `<CAEA>${caea}</CAEA>${generated ? `<CbteFchHsGen>${generated}</CbteFchHsGen>` : ''}</FECAEADetRequest></FeDetReq></FeCAEARegInfReq>`
    );
  }

  async function registerPoint(target: typeof sandbox, ptoVta: number, emisionTipo: 'CAE' | 'CAEA') {
    const response = await fetch(`${target.url}/__sandbox/points-of-sale`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cuit: CUIT, ptoVta, emisionTipo }),
    });
    expect(response.status).toBe(201);
  }

  it('serves ?WSDL with its own address for both bindings', async () => {
    const wsdl = await (await fetch(`${sandbox.wsfeUrl}?WSDL`)).text();
    expect(wsdl).toContain(`<soap:address location="${sandbox.wsfeUrl}" />`);
    expect(wsdl).toContain(`<soap12:address location="${sandbox.wsfeUrl}" />`);
  });
});
