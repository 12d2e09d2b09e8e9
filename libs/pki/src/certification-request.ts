import { CertificationRequest } from 'pkijs';
import { buildName } from './distinguished-name.js';
import { toPem } from './pem.js';
import { exportPrivateKeyPem, generateRsaKeyPair } from './rsa-keys.js';

export interface CertificationRequestOptions {
  cuit: string;
  /** The organization (razón social) as ARCA knows it. */
  organization: string;
  /** The certificate's alias (CN) you will register in ARCA. */
  alias: string;
}

/**
 * A new RSA 2048 key and a PKCS#10 request with ARCA's subject, `C=AR, O=<org>, CN=<alias>, serialNumber=CUIT
 * <cuit>`, signed with SHA-256 (PROTOCOL.md 5, certificates). The CSR is uploaded to ARCA (WSASS in
 * homologation, "Administración de Certificados Digitales" in production); the key stays with you.
 */
export async function createCertificationRequest(
  options: CertificationRequestOptions,
): Promise<{ csrPem: string; privateKeyPem: string }> {
  if (!/^\d{11}$/.test(options.cuit)) throw new Error(`a CUIT has 11 digits, got "${options.cuit}"`);
  if (!options.organization.trim() || !options.alias.trim())
    throw new Error('organization and alias must not be empty');
  const keys = await generateRsaKeyPair(2048);
  const request = new CertificationRequest();
  request.version = 0;
  request.subject = buildName([
    ['C', 'AR'],
    ['O', options.organization],
    ['CN', options.alias],
    ['SERIALNUMBER', `CUIT ${options.cuit}`],
  ]);
  request.attributes = [];
  await request.subjectPublicKeyInfo.importKey(keys.publicKey);
  await request.sign(keys.privateKey, 'SHA-256');
  return {
    csrPem: toPem('CERTIFICATE REQUEST', request.toSchema().toBER(false)),
    privateKeyPem: await exportPrivateKeyPem(keys.privateKey),
  };
}
