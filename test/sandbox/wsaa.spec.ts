import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { argentinaTime, buildTra } from '#libs/afip-wsaa';
import { DevCa } from '#libs/pki';
import {
  loginCmsEnvelope,
  postSoap,
  signedLoginRequest,
  startTestSandbox,
  type TestSandbox,
  unescapeXml,
} from '#libs/testing';

const CUIT = '20123456789';
const faultOf = (text: string) => ({
  code: /<faultcode[^>]*>ns1:([^<]+)<\/faultcode>/.exec(text)?.[1],
  message: /<faultstring>([^<]*)<\/faultstring>/.exec(text)?.[1],
});

describe('sandbox WSAA loginCms', () => {
  let sandbox: TestSandbox;
  const work = mkdtempSync(join(tmpdir(), 'arca-wsaa-'));
  beforeAll(async () => {
    sandbox = await startTestSandbox({ alreadyAuthenticatedMs: 120_000 });
  });
  beforeEach(() => {
    sandbox.logins.reset();
    sandbox.clock.reset();
  });
  afterAll(async () => {
    await sandbox.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const login = async (in0: string) => postSoap(sandbox.wsaaUrl, loginCmsEnvelope(in0));

  it('issues a 12-hour TA whose token names the CUIT, echoing the request namespace', async () => {
    const in0 = await signedLoginRequest(sandbox.ca, CUIT, sandbox.clock.now());
    const response = await postSoap(
      sandbox.wsaaUrl,
      loginCmsEnvelope(in0, 'https://wsaahomo.afip.gov.ar/ws/services/LoginCms'),
    );
    expect(response.status).toBe(200);
    expect(response.text).toContain(
      '<loginCmsResponse xmlns="https://wsaahomo.afip.gov.ar/ws/services/LoginCms"><loginCmsReturn>',
    );
    const ta = unescapeXml(/<loginCmsReturn>([\s\S]*)<\/loginCmsReturn>/.exec(response.text)?.[1] ?? '');
    const generation = new Date(/<generationTime>([^<]+)</.exec(ta)?.[1] ?? '');
    const expiration = new Date(/<expirationTime>([^<]+)</.exec(ta)?.[1] ?? '');
    expect(expiration.getTime() - generation.getTime()).toBe(12 * 3_600_000);
    expect(ta).toMatch(
      /<destination>SERIALNUMBER=CUIT 20123456789, CN=arca-gateway-20123456789<\/destination>/,
    );
    expect(ta).toMatch(/<generationTime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-03:00<\/generationTime>/);
    const token = Buffer.from(/<token>([^<]+)</.exec(ta)?.[1] ?? '', 'base64').toString();
    expect(token).toContain('<relation key="20123456789" reltype="4"/>');
    expect(token).toMatch(/gen_time="(\d+)"/);
    expect(Number(/gen_time="(\d+)"/.exec(token)?.[1])).toBe(Math.floor(generation.getTime() / 1000) - 60);
    expect(/<sign>([^<]+)</.exec(ta)?.[1]).toHaveLength(172);
  });

  it('refuses a second ticket for the same certificate and service within the window, not after it', async () => {
    const ca = sandbox.ca;
    const issued = await ca.issueCuitCertificate({ cuit: CUIT });
    const { certificateFromPem, importPrivateKeyPem } = await import('#libs/pki');
    const { signCms } = await import('#libs/afip-wsaa');
    const sign = async () =>
      Buffer.from(
        await signCms(
          buildTra({ service: 'wsfe', now: sandbox.clock.now() }),
          certificateFromPem(issued.certificatePem),
          await importPrivateKeyPem(issued.privateKeyPem),
          sandbox.clock.now(),
        ),
      ).toString('base64');
    expect((await login(await sign())).status).toBe(200);
    const refused = await login(await sign());
    expect(refused.status).toBe(500);
    expect(faultOf(refused.text)).toEqual({
      code: 'coe.alreadyAuthenticated',
      message: 'El CEE ya posee un TA valido para el acceso al WSN solicitado',
    });
    sandbox.clock.shift(121_000);
    expect((await login(await sign())).status).toBe(200);
  });

  it('accepts a CMS made by openssl cms -sign -nodetach with a sandbox certificate', async () => {
    const { certFile, keyFile } = await sandbox.ca.writeCuitCertificate(join(work, 'certs'), {
      cuit: '20987654321',
    });
    writeFileSync(join(work, 'tra.xml'), buildTra({ service: 'wsfe', now: new Date() }));
    const der = execFileSync('openssl', [
      'cms',
      '-sign',
      '-nodetach',
      '-binary',
      '-in',
      join(work, 'tra.xml'),
      '-signer',
      certFile,
      '-inkey',
      keyFile,
      '-outform',
      'DER',
      '-md',
      'sha256',
    ]);
    const response = await login(der.toString('base64'));
    expect(response.status).toBe(200);
    expect(response.text).toContain('loginTicketResponse');
  });

  it.each([
    ['a byte of the signed TRA changed', 'cms.sign.invalid', 'Firma inv&#xE1;lida o algoritmo no soportado'],
    ['not base64', 'cms.bad.base64', 'No se puede decodificar el BASE64'],
    ['base64 of something that is not CMS', 'cms.bad', 'El CMS no es valido'],
  ])('refuses a CMS with %s', async (what, code, message) => {
    let in0 = await signedLoginRequest(sandbox.ca, CUIT, sandbox.clock.now());
    if (what.startsWith('a byte')) {
      const der = Buffer.from(in0, 'base64');
      const at = der.indexOf(Buffer.from('<service>wsfe'));
      der[at + 10] = 'x'.charCodeAt(0);
      in0 = der.toString('base64');
    } else if (what === 'not base64') {
      in0 = 'this is not base64!';
    } else {
      in0 = Buffer.from('hello, not a CMS').toString('base64');
    }
    const response = await login(in0);
    expect(response.status).toBe(500);
    expect(faultOf(response.text)).toEqual({ code, message });
  });

  it('refuses a detached CMS as cms.sign.invalid', async () => {
    const { certFile, keyFile } = await sandbox.ca.writeCuitCertificate(join(work, 'detached'), {
      cuit: CUIT,
    });
    writeFileSync(join(work, 'tra2.xml'), buildTra({ service: 'wsfe', now: new Date() }));
    const der = execFileSync('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-in',
      join(work, 'tra2.xml'),
      '-signer',
      certFile,
      '-inkey',
      keyFile,
      '-outform',
      'DER',
    ]);
    expect(faultOf((await login(der.toString('base64'))).text).code).toBe('cms.sign.invalid');
  });

  it('refuses an expired certificate, a not-yet-valid one and one from another CA', async () => {
    const now = sandbox.clock.now();
    const day = 86_400_000;
    const expired = await signedLoginRequest(sandbox.ca, CUIT, now, undefined, {
      notBefore: new Date(now.getTime() - 800 * day),
      notAfter: new Date(now.getTime() - day),
    });
    expect(faultOf((await login(expired)).text)).toEqual({
      code: 'cms.cert.expired',
      message: 'Certificado expirado',
    });
    const future = await signedLoginRequest(sandbox.ca, CUIT, now, undefined, {
      notBefore: new Date(now.getTime() + day),
    });
    expect(faultOf((await login(future)).text).code).toBe('cms.cert.invalid');
    const otherCa = await DevCa.loadOrCreate(join(work, 'other-ca'));
    const untrusted = await signedLoginRequest(otherCa, CUIT, now);
    expect(faultOf((await login(untrusted)).text)).toEqual({
      code: 'cms.cert.untrusted',
      message: 'Certificado no emitido por AC de confianza',
    });
  });

  it.each([
    [
      'a generationTime in the future',
      (now: Date) => traWith(now, 60_000, 600_000),
      'xml.generationTime.invalid',
    ],
    [
      'a generationTime over 24 hours old',
      (now: Date) => traWith(now, -25 * 3_600_000, 600_000),
      'xml.generationTime.invalid',
    ],
    [
      'an expirationTime already past',
      (now: Date) => traWith(now, -1_200_000, -600_000),
      'xml.expirationTime.expired',
    ],
    [
      'an expirationTime over 24 hours ahead',
      (now: Date) => traWith(now, -600_000, 25 * 3_600_000),
      'xml.expirationTime.invalid',
    ],
    [
      'a uniqueId in milliseconds (over 32 bits)',
      (now: Date) => buildTra({ service: 'wsfe', now, uniqueId: now.getTime() }),
      'xml.bad',
    ],
    [
      'no service element',
      (now: Date) => buildTra({ service: 'wsfe', now }).replace('<service>wsfe</service>', ''),
      'xml.bad',
    ],
    ['an unknown service', (now: Date) => buildTra({ service: 'wsnothing', now }), 'wsn.notFound'],
    [
      'a service the certificate has no relation with',
      (now: Date) => buildTra({ service: 'wsfex', now }),
      'coe.notAuthorized',
    ],
    [
      'a version WSAA does not support',
      (now: Date) =>
        buildTra({ service: 'wsfe', now }).replace(
          '<loginTicketRequest version="1.0">',
          '<loginTicketRequest version="2.0">',
        ),
      'xml.version.notSupported',
    ],
  ])('refuses a TRA with %s', async (_what, tra, code) => {
    const now = sandbox.clock.now();
    const response = await login(await signedLoginRequest(sandbox.ca, CUIT, now, tra(now)));
    expect(response.status).toBe(500);
    expect(faultOf(response.text).code).toBe(code);
  });

  it('follows the sandbox clock, so a TRA from 2021 logs in when the clock says 2021', async () => {
    sandbox.clock.set(new Date('2021-07-26T12:22:00Z'));
    const response = await login(await signedLoginRequest(sandbox.ca, CUIT, sandbox.clock.now()));
    expect(response.status).toBe(200);
    expect(unescapeXml(response.text)).toContain('<generationTime>2021-07-26T09:22:00');
  });

  it('answers SOAP 1.2 requests with SOAP 1.2 faults', async () => {
    const envelope = loginCmsEnvelope('!!').replace(
      'http://schemas.xmlsoap.org/soap/envelope/',
      'http://www.w3.org/2003/05/soap-envelope',
    );
    const response = await postSoap(sandbox.wsaaUrl, envelope, {
      'content-type': 'application/soap+xml; charset=utf-8',
    });
    expect(response.status).toBe(500);
    expect(response.text).toContain(
      '<soapenv:Code xmlns:ns1="http://xml.apache.org/axis/"><soapenv:Value>ns1:cms.bad.base64</soapenv:Value></soapenv:Code>',
    );
    expect(response.text).toContain(
      '<soapenv:Reason><soapenv:Text xml:lang="en">No se puede decodificar el BASE64</soapenv:Text></soapenv:Reason>',
    );
  });

  it('answers malformed XML and a missing in0 with a server fault, never a crash', async () => {
    const malformed = await postSoap(sandbox.wsaaUrl, '<soapenv:Envelope><oops');
    expect(malformed.status).toBe(500);
    expect(malformed.text).toContain('<faultcode>soapenv:Server.userException</faultcode>');
    const noIn0 = await postSoap(
      sandbox.wsaaUrl,
      loginCmsEnvelope('x').replace(/<wsaa:in0>x<\/wsaa:in0>/, ''),
    );
    expect(noIn0.text).toContain('<faultcode>soapenv:Server.userException</faultcode>');
  });

  it('serves its WSDL with its own address', async () => {
    const wsdl = await (await fetch(`${sandbox.wsaaUrl}?wsdl`)).text();
    expect(wsdl).toContain(`<wsdlsoap:address location="${sandbox.wsaaUrl}" />`);
    expect(wsdl).toContain('name="loginCms"');
  });

  it('counts logins in its state', async () => {
    await login(await signedLoginRequest(sandbox.ca, CUIT, sandbox.clock.now()));
    const state = (await (await fetch(`${sandbox.url}/__sandbox/state`)).json()) as { logins: number };
    expect(state.logins).toBe(1);
  });

  function traWith(now: Date, generationOffsetMs: number, expirationOffsetMs: number): string {
    return (
      '<?xml version="1.0" encoding="UTF-8"?><loginTicketRequest version="1.0"><header><uniqueId>1</uniqueId>' +
      `<generationTime>${argentinaTime(new Date(now.getTime() + generationOffsetMs))}</generationTime>` +
      `<expirationTime>${argentinaTime(new Date(now.getTime() + expirationOffsetMs))}</expirationTime>` +
      '</header><service>wsfe</service></loginTicketRequest>'
    );
  }
});
