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
  /**
   * `prev_hash`: the entry does not point at the one before it (one was removed or inserted); `hash`: its content
   * changed; `journal`: the journal row it hashes (an `invoice.requested` entry's request body) changed or is gone;
   * `checkpoint`: the entry a checkpoint names no longer has the hash noted.
   */
  reason: 'prev_hash' | 'hash' | 'journal' | 'checkpoint';
  /** Left out where it would be another tenant's hash (a CUIT-scoped verification's `prev_hash`). */
  expected?: string;
  stored?: string;
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

/** The journal row an `invoice.requested` entry hashes (`payload.requestHash` of `subject` invoice_request/<id>). */
export function journalReference(entry: ChainedFields): { id: string; requestHash: string } | undefined {
  if (entry.kind !== 'invoice.requested' || !entry.subject.startsWith('invoice_request/')) return undefined;
  const requestHash = (entry.payload as { requestHash?: unknown } | null)?.requestHash;
  return typeof requestHash === 'string'
    ? { id: entry.subject.slice('invoice_request/'.length), requestHash }
    : undefined;
}

/**
 * The first entry whose journal row no longer matches the hash the entry holds: the request body is kept in the
 * journal, not in the trail, so the trail proves it through its hash. `requests`: the rows' bodies by id.
 */
export function checkJournal(entries: StoredEntry[], requests: Map<string, unknown>): BrokenLink | undefined {
  for (const entry of entries) {
    const reference = journalReference(entry);
    if (!reference) continue;
    const body = requests.get(reference.id);
    const recomputed =
      body === undefined ? 'missing' : createHash('sha256').update(canonicalJson(body)).digest('hex');
    if (recomputed !== reference.requestHash)
      return {
        seq: entry.seq,
        kind: entry.kind,
        occurredAt: entry.occurredAt.toISOString(),
        reason: 'journal',
        expected: reference.requestHash,
        stored: recomputed,
      };
  }
  return undefined;
}
