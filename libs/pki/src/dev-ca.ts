import type { webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Certificate } from 'pkijs';
import { certificateFromPem, certificateToPem, issueCertificate } from './certificate.js';
import { exportPrivateKeyPem, generateRsaKeyPair, importPrivateKeyPem } from './rsa-keys.js';

type CryptoKey = webcrypto.CryptoKey;

const DAY = 86_400_000;

export interface IssuedCertificate {
  certificate: Certificate;
  certificatePem: string;
  privateKeyPem: string;
}

export interface CuitCertificateOptions {
  cuit: string;
  /** CN of the certificate, the "alias" ARCA's WSASS asks for. Default `arca-gateway-<cuit>`. */
  alias?: string;
  notBefore?: Date;
  notAfter?: Date;
}

/**
 * The sandbox's certificate authority, standing in for ARCA's "Computadores Test" CA: kept as `sandbox-ca.crt`
 * and `sandbox-ca.key` in a directory, created on first use, and able to issue per-CUIT certificates with the
 * subject ARCA's self-service (WSASS) forces: `SERIALNUMBER=CUIT <cuit>, CN=<alias>`, valid two years.
 * Development only: its key sits unencrypted on disk.
 */
export class DevCa {
  private constructor(
    readonly certificate: Certificate,
    readonly certificatePem: string,
    private readonly privateKey: CryptoKey,
  ) {}

  static async loadOrCreate(dir: string, now: Date = new Date()): Promise<DevCa> {
    const certFile = join(dir, 'sandbox-ca.crt');
    const keyFile = join(dir, 'sandbox-ca.key');
    if (!existsSync(certFile) || !existsSync(keyFile)) {
      mkdirSync(dir, { recursive: true });
      const keys = await generateRsaKeyPair();
      const certificate = await issueCertificate(
        {
          subject: [
            ['C', 'AR'],
            ['O', 'arca-gateway sandbox'],
            ['CN', 'Computadores Test Sandbox'],
          ],
          publicKey: keys.publicKey,
          notBefore: new Date(now.getTime() - DAY),
          notAfter: new Date(now.getTime() + 3650 * DAY),
          isCa: true,
        },
        { selfKey: keys.privateKey },
      );
      // Written under temporary names and renamed, so a concurrent reader never sees half a CA.
      writePrivate(keyFile, await exportPrivateKeyPem(keys.privateKey));
      writeAtomically(certFile, certificateToPem(certificate));
    }
    const certificatePem = readFileSync(certFile, 'utf8');
    return new DevCa(
      certificateFromPem(certificatePem),
      certificatePem,
      await importPrivateKeyPem(readFileSync(keyFile, 'utf8')),
    );
  }

  async issueCuitCertificate(
    options: CuitCertificateOptions,
    now: Date = new Date(),
  ): Promise<IssuedCertificate> {
    if (!/^\d{11}$/.test(options.cuit)) throw new Error(`a CUIT has 11 digits, got "${options.cuit}"`);
    const keys = await generateRsaKeyPair();
    const certificate = await issueCertificate(
      {
        subject: [
          ['CN', options.alias ?? `arca-gateway-${options.cuit}`],
          ['SERIALNUMBER', `CUIT ${options.cuit}`],
        ],
        publicKey: keys.publicKey,
        notBefore: options.notBefore ?? new Date(now.getTime() - 60_000),
        notAfter: options.notAfter ?? new Date(now.getTime() + 730 * DAY),
      },
      { certificate: this.certificate, privateKey: this.privateKey },
    );
    return {
      certificate,
      certificatePem: certificateToPem(certificate),
      privateKeyPem: await exportPrivateKeyPem(keys.privateKey),
    };
  }

  /** Writes `<dir>/<cuit>.crt` and `<dir>/<cuit>.key` (mode 0600), the layout the gateway reads. */
  async writeCuitCertificate(
    dir: string,
    options: CuitCertificateOptions,
  ): Promise<{ certFile: string; keyFile: string }> {
    const issued = await this.issueCuitCertificate(options);
    mkdirSync(dir, { recursive: true });
    const certFile = join(dir, `${options.cuit}.crt`);
    const keyFile = join(dir, `${options.cuit}.key`);
    writePrivate(keyFile, issued.privateKeyPem);
    writeAtomically(certFile, issued.certificatePem);
    return { certFile, keyFile };
  }
}

function writeAtomically(file: string, content: string, mode = 0o644): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, file);
}

function writePrivate(file: string, content: string): void {
  writeAtomically(file, content, 0o600);
}
