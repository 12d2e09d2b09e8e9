import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The hash of the entry before the first. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers: everything but its sequence number and the hashes themselves. */
export interface ChainedFields {
  kind: string;
  actor: string;
  subject: string;
  cuit?: string;
  payload: unknown;
  occurredAt: Date;
}

/** hash = sha256(previous hash || canonical JSON of the entry). */
export function entryHash(prevHash: string, entry: ChainedFields): string {
  const canonical = canonicalJson({
    kind: entry.kind,
    actor: entry.actor,
    subject: entry.subject,
    cuit: entry.cuit,
    payload: entry.payload,
    occurredAt: entry.occurredAt,
  });
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}

export interface StoredEntry extends ChainedFields {
  seq: string;
  prevHash: string;
  hash: string;
}

export interface BrokenLink {
  seq: string;
  kind: string;
  occurredAt: string;
  /** `prev_hash`: the entry does not point at the one before it (one was removed or inserted); `hash`: its content changed. */
  reason: 'prev_hash' | 'hash';
  expected: string;
  stored: string;
}

/**
 * Walks entries in order from the hash that precedes the first of them. `last` is the hash after the last entry
 * that holds (to continue from); `broken` the first link that does not hold, with how many held before it.
 */
export function checkLinks(
  previous: string,
  entries: StoredEntry[],
): { last: string; held: number; broken?: BrokenLink } {
  let expectedPrev = previous;
  for (const [held, entry] of entries.entries()) {
    const where = { seq: entry.seq, kind: entry.kind, occurredAt: entry.occurredAt.toISOString() };
    if (entry.prevHash !== expectedPrev) {
      return {
        last: expectedPrev,
        held,
        broken: { ...where, reason: 'prev_hash', expected: expectedPrev, stored: entry.prevHash },
      };
    }
    const recomputed = entryHash(entry.prevHash, entry);
    if (recomputed !== entry.hash) {
      return {
        last: expectedPrev,
        held,
        broken: { ...where, reason: 'hash', expected: recomputed, stored: entry.hash },
      };
    }
    expectedPrev = entry.hash;
  }
  return { last: expectedPrev, held: entries.length };
}
