export {
  certificateFromDer,
  certificateFromPem,
  certificateToPem,
  issueCertificate,
  keyMatchesCertificate,
  publicKeyOf,
} from './certificate.js';
export { DevCa, type CuitCertificateOptions, type IssuedCertificate } from './dev-ca.js';
export { buildName, cuitOfName, formatName, nameAttribute } from './distinguished-name.js';
export { fromPem, toArrayBuffer, toPem } from './pem.js';
export {
  exportPrivateKeyPem,
  generateRsaKeyPair,
  importPrivateKeyPem,
  type KeyPair,
  RSA_SHA256,
} from './rsa-keys.js';
export { createCertificationRequest, type CertificationRequestOptions } from './certification-request.js';
export {
  CredentialError,
  credentialFiles,
  type CuitCredential,
  daysLeft,
  listCredentialCuits,
  loadCredential,
} from './credential-store.js';
