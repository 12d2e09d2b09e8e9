import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCertificationRequest } from './certification-request.js';
import { credentialFiles, daysLeft, listCredentialCuits, loadCredential } from './credential-store.js';
import { DevCa } from './dev-ca.js';

describe('credential store (AFIP_CERTS_DIR)', () => {
  const root = mkdtempSync(join(tmpdir(), 'arca-creds-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const DAY = 86_400_000;

  it('loads a CUIT whose certificate and key match, and reports the days left', async () => {
    const ca = await DevCa.loadOrCreate(join(root, 'ca'));
    const dir = join(root, 'good');
    await ca.writeCuitCertificate(dir, { cuit: '20123456789', alias: 'caja1' });
    const credential = await loadCredential(dir, '20123456789');
    expect(credential.subject).toBe('SERIALNUMBER=CUIT 20123456789, CN=caja1');
    expect(daysLeft(credential)).toBeGreaterThanOrEqual(729);
    expect(listCredentialCuits(dir)).toEqual(['20123456789']);
    writeFileSync(join(dir, '30712345678.key'), 'a key without its certificate');
    expect(listCredentialCuits(dir)).toEqual(['20123456789']);
    expect(listCredentialCuits(dir, { incomplete: true })).toEqual(['20123456789', '30712345678']);
  });

  it('names the CUIT and the file for each way a credential can be unusable', async () => {
    const ca = await DevCa.loadOrCreate(join(root, 'ca'));
    const dir = join(root, 'bad');
    await expect(loadCredential(dir, '20111111112')).rejects.toThrow(
      `CUIT 20111111112: ${join(dir, '20111111112.crt')} is missing (expected ${join(dir, '20111111112.crt')} and ${join(dir, '20111111112.key')})`,
    );
    await ca.writeCuitCertificate(dir, { cuit: '20111111112' });
    await ca.writeCuitCertificate(join(root, 'other'), { cuit: '20111111112' });
    copyFileSync(join(root, 'other', '20111111112.key'), join(dir, '20111111112.key'));
    chmodSync(join(dir, '20111111112.key'), 0o600);
    await expect(loadCredential(dir, '20111111112')).rejects.toThrow(
      `${join(dir, '20111111112.key')} is not the key of ${join(dir, '20111111112.crt')}`,
    );
    chmodSync(join(dir, '20111111112.key'), 0o644);
    await expect(loadCredential(dir, '20111111112')).rejects.toThrow(
      'is readable by every user; restrict it (chmod 600',
    );
    const now = new Date();
    await ca.writeCuitCertificate(dir, {
      cuit: '20222222223',
      notBefore: new Date(now.getTime() - 800 * DAY),
      notAfter: new Date(now.getTime() - DAY),
    });
    await expect(loadCredential(dir, '20222222223')).rejects.toThrow(
      /CUIT 20222222223: .*20222222223.crt expired on/,
    );
    await ca.writeCuitCertificate(dir, { cuit: '20333333334' });
    copyFileSync(credentialFiles(dir, '20333333334').certFile, credentialFiles(dir, '20444444445').certFile);
    copyFileSync(credentialFiles(dir, '20333333334').keyFile, credentialFiles(dir, '20444444445').keyFile);
    await expect(loadCredential(dir, '20444444445')).rejects.toThrow(
      'is issued to SERIALNUMBER=CUIT 20333333334, CN=arca-gateway-20333333334, not to CUIT 20444444445',
    );
    mkdirSync(join(root, 'garbage'));
    writeFileSync(join(root, 'garbage', '20555555556.crt'), 'not pem');
    writeFileSync(join(root, 'garbage', '20555555556.key'), 'not pem', { mode: 0o600 });
    await expect(loadCredential(join(root, 'garbage'), '20555555556')).rejects.toThrow(
      'is not a PEM certificate',
    );
  });

  it("writes a CSR in ARCA's subject format that openssl verifies", async () => {
    const { csrPem, privateKeyPem } = await createCertificationRequest({
      cuit: '20123456789',
      organization: 'Mi Empresa SA',
      alias: 'pos-gateway',
    });
    writeFileSync(join(root, 'req.csr'), csrPem);
    const text = execFileSync(
      'openssl',
      ['req', '-in', join(root, 'req.csr'), '-noout', '-verify', '-subject', '-nameopt', 'compat', '-text'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(text).toContain('subject=/C=AR/O=Mi Empresa SA/CN=pos-gateway/serialNumber=CUIT 20123456789');
    expect(text).toMatch(/Public-Key: \(2048 bit\)/);
    expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE[ ]KEY-----\n/);
  });
});
