import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateFromPem, keyMatchesCertificate } from './certificate.js';
import { DevCa } from './dev-ca.js';
import { cuitOfName, formatName } from './distinguished-name.js';
import { generateRsaKeyPair, importPrivateKeyPem } from './rsa-keys.js';

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });

describe('DevCa (the sandbox CA)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-pki-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates its CA once and reloads the same one afterwards', async () => {
    const first = await DevCa.loadOrCreate(join(dir, 'ca'));
    const second = await DevCa.loadOrCreate(join(dir, 'ca'));
    expect(second.certificatePem).toBe(first.certificatePem);
    expect(statSync(join(dir, 'ca', 'sandbox-ca.key')).mode & 0o777).toBe(0o600);
    expect(openssl('x509', '-in', join(dir, 'ca', 'sandbox-ca.crt'), '-noout', '-text')).toMatch(/CA:TRUE/);
  });

  it("issues a CUIT certificate in ARCA's subject format that openssl verifies against the CA", async () => {
    const ca = await DevCa.loadOrCreate(join(dir, 'ca'));
    const { certFile, keyFile } = await ca.writeCuitCertificate(join(dir, 'certs'), {
      cuit: '20123456789',
      alias: 'caja1',
    });
    expect(certFile).toBe(join(dir, 'certs', '20123456789.crt'));
    expect(openssl('x509', '-in', certFile, '-noout', '-subject', '-nameopt', 'RFC2253')).toBe(
      'subject=serialNumber=CUIT 20123456789,CN=caja1\n',
    );
    expect(openssl('verify', '-CAfile', join(dir, 'ca', 'sandbox-ca.crt'), certFile)).toBe(
      `${certFile}: OK\n`,
    );
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const certificate = certificateFromPem(readFileSync(certFile, 'utf8'));
    expect(formatName(certificate.subject)).toBe('SERIALNUMBER=CUIT 20123456789, CN=caja1');
    expect(cuitOfName(certificate.subject)).toBe('20123456789');
    const key = await importPrivateKeyPem(readFileSync(keyFile, 'utf8'));
    expect(await keyMatchesCertificate(key, certificate)).toBe(true);
    expect(await keyMatchesCertificate((await generateRsaKeyPair()).privateKey, certificate)).toBe(false);
  });

  it('refuses a CUIT that is not 11 digits', async () => {
    const ca = await DevCa.loadOrCreate(join(dir, 'ca'));
    await expect(ca.issueCuitCertificate({ cuit: '20-12345678-9' })).rejects.toThrow('a CUIT has 11 digits');
  });
});
