import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redactSoap, SoapFaultError, SoapTransport, TransportError } from '#libs/afip-soap';
import {
  FEV1,
  freePort,
  startTestSandbox,
  type TestSandbox,
  wsfeEnvelope,
  loginCmsEnvelope,
} from '#libs/testing';
import { DevCa } from '#libs/pki';

describe('SoapTransport (libs/afip-soap) against the sandbox', () => {
  let sandbox: TestSandbox;
  const transport = new SoapTransport();
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  beforeEach(async () => {
    await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
  });
  afterAll(async () => {
    transport.close();
    await sandbox.stop();
  });

  const dummy = (timeoutMs = 2000) =>
    transport.call({
      url: sandbox.wsfeUrl,
      body: wsfeEnvelope('FEDummy', ''),
      soapAction: `${FEV1}FEDummy`,
      timeoutMs,
    });
  const fault = (rule: Record<string, unknown>) =>
    fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ service: 'wsfe', operation: 'FEDummy', count: 1, ...rule }),
    });

  it('returns the answer of a successful call', async () => {
    const exchange = await dummy();
    expect(exchange.status).toBe(200);
    expect(exchange.body).toContain('<AppServer>OK</AppServer>');
    expect(exchange.redacted.response).toBe(exchange.body);
  });

  it('speaks SOAP 1.2 with the action in the Content-Type', async () => {
    const body = wsfeEnvelope('FEDummy', '').replace(
      'http://schemas.xmlsoap.org/soap/envelope/',
      'http://www.w3.org/2003/05/soap-envelope',
    );
    const exchange = await transport.call({
      url: sandbox.wsfeUrl,
      body,
      soapAction: `${FEV1}FEDummy`,
      version: '1.2',
      timeoutMs: 2000,
    });
    expect(exchange.body).toContain('http://www.w3.org/2003/05/soap-envelope');
  });

  it('says a refused connection sent nothing', async () => {
    const url = `http://127.0.0.1:${await freePort()}/wsfev1/service.asmx`;
    const error = await transport
      .call({ url, body: '<x/>', soapAction: 'x', timeoutMs: 1000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'CONNECT_FAILED', sent: false });
  });

  it('says a timeout, a reset and a dropped answer may have reached the server', async () => {
    await fault({ kind: 'hang' });
    await expect(dummy(300)).rejects.toMatchObject({ name: 'TransportError', code: 'TIMEOUT', sent: true });
    await fault({ kind: 'reset' });
    await expect(dummy()).rejects.toMatchObject({ code: 'CONNECTION_RESET', sent: true });
    await fault({ kind: 'authorize-then-drop' });
    await expect(dummy()).rejects.toMatchObject({ code: 'CONNECTION_RESET', sent: true });
  });

  it('reports an HTTP status without a SOAP answer, and a SOAP fault with its code', async () => {
    await fault({ kind: 'http503' });
    await expect(dummy()).rejects.toMatchObject({ code: 'HTTP_STATUS', status: 503 });
    const error = await transport
      .call({ url: sandbox.wsaaUrl, body: loginCmsEnvelope('@@'), soapAction: '', timeoutMs: 2000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoapFaultError);
    expect(error).toMatchObject({
      faultCode: 'cms.bad.base64',
      faultString: 'No se puede decodificar el BASE64',
      status: 500,
    });
  });

  it('keeps certificate verification on over HTTPS', async () => {
    const ca = await DevCa.loadOrCreate(`${sandbox.stateDir}/tls-ca`);
    // A server certificate from a CA the transport does not trust: the call must not go through.
    const serverCert = await ca.issueCuitCertificate({ cuit: '20123456789', alias: 'localhost' });
    const server = createHttpsServer(
      { cert: serverCert.certificatePem, key: serverCert.privateKeyPem },
      (_req, res) => res.end('<ok/>'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      await expect(
        transport.call({ url, body: '<x/>', soapAction: 'x', timeoutMs: 2000 }),
      ).rejects.toMatchObject({ code: 'CONNECT_FAILED', sent: false });
    } finally {
      server.close();
    }
  });

  it('removes CMS, tokens and signs from what it keeps for the audit log', () => {
    const request = wsfeEnvelope('FEDummy', '', {
      token: 'PD94bWwgSECRET',
      sign: 'c2lnbiBTECRET',
      cuit: 20123456789,
    });
    expect(redactSoap(request)).toContain(
      '<Token>[redacted]</Token><Sign>[redacted]</Sign><Cuit>20123456789</Cuit>',
    );
    expect(redactSoap(loginCmsEnvelope('MIIGSECRET'))).toContain('<wsaa:in0>[redacted]</wsaa:in0>');
    expect(
      redactSoap('&lt;token&gt;PD94SECRET&lt;/token&gt;&lt;sign&gt;abcSECRET&lt;/sign&gt;'),
    ).not.toContain('SECRET');
  });
});
