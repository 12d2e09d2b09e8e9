import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateFromPem, DevCa, importPrivateKeyPem } from '#libs/pki';
import { signCms } from './cms-signer.js';
import { buildTra } from './tra.js';

describe('signCms', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-cms-'));
  let ca: DevCa;
  let cms: Uint8Array;
  const tra = buildTra({ service: 'wsfe', now: new Date('2026-11-23T23:00:00Z'), uniqueId: 1795474800 });
  beforeAll(async () => {
    ca = await DevCa.loadOrCreate(join(dir, 'ca'));
    await ca.writeCuitCertificate(join(dir, 'certs'), { cuit: '20123456789', alias: 'caja1' });
    const certificate = certificateFromPem(readFileSync(join(dir, 'certs', '20123456789.crt'), 'utf8'));
    const key = await importPrivateKeyPem(readFileSync(join(dir, 'certs', '20123456789.key'), 'utf8'));
    cms = await signCms(tra, certificate, key, new Date());
    writeFileSync(join(dir, 'tra.cms'), cms);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** openssl's own check: signature, content digest and chain to the sandbox CA. */
  const opensslVerify = (file: string, out?: string) =>
    execFileSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-inform',
        'DER',
        '-in',
        file,
        '-CAfile',
        join(dir, 'ca', 'sandbox-ca.crt'),
        ...(out ? ['-out', out] : []),
      ],
      { stdio: 'pipe' },
    );

  it('produces a CMS that openssl verifies against the CA and that carries the TRA', () => {
    const out = join(dir, 'content.xml');
    opensslVerify(join(dir, 'tra.cms'), out);
    expect(readFileSync(out, 'utf8')).toBe(tra);
  });

  it("has WSAA's shape: SHA-256, issuer and serial, signed attributes, the signer certificate inside", () => {
    const printed = execFileSync(
      'openssl',
      ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(dir, 'tra.cms')],
      { encoding: 'utf8' },
    );
    expect(printed).toMatch(/digestAlgorithm:\s+algorithm: sha256/);
    expect(printed).toMatch(/issuerAndSerialNumber/);
    expect(printed).toMatch(/object: contentType/);
    expect(printed).toMatch(/object: signingTime/);
    expect(printed).toMatch(/object: messageDigest/);
    expect(printed).toMatch(/serialNumber=CUIT 20123456789/);
  });

  it('fails verification once a byte of the signed content changes', () => {
    const tampered = Buffer.from(cms);
    const at = tampered.indexOf(Buffer.from('<service>wsfe'));
    tampered[at + 9] = 'x'.charCodeAt(0);
    writeFileSync(join(dir, 'tampered.cms'), tampered);
    expect(() => opensslVerify(join(dir, 'tampered.cms'))).toThrow(/digest failure|verification failure/i);
  });

  it('writes TRA times with the -03:00 offset, ten minutes either side', () => {
    expect(tra).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><loginTicketRequest version="1.0"><header><uniqueId>1795474800</uniqueId>' +
        '<generationTime>2026-11-23T19:50:00-03:00</generationTime><expirationTime>2026-11-23T20:10:00-03:00</expirationTime>' +
        '</header><service>wsfe</service></loginTicketRequest>',
    );
  });
});
