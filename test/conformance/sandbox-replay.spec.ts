import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXml, type Element } from '#libs/afip-soap';
import {
  type Credentials,
  FEV1,
  login,
  loginCmsEnvelope,
  postSoap,
  startTestSandbox,
  type TestSandbox,
  unescapeXml,
  wsfeEnvelope,
} from '#libs/testing';

const EXAMPLES = join(import.meta.dirname, '..', '..', '..', 'shared', 'afip', 'examples');
const read = (path: string) => readFileSync(join(EXAMPLES, path), 'utf8');

/** The element names of a document in order, values left out: what "same structure" means here. */
function skeleton(xml: string, from = 'Envelope'): string[] {
  const names: string[] = [];
  const walk = (element: Element, depth: number) => {
    names.push(`${'  '.repeat(depth)}${element.localName}`);
    for (let child = element.firstChild; child; child = child.nextSibling)
      if (child.nodeType === 1) walk(child as unknown as Element, depth + 1);
  };
  const root = parseXml(xml);
  const start =
    from === 'Envelope' ? root : (root.getElementsByTagNameNS('*', from)[0] as unknown as Element);
  walk(start, 0);
  return names;
}

/** Resultado values, Err/Obs/Evt codes in document order. */
function outcome(xml: string) {
  const codes = (block: string) =>
    [...xml.matchAll(new RegExp(`<${block}><Code>(\\d+)</Code>`, 'g'))].map((match) => Number(match[1]));
  return {
    resultados: [...xml.matchAll(/<Resultado>(\w)<\/Resultado>/g)].map((match) => match[1]),
    errors: codes('Err'),
    observations: codes('Obs'),
    events: codes('Evt'),
  };
}

/** The recording's own time (FEHeaderInfo/fecha), so date rules judge the request as ARCA did. */
function recordedAt(response: string): Date {
  return new Date(/<fecha>([^<]+)<\/fecha>/.exec(response)?.[1] ?? '');
}

