import { createHash } from 'node:crypto';
import type { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import {
  Attribute,
  type Certificate,
  ContentInfo,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedAndUnsignedAttributes,
  SignedData,
  SignerInfo,
} from 'pkijs';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
};

/**
 * CMS SignedData as WSAA's loginCms expects it (PROTOCOL.md 2.2): the TRA encapsulated (attached), SHA-256 with
 * RSA, the signer identified by issuer and serial number, signed attributes contentType, signingTime and
 * messageDigest, and the signer certificate included. Returns DER; `loginCms` sends it base64-encoded.
 */
export async function signCms(
  content: string | Uint8Array,
  certificate: Certificate,
  privateKey: webcrypto.CryptoKey,
  signingTime: Date,
): Promise<Uint8Array> {
  const data = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const digest = createHash('sha256').update(data).digest();
  const signedData = new SignedData({
    version: 1,
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: OID.data,
      eContent: new asn1js.OctetString({ valueHex: toArrayBuffer(data) }),
    }),
    signerInfos: [
      new SignerInfo({
        version: 1,
        sid: new IssuerAndSerialNumber({
          issuer: certificate.issuer,
          serialNumber: certificate.serialNumber,
        }),
        signedAttrs: new SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new Attribute({
              type: OID.contentType,
              values: [new asn1js.ObjectIdentifier({ value: OID.data })],
            }),
            new Attribute({
              type: OID.signingTime,
              values: [new asn1js.UTCTime({ valueDate: signingTime })],
            }),
            new Attribute({
              type: OID.messageDigest,
              values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })],
            }),
          ],
        }),
      }),
    ],
    certificates: [certificate],
  });
  await signedData.sign(privateKey, 0, 'SHA-256');
  const contentInfo = new ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
