import { webcrypto } from 'node:crypto';
import { fromPem, toArrayBuffer, toPem } from './pem.js';

type CryptoKey = webcrypto.CryptoKey;

// RSA with SHA-256 (RSASSA-PKCS1-v1_5): what ARCA's WSAA accepts and its certificates use.
export const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

export interface KeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export async function generateRsaKeyPair(modulusLength = 2048): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey(
    { ...RSA_SHA256, modulusLength, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )) as KeyPair;
}

export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  return toPem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

/** Reads an unencrypted PKCS#8 RSA key (the PEM label is `PRIVATE KEY`). */
export async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  if (/BEGIN (RSA |ENCRYPTED )PRIVATE KEY/.test(pem)) {
    throw new Error(
      'the key must be unencrypted PKCS#8 (PEM label "PRIVATE KEY"); convert it with `openssl pkcs8 -topk8 -nocrypt`',
    );
  }
  return webcrypto.subtle.importKey('pkcs8', toArrayBuffer(fromPem('PRIVATE KEY', pem)), RSA_SHA256, true, [
    'sign',
  ]);
}