describe("the sandbox replays ARCA's recorded WSFEv1 traffic with ARCA's outcome", () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ alreadyAuthenticatedMs: 0 });
  });
  afterAll(() => sandbox.stop());

  it('has the recordings to replay', () => {
    expect(existsSync(join(EXAMPLES, 'wsfev1', '12a-FECAESolicitar-A-concepto1-approved.request.xml'))).toBe(
      true,
    );
  });

  /** Puts the sandbox at the recording's time with the numbering it implies, then sends the request as recorded. */
  async function replay(
    name: string,
    seeds: [ptoVta: number, cbteTipo: number, last: number][] = [],
    tokenAgeMs = 0,
  ) {
    const response = read(`wsfev1/${name}.response.xml`);
    const request = read(`wsfev1/${name}.request.xml`);
    const at = recordedAt(response);
    const cuit = Number(/<Cuit>(\d+)<\/Cuit>/.exec(request)?.[1] ?? 20267565393);
    sandbox.clock.set(new Date(at.getTime() - tokenAgeMs));
    const credentials: Credentials = await login(sandbox, String(cuit));
    sandbox.clock.set(at);
    for (const [ptoVta, cbteTipo, last] of seeds) sandbox.store.seed(cuit, ptoVta, cbteTipo, last);
    const operation =
      /<(?:\w+:)?(\w+) xmlns="http:\/\/ar.gov.afip.dif.FEV1\/"/.exec(request)?.[1] ??
      /(\w+)\.request/.exec(name)?.[1] ??
      '';
    const body = request.replace('ELIDED-TOKEN', credentials.token).replace('ELIDED-SIGN', credentials.sign);
    const replayed = await postSoap(sandbox.wsfeUrl, body, {
      SOAPAction: `"${FEV1}${operation || name.split('-')[1]}"`,
    });
    return { expected: response, actual: replayed.text, status: replayed.status };
  }

  const cases: [string, [number, number, number][], number?][] = [
    ['10-FECompUltimoAutorizado', [[4000, 1, 1835]]],
    ['11-FECAESolicitar-A-concepto3-approved-obs10217', [[4000, 1, 1835]]],
    ['13-FECompConsultar-not-found-602', []],
    ['14-FECAESolicitar-49-rejected-obs10016-date', [[3, 49, 0]]],
    ['15-FECAESolicitar-FCE-203-rejected-obs10016-date', [[3, 203, 44]]],
    ['16-FECompUltimoAutorizado-600-expired-token', [], 29 * 86_400_000],
    ['17-FEDummy', []],
    ['18-FECompTotXRequest', []],
    ['19-FEParamGetCotizacion', []],
    ['30-FECAEASolicitar-15006', []],
    ['31-FECAEAConsultar-602', []],
    ['32-FECAEARegInformativo-782', []],
    ['33-FECAEASinMovimientoInformar-1200', []],
  ];

  it.each(cases)('%s', async (name, seeds, tokenAgeMs) => {
    await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' });
    const { expected, actual, status } = await replay(name, seeds, tokenAgeMs);
    expect(status).toBe(200);
    expect(outcome(actual)).toEqual(outcome(expected));
    expect(skeleton(actual)).toEqual(skeleton(expected));
  });

  it('12a-12c: approves an invoice, refuses its identical resend with Err 10016, and finds it with FECompConsultar', async () => {
    await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' });
    const approved = await replay('12a-FECAESolicitar-A-concepto1-approved', [[4000, 1, 1838]]);
    expect(outcome(approved.actual)).toEqual(outcome(approved.expected));
    expect(skeleton(approved.actual)).toEqual(skeleton(approved.expected));
    const resent = await replay('12b-FECAESolicitar-identical-resend-rejected-10016');
    expect(outcome(resent.actual)).toEqual(outcome(resent.expected));
    expect(skeleton(resent.actual)).toEqual(skeleton(resent.expected));
    const found = await replay('12c-FECompConsultar-found');
    expect(outcome(found.actual)).toEqual(outcome(found.expected));
    expect(skeleton(found.actual)).toEqual(skeleton(found.expected));
    const cae = /<CAE>(\d{14})<\/CAE>/.exec(approved.actual)?.[1];
    expect(found.actual).toContain(`<CodAutorizacion>${cae}</CodAutorizacion>`);
  });

  it("approves the manual's own example request (Factura A, two aliquots, tribute 99)", async () => {
    await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' });
    sandbox.clock.set(new Date('2010-09-03T15:00:00Z'));
    const credentials = await login(sandbox, '33693450239');
    const request = read('wsfev1/50-manual-example-FECAESolicitar-A-two-aliquots.request.xml')
      .replace(/<ar:Token>[^<]*<\/ar:Token>/, `<ar:Token>${credentials.token}</ar:Token>`)
      .replace(/<ar:Sign>[^<]*<\/ar:Sign>/, `<ar:Sign>${credentials.sign}</ar:Sign>`);
    const response = await postSoap(sandbox.wsfeUrl, request, { SOAPAction: `"${FEV1}FECAESolicitar"` });
    expect(outcome(response.text)).toEqual({
      resultados: ['A', 'A'],
      errors: [],
      observations: [],
      events: [],
    });
  });

  it.each([
    'FEParamGetTiposCbte',
    'FEParamGetTiposConcepto',
    'FEParamGetTiposDoc',
    'FEParamGetTiposIva',
    'FEParamGetTiposMonedas',
    'FEParamGetTiposOpcional',
    'FEParamGetTiposTributos',
  ])('%s answers the recorded table, row for row', async (operation) => {
    sandbox.clock.reset();
    const credentials = await login(sandbox, '20267565393');
    const recorded = read(`wsfev1/20-${operation}.response.xml`);
    const response = await postSoap(sandbox.wsfeUrl, wsfeEnvelope(operation, '', credentials), {
      SOAPAction: `"${FEV1}${operation}"`,
    });
    const result = (xml: string) => /<\w+Result>[\s\S]*<\/\w+Result>/.exec(xml)?.[0];
    expect(result(response.text)).toBe(result(recorded));
  });
});

