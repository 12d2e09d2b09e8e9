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

/**
 * What lists and logs show to tell keys apart: the first characters of a generated key (never enough to use);
 * for a key chosen by an operator (ADMIN_API_KEY), whose start may be guessable, the start of its hash instead.
 */
export function displayPrefix(key: string): string {
  if (/^arca_[A-Za-z0-9_-]{43}$/.test(key)) return key.slice(0, PREFIX.length + 6);
  return `sha256:${hashApiKey(key).slice(0, 8)}`;
}

/** Equal hex digests, compared in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
