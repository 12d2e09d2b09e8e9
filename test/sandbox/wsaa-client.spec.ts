import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapTransport } from '#libs/afip-soap';
import { buildTra, NtpClock, signCms, WsaaClient, WsaaError } from '#libs/afip-wsaa';
import { certificateFromPem, importPrivateKeyPem } from '#libs/pki';
import { freePort, startNtpResponder, startTestSandbox, type TestSandbox } from '#libs/testing';

describe('WsaaClient (libs/afip-wsaa) against the sandbox', () => {
  let sandbox: TestSandbox;
  const transport = new SoapTransport();
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(async () => {
    transport.close();
    await sandbox.stop();
  });

  async function credential(cuit: string) {
    const issued = await sandbox.ca.issueCuitCertificate({ cuit });
    return {
      certificate: certificateFromPem(issued.certificatePem),
      key: await importPrivateKeyPem(issued.privateKeyPem),
    };
  }

  it('logs in and parses the ticket', async () => {
    const { certificate, key } = await credential('20123456789');
    const client = new WsaaClient({ url: sandbox.wsaaUrl, transport });
    const now = new Date();
    const ticket = await client.login(
      await signCms(buildTra({ service: 'wsfe', now }), certificate, key, now),
    );
    expect(ticket.expirationTime.getTime() - ticket.generationTime.getTime()).toBe(12 * 3_600_000);
    expect(ticket.destination).toBe('SERIALNUMBER=CUIT 20123456789, CN=arca-gateway-20123456789');
    expect(Buffer.from(ticket.token, 'base64').toString()).toContain('<relation key="20123456789"');
    expect(ticket.sign).toHaveLength(172);
  });

  it("turns WSAA's faults into WsaaError with ARCA's code", async () => {
    const { certificate, key } = await credential('20123456780');
    const client = new WsaaClient({ url: sandbox.wsaaUrl, transport });
    const now = new Date();
    await client.login(await signCms(buildTra({ service: 'wsfe', now }), certificate, key, now));
    const again = await client
      .login(await signCms(buildTra({ service: 'wsfe', now }), certificate, key, now))
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(WsaaError);
    expect(again).toMatchObject({
      code: 'coe.alreadyAuthenticated',
      alreadyAuthenticated: true,
      transient: false,
    });
    const unreachable = new WsaaClient({
      url: `http://127.0.0.1:${await freePort()}/ws/services/LoginCms`,
      transport,
      timeoutMs: 500,
    });
    await expect(unreachable.login(new Uint8Array([1]))).rejects.toMatchObject({
      code: 'transport',
      transient: true,
    });
  });

  it('logs in with the system clock 20 minutes fast when a local NTP server tells the truth, and not without it', async () => {
    const fast = () => Date.now() + 20 * 60_000;
    const { certificate, key } = await credential('20123456781');
    const client = new WsaaClient({ url: sandbox.wsaaUrl, transport });
    const uncorrected = new Date(fast());
    const refused = await client
      .login(await signCms(buildTra({ service: 'wsfe', now: uncorrected }), certificate, key, uncorrected))
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'xml.generationTime.invalid' });
    const ntp = await startNtpResponder();
    try {
      const clock = new NtpClock({ server: ntp.address, systemNow: fast });
      await clock.sync();
      const now = clock.now();
      const ticket = await client.login(
        await signCms(buildTra({ service: 'wsfe', now }), certificate, key, now),
      );
      expect(ticket.token).toBeTruthy();
    } finally {
      await ntp.close();
    }
  });
});