describe("the sandbox's WSAA against ARCA's recordings", () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.stop());

  it("reads ARCA's recorded 2021 CMS down to the trust check: signature valid, only the CA differs", async () => {
    sandbox.clock.set(new Date('2021-07-26T12:22:00Z'));
    const response = await postSoap(sandbox.wsaaUrl, read('wsaa/01-loginCms.request.xml'));
    expect(response.status).toBe(500);
    expect(response.text).toContain('ns1:cms.cert.untrusted');
  });

  it('issues a TA and a token shaped like the recorded ones', async () => {
    sandbox.clock.reset();
    const { signedLoginRequest } = await import('#libs/testing');
    const in0 = await signedLoginRequest(sandbox.ca, '20267565393', sandbox.clock.now());
    const response = await postSoap(
      sandbox.wsaaUrl,
      loginCmsEnvelope(in0, 'https://wsaahomo.afip.gov.ar/ws/services/LoginCms'),
    );
    expect(skeleton(response.text)).toEqual(skeleton(read('wsaa/01-loginCms.response.xml')));
    const ta = unescapeXml(/<loginCmsReturn>([\s\S]*)<\/loginCmsReturn>/.exec(response.text)?.[1] ?? '');
    expect(skeleton(ta)).toEqual(skeleton(read('wsaa/01-loginCms.TA.xml')));
    const token = Buffer.from(/<token>([^<]+)</.exec(ta)?.[1] ?? '', 'base64').toString();
    expect(skeleton(token)).toEqual(skeleton(read('wsaa/01-loginCms.TA.token-decoded.xml')));
  });

  it.each([
    ['02-fault-cms.bad.base64.soap11', loginCmsEnvelope('@@@'), {}],
    [
      '03-fault-cms.bad.soap12',
      loginCmsEnvelope(Buffer.from('not a cms').toString('base64')).replace(
        'http://schemas.xmlsoap.org/soap/envelope/',
        'http://www.w3.org/2003/05/soap-envelope',
      ),
      { 'content-type': 'application/soap+xml; charset=utf-8' },
    ],
  ])('answers faults shaped like %s', async (name, body, headers) => {
    sandbox.clock.reset();
    const response = await postSoap(sandbox.wsaaUrl, body, headers as Record<string, string>);
    const recorded = read(`wsaa/${name}.response.xml`);
    expect(response.status).toBe(500);
    expect(skeleton(response.text)).toEqual(skeleton(recorded));
    const codeAndText = (xml: string) =>
      xml.match(/ns1:[\w.]+|<(?:faultstring|soapenv:Text xml:lang="en")>[^<]*/g);
    expect(codeAndText(response.text)).toEqual(codeAndText(recorded));
  });

  it('answers coe.alreadyAuthenticated shaped like the recording', async () => {
    const other = await startTestSandbox({ alreadyAuthenticatedMs: 60_000 });
    try {
      const { signCms, buildTra } = await import('#libs/afip-wsaa');
      const { certificateFromPem, importPrivateKeyPem } = await import('#libs/pki');
      const issued = await other.ca.issueCuitCertificate({ cuit: '20267565393' });
      const in0 = async () =>
        Buffer.from(
          await signCms(
            buildTra({ service: 'wsfe', now: new Date() }),
            certificateFromPem(issued.certificatePem),
            await importPrivateKeyPem(issued.privateKeyPem),
            new Date(),
          ),
        ).toString('base64');
      expect((await postSoap(other.wsaaUrl, loginCmsEnvelope(await in0()))).status).toBe(200);
      const refused = await postSoap(other.wsaaUrl, loginCmsEnvelope(await in0()));
      const recorded = read('wsaa/04-fault-coe.alreadyAuthenticated.response.xml');
      expect(skeleton(refused.text)).toEqual(skeleton(recorded));
      expect(refused.text).toContain(
        '<faultstring>El CEE ya posee un TA valido para el acceso al WSN solicitado</faultstring>',
      );
    } finally {
      await other.stop();
    }
  });
});
