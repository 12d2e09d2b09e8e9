import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTestSandbox, type TestSandbox } from '#libs/testing';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

describe("readiness follows ARCA's FEDummy without hammering it", () => {
  let sandbox: TestSandbox;
  const sandboxLog: string[] = [];
  beforeAll(async () => {
    sandbox = await startTestSandbox({ log: (line) => sandboxLog.push(line) });
  });
  afterAll(() => sandbox.stop());

  it('asks FEDummy once for a burst of probes', async () => {
    const gateway = await startTestGateway({
      AFIP_WSAA_URL: sandbox.wsaaUrl,
      AFIP_WSFE_URL: sandbox.wsfeUrl,
    });
    try {
      const http = request(gateway.app.getHttpServer());
      for (let i = 0; i < 20; i += 1) await http.get('/health/ready').expect(200);
      expect(sandboxLog.filter((line) => line.startsWith('wsfe FEDummy'))).toHaveLength(1);
    } finally {
      await gateway.close();
    }
  });

  it('is not ready (503, the failing check named) when ARCA does not answer', async () => {
    const gateway: TestGateway = await startTestGateway({
      AFIP_WSAA_URL: sandbox.wsaaUrl,
      AFIP_WSFE_URL: `http://127.0.0.1:${await freePort()}/wsfev1/service.asmx`,
    });
    try {
      const response = await request(gateway.app.getHttpServer()).get('/health/ready').expect(503);
      expect(response.body).toMatchObject({
        statusCode: 503,
        code: 'NOT_READY',
        details: {
          database: { status: 'up' },
          arca: { status: 'down', message: expect.stringContaining('cannot reach') },
        },
      });
    } finally {
      await gateway.close();
    }
  });
});
