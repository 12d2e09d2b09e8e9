import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every key starts so: easy to recognise in a leaked file, and to tell from other secrets. */
const PREFIX = 'arca_';

/** A new key: 32 random bytes, base64url, after the prefix (48 characters in all). */
export function generateApiKey(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** What is stored: the SHA-256 of the key, hex. A random 256-bit key needs no salt or slow hash. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What lists show to tell keys apart: the first characters, never enough to use. */
export function displayPrefix(key: string): string {
  return key.slice(0, PREFIX.length + 6);
}

/** Equal hex digests, compared in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
