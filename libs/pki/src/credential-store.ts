import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { webcrypto } from 'node:crypto';
import type { Certificate } from 'pkijs';
import { certificateFromPem, keyMatchesCertificate } from './certificate.js';
import { cuitOfName, formatName } from './distinguished-name.js';
import { importPrivateKeyPem } from './rsa-keys.js';

/** A CUIT's certificate and private key, loaded and checked. The key never leaves the process. */
export interface CuitCredential {
  cuit: string;
  certificate: Certificate;
  privateKey: webcrypto.CryptoKey;
  subject: string;
  notAfter: Date;
  certFile: string;
}

/**
 * A certificate or key that cannot be used. `message` names the files and what to do (for the operator's log);
 * `publicMessage` names only the CUIT and what is wrong, for clients that must not learn the server's paths.
 */
export class CredentialError extends Error {
  constructor(
    message: string,
    readonly publicMessage: string,
  ) {
    super(message);
    this.name = 'CredentialError';
  }
}

const DAY = 86_400_000;

/** Files for a CUIT in `AFIP_CERTS_DIR`: `<cuit>.crt` (PEM certificate) and `<cuit>.key` (PEM PKCS#8 key). */
export function credentialFiles(dir: string, cuit: string): { certFile: string; keyFile: string } {
  return { certFile: join(dir, `${cuit}.crt`), keyFile: join(dir, `${cuit}.key`) };
}

/**
 * The CUITs that have a certificate and a key in `dir`; with `incomplete`, also those with only one of the two
 * (to report what is missing).
 */
export function listCredentialCuits(dir: string, { incomplete = false } = {}): string[] {
  if (!existsSync(dir)) return [];
  const cuits = readdirSync(dir)
    .map((name) => (incomplete ? /^(\d{11})\.(?:crt|key)$/ : /^(\d{11})\.crt$/).exec(name)?.[1])
    .filter(
      (cuit): cuit is string => cuit !== undefined && (incomplete || existsSync(join(dir, `${cuit}.key`))),
    );
  return [...new Set(cuits)].sort();
}

/**
 * Loads and checks one CUIT's credential: both files present, the key not readable by others, the certificate
 * ARCA's (`serialNumber=CUIT <cuit>`), within its validity, and the key its own.
 */
export async function loadCredential(
  dir: string,
  cuit: string,
  now: Date = new Date(),
): Promise<CuitCredential> {
  const { certFile, keyFile } = credentialFiles(dir, cuit);
  for (const file of [certFile, keyFile]) {
    if (!existsSync(file))
      throw new CredentialError(
        `CUIT ${cuit}: ${file} is missing (expected ${certFile} and ${keyFile})`,
        `CUIT ${cuit} has no certificate and private key installed in the gateway`,
      );
  }
  if ((statSync(keyFile).mode & 0o004) !== 0) {
    throw new CredentialError(
      `CUIT ${cuit}: ${keyFile} is readable by every user; restrict it (chmod 600 ${keyFile})`,
      `CUIT ${cuit}'s private key is readable by every user of the gateway's machine, so it is not used`,
    );
  }
  let certificate: Certificate;
  let privateKey: webcrypto.CryptoKey;
  try {
    certificate = certificateFromPem(readFileSync(certFile, 'utf8'));
  } catch (error) {
    throw new CredentialError(
      `CUIT ${cuit}: ${certFile} is not a PEM certificate (${error instanceof Error ? error.message : String(error)})`,
      `CUIT ${cuit}'s certificate is not a PEM certificate`,
    );
  }
  try {
    privateKey = await importPrivateKeyPem(readFileSync(keyFile, 'utf8'));
  } catch (error) {
    throw new CredentialError(
      `CUIT ${cuit}: ${keyFile} is not a usable key (${error instanceof Error ? error.message : String(error)})`,
      `CUIT ${cuit}'s private key is not a usable key`,
    );
  }
  const subjectCuit = cuitOfName(certificate.subject);
  if (subjectCuit !== cuit) {
    throw new CredentialError(
      `CUIT ${cuit}: ${certFile} is issued to ${formatName(certificate.subject)}, not to CUIT ${cuit}`,
      `CUIT ${cuit}'s certificate is issued to another subject`,
    );
  }
  const notAfter = certificate.notAfter.value;
  if (now > notAfter)
    throw new CredentialError(
      `CUIT ${cuit}: ${certFile} expired on ${notAfter.toISOString()}`,
      `CUIT ${cuit}'s certificate expired on ${notAfter.toISOString()}`,
    );
  if (now < certificate.notBefore.value) {
    throw new CredentialError(
      `CUIT ${cuit}: ${certFile} is not valid before ${certificate.notBefore.value.toISOString()}`,
      `CUIT ${cuit}'s certificate is not valid before ${certificate.notBefore.value.toISOString()}`,
    );
  }
  if (!(await keyMatchesCertificate(privateKey, certificate))) {
    throw new CredentialError(
      `CUIT ${cuit}: ${keyFile} is not the key of ${certFile}`,
      `CUIT ${cuit}'s private key does not match its certificate`,
    );
  }
  return { cuit, certificate, privateKey, subject: formatName(certificate.subject), notAfter, certFile };
}

/** Whole days until the certificate expires (negative once expired). */
export function daysLeft(credential: Pick<CuitCredential, 'notAfter'>, now: Date = new Date()): number {
  return Math.floor((credential.notAfter.getTime() - now.getTime()) / DAY);
}
