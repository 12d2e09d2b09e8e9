import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callWsfe, type Credentials, login, startTestSandbox, type TestSandbox, toXml } from '#libs/testing';
import { facturaB, today } from './wsfe-support.js';

const CUIT = 20555555556;

describe('sandbox fault injection', () => {
  let sandbox: TestSandbox;
  let credentials: Credentials;
  let nro = 0;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    credentials = await login(sandbox, String(CUIT));
  });
  beforeEach(async () => {
    await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
  });
  afterAll(() => sandbox.stop());

  const addFault = async (rule: Record<string, unknown>) => {
    const response = await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify(rule),
    });
    return { status: response.status, body: (await response.json()) as { error?: string } };
  };
  const invoice = (signal?: AbortSignal) => {
    nro += 1;
    const inner = toXml({
      FeCAEReq: {
        FeCabReq: { CantReg: 1, PtoVta: 1, CbteTipo: 6 },
        FeDetReq: { FECAEDetRequest: [facturaB(nro, today(sandbox))] },
      },
    });
    const body =
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
      `<FECAESolicitar xmlns="http://ar.gov.afip.dif.FEV1/"><Auth><Token>${credentials.token}</Token><Sign>${credentials.sign}</Sign>` +
      `<Cuit>${CUIT}</Cuit></Auth>${inner}</FECAESolicitar></soap:Body></soap:Envelope>`;
    return fetch(sandbox.wsfeUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', SOAPAction: '"http://ar.gov.afip.dif.FEV1/FECAESolicitar"' },
      body,
      signal,
    });
  };
  const authorizedNumbers = async () => {
    const state = (await (await fetch(`${sandbox.url}/__sandbox/state`)).json()) as {
      vouchers: { cuit: number; cbteNro: number }[];
    };
    return state.vouchers.filter((voucher) => voucher.cuit === CUIT).map((voucher) => voucher.cbteNro);
  };

  it('delays the answer by the configured latency', async () => {
    await addFault({ service: 'wsfe', operation: 'FEDummy', kind: 'latency', latencyMs: 300 });
    const started = performance.now();
    const response = await callWsfe(sandbox, 'FEDummy', '');
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it.each([
    ['http500', 500],
    ['http503', 503],
  ])('answers %s before processing: nothing is authorized', async (kind, status) => {
    const before = await authorizedNumbers();
    await addFault({ service: 'wsfe', operation: 'FECAESolicitar', kind, count: 1 });
    expect((await invoice()).status).toBe(status);
    expect(await authorizedNumbers()).toEqual(before);
    nro -= 1; // the number is still free
    expect((await invoice()).status).toBe(200);
    expect(await authorizedNumbers()).toEqual([...before, nro]);
  });

  it('resets the connection before processing', async () => {
    const before = await authorizedNumbers();
    await addFault({ service: 'wsfe', operation: 'FECAESolicitar', kind: 'reset', count: 1 });
    await expect(invoice()).rejects.toThrow();
    expect(await authorizedNumbers()).toEqual(before);
    nro -= 1;
  });

  it('never answers a hung request (the client times out) and processes nothing', async () => {
    const before = await authorizedNumbers();
    await addFault({ service: 'wsfe', operation: 'FECAESolicitar', kind: 'hang', count: 1 });
    await expect(invoice(AbortSignal.timeout(300))).rejects.toThrow(/aborted|timeout/i);
    expect(await authorizedNumbers()).toEqual(before);
    nro -= 1;
  });

  it('authorizes, stores and then drops the answer (authorize-then-drop)', async () => {
    const before = await authorizedNumbers();
    await addFault({ service: 'wsfe', operation: 'FECAESolicitar', kind: 'authorize-then-drop', count: 1 });
    await expect(invoice()).rejects.toThrow();
    expect(await authorizedNumbers()).toEqual([...before, nro]);
    const consult = await callWsfe(
      sandbox,
      'FECompConsultar',
      `<FeCompConsReq><CbteTipo>6</CbteTipo><CbteNro>${nro}</CbteNro><PtoVta>1</PtoVta></FeCompConsReq>`,
      credentials,
    );
    expect(consult.text).toMatch(/<CodAutorizacion>\d{14}<\/CodAutorizacion>/);
  });

  it('authorizes, stores and then answers half of its document (authorize-then-garble)', async () => {
    const before = await authorizedNumbers();
    await addFault({ service: 'wsfe', operation: 'FECAESolicitar', kind: 'authorize-then-garble', count: 1 });
    const answer = await invoice();
    expect(answer.status).toBe(200);
    const text = await answer.text();
    // A whole HTTP answer whose document ends halfway.
    expect(text).not.toMatch(/<\/soap:Envelope>\s*$/);
    expect(await authorizedNumbers()).toEqual([...before, nro]);
  });

  it('applies a rule only to its operation, only `count` times, and never at probability 0', async () => {
    await addFault({ service: 'wsfe', operation: 'FECompTotXRequest', kind: 'http503', count: 2 });
    await addFault({ service: 'wsfe', operation: 'FEDummy', kind: 'http500', probability: 0 });
    expect((await callWsfe(sandbox, 'FEDummy', '')).status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await callWsfe(sandbox, 'FECompTotXRequest', '', credentials)).status);
    expect(statuses).toEqual([503, 503, 200]);
    const listed = (await (await fetch(`${sandbox.url}/__sandbox/faults`)).json()) as {
      faults: { operation: string }[];
    };
    expect(listed.faults.map((rule: { operation: string }) => rule.operation)).toEqual(['FEDummy']);
  });

  it('faults WSAA logins too', async () => {
    await addFault({ service: 'wsaa', kind: 'http503', count: 1 });
    await expect(login(sandbox, '20666666667')).rejects.toThrow(/login failed: 503/);
    await expect(login(sandbox, '20666666667')).resolves.toMatchObject({ cuit: 20666666667 });
  });

  it('refuses a malformed rule naming what is wrong', async () => {
    const response = await addFault({ service: 'wsx', kind: 'explode', probability: 2 });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe(
      'service must be "wsaa", "wsfe" or "padron"; kind must be one of latency, http500, http503, reset, hang, authorize-then-drop, authorize-then-garble, authorize-then-503; probability must be a number from 0 to 1',
    );
  });

  it('takes rules at start (SANDBOX_FAULTS) as well as at run time', async () => {
    const other = await startTestSandbox({
      faults: [{ service: 'wsfe', operation: 'FEDummy', kind: 'http503', probability: 1, count: 1 }],
    });
    try {
      expect((await callWsfe(other, 'FEDummy', '')).status).toBe(503);
      expect((await callWsfe(other, 'FEDummy', '')).status).toBe(200);
    } finally {
      await other.stop();
    }
  });

  it('clears vouchers, logins and faults on reset', async () => {
    await addFault({ service: 'wsfe', kind: 'http500' });
    const state = await (await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' })).json();
    expect(state).toEqual({ vouchers: [], logins: 0 });
    expect((await callWsfe(sandbox, 'FEDummy', '')).status).toBe(200);
    credentials = await login(sandbox, String(CUIT));
    nro = 0;
  });
});
