import { randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import { BasicConstraints, Certificate, Extension } from 'pkijs';
import { buildName, type NameAttribute } from './distinguished-name.js';
import { fromPem, toArrayBuffer, toPem } from './pem.js';
import { RSA_SHA256 } from './rsa-keys.js';

type CryptoKey = webcrypto.CryptoKey;

export interface CertificateRequest {
  subject: [NameAttribute, string][];
  publicKey: CryptoKey;
  notBefore: Date;
  notAfter: Date;
  isCa?: boolean;
}

export interface Issuer {
  certificate: Certificate;
  privateKey: CryptoKey;
}

/**
 * Issues an X.509 v3 certificate signed with SHA-256/RSA by `issuer` (or self-signed when `issuer` is absent,
 * in which case `selfKey` signs).
 */
export async function issueCertificate(
  request: CertificateRequest,
  issuer: Issuer | { selfKey: CryptoKey },
): Promise<Certificate> {
  const certificate = new Certificate();
  certificate.version = 2;
  const serial = randomBytes(12);
  serial[0] = (serial[0] as number) & 0x7f; // positive INTEGER
  certificate.serialNumber = new asn1js.Integer({ valueHex: toArrayBuffer(serial) });
  certificate.subject = buildName(request.subject);
  certificate.issuer = 'certificate' in issuer ? issuer.certificate.subject : buildName(request.subject);
  certificate.notBefore.value = request.notBefore;
  certificate.notAfter.value = request.notAfter;
  const basicConstraints = new BasicConstraints({ cA: request.isCa ?? false });
  // keyUsage: digitalSignature for end entities; keyCertSign + cRLSign for a CA.
  const keyUsage = new asn1js.BitString({
    valueHex: toArrayBuffer(new Uint8Array([request.isCa ? 0x06 : 0x80])),
    unusedBits: request.isCa ? 1 : 7,
  });
  certificate.extensions = [
    new Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: basicConstraints.toSchema().toBER(false),
      parsedValue: basicConstraints,
    }),
    new Extension({ extnID: '2.5.29.15', critical: true, extnValue: keyUsage.toBER(false) }),
  ];
  await certificate.subjectPublicKeyInfo.importKey(request.publicKey);
  await certificate.sign('certificate' in issuer ? issuer.privateKey : issuer.selfKey, 'SHA-256');
  return certificate;
}

export function certificateToPem(certificate: Certificate): string {
  return toPem('CERTIFICATE', certificate.toSchema(true).toBER(false));
}

export function certificateFromPem(pem: string): Certificate {
  return certificateFromDer(fromPem('CERTIFICATE', pem));
}

export function certificateFromDer(der: Uint8Array): Certificate {
  return Certificate.fromBER(toArrayBuffer(der));
}

/** The certificate's public key as a WebCrypto key for RSA/SHA-256 verification. */
export async function publicKeyOf(certificate: Certificate): Promise<CryptoKey> {
  const spki = certificate.subjectPublicKeyInfo.toSchema().toBER(false);
  return webcrypto.subtle.importKey('spki', spki, RSA_SHA256, true, ['verify']);
}

/** True when `privateKey` is the key of `certificate`: it signs a probe the certificate's key verifies. */
export async function keyMatchesCertificate(
  privateKey: CryptoKey,
  certificate: Certificate,
): Promise<boolean> {
  const probe = randomBytes(32);
  const signature = await webcrypto.subtle.sign(RSA_SHA256, privateKey, probe);
  return webcrypto.subtle.verify(RSA_SHA256, await publicKeyOf(certificate), signature, probe);
}
