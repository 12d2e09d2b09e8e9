import type { Certificate } from 'pkijs';
import { ContentInfo, IssuerAndSerialNumber, SignedData } from 'pkijs';
import { formatName } from '#libs/pki';
import { WsaaFault } from './wsaa-fault.js';

const SIGNED_DATA = '1.2.840.113549.1.7.2';
const ACCEPTED_DIGESTS = new Set(['1.3.14.3.2.26', '2.16.840.1.101.3.4.2.1']); // SHA-1, SHA-256 (PROTOCOL.md 2.2)

export interface VerifiedCms {
  content: string;
  signer: Certificate;
  signerDn: string;
}

/**
 * Checks a loginCms `in0` in ARCA's observed order (PROTOCOL.md 2.2): base64, CMS structure, signer certificate
 * present, signature, certificate dates, trust in the sandbox CA. Each failure is WSAA's fault code.
 */
export async function verifyLoginCms(in0: string, ca: Certificate, now: Date): Promise<VerifiedCms> {
  const compact = in0.replace(/\s+/g, '');
  if (compact === '' || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact))
    throw new WsaaFault('cms.bad.base64');
  const der = Buffer.from(compact, 'base64');

  let signedData: SignedData;
  try {
    const contentInfo = ContentInfo.fromBER(
      der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer,
    );
    if (contentInfo.contentType !== SIGNED_DATA) throw new Error('not SignedData');
    signedData = new SignedData({ schema: contentInfo.content });
  } catch {
    throw new WsaaFault('cms.bad');
  }
  const signerInfo = signedData.signerInfos[0];
  const eContent = signedData.encapContentInfo.eContent;
  if (!signerInfo) throw new WsaaFault('cms.bad');
  // A detached CMS carries no TRA: ARCA answers cms.sign.invalid (PROTOCOL.md 2.2).
  if (!eContent) throw new WsaaFault('cms.sign.invalid');

  const signer = findSigner(signedData);
  if (!signer) throw new WsaaFault('cms.cert.notFound');
  if (!ACCEPTED_DIGESTS.has(signerInfo.digestAlgorithm.algorithmId)) throw new WsaaFault('cms.sign.invalid');
  const valid = await signedData.verify({ signer: 0, checkChain: false }).catch(() => false);
  if (!valid) throw new WsaaFault('cms.sign.invalid');

  if (now < signer.notBefore.value) throw new WsaaFault('cms.cert.invalid');
  if (now > signer.notAfter.value) throw new WsaaFault('cms.cert.expired');
  if (!(await issuedBy(signer, ca))) throw new WsaaFault('cms.cert.untrusted');

  return {
    content: Buffer.from(eContent.getValue()).toString('utf8'),
    signer,
    signerDn: formatName(signer.subject),
  };
}

function findSigner(signedData: SignedData): Certificate | undefined {
  const sid = signedData.signerInfos[0]?.sid;
  const certificates = (signedData.certificates ?? []).filter(
    (item): item is Certificate => 'subjectPublicKeyInfo' in item,
  );
  if (!(sid instanceof IssuerAndSerialNumber)) return certificates[0];
  return certificates.find(
    (certificate) =>
      certificate.issuer.isEqual(sid.issuer) && certificate.serialNumber.isEqual(sid.serialNumber),
  );
}

async function issuedBy(certificate: Certificate, ca: Certificate): Promise<boolean> {
  if (!certificate.issuer.isEqual(ca.subject)) return false;
  try {
    return await certificate.verify(ca);
  } catch {
    return false;
  }
}
