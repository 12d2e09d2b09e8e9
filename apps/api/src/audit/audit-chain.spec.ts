import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { checkJournal, checkLinks, entryHash, GENESIS_HASH, type StoredEntry } from './audit-chain.js';

function chain(count: number): StoredEntry[] {
  const entries: StoredEntry[] = [];
  let previous = GENESIS_HASH;
  for (let index = 1; index <= count; index += 1) {
    const fields = {
      kind: 'invoice.answered',
      actor: 'key',
      subject: `invoice_request/${index}`,
      cuit: '20123456789',
      payload: { cae: `7000000000000${index}`, amounts: [1.5, 2] },
      occurredAt: new Date(1_700_000_000_000 + index),
    };
    const hash = entryHash(previous, fields);
    entries.push({ ...fields, seq: String(index), prevHash: previous, hash });
    previous = hash;
  }
  return entries;
}

describe('audit chain', () => {
  it('accepts an untouched chain and returns the hash to continue from', () => {
    const entries = chain(5);
    expect(checkLinks(GENESIS_HASH, entries)).toEqual({ last: entries[4]!.hash, held: 5 });
    expect(checkLinks(entries[1]!.hash, entries.slice(2))).toEqual({ last: entries[4]!.hash, held: 3 });
  });

  it('hashes the same entry the same whatever the key order of its payload', () => {
    const fields = {
      kind: 'k',
      actor: 'a',
      subject: 's',
      payload: { b: 1, a: { d: 2, c: 3 } },
      occurredAt: new Date(0),
    };
    const reordered = { ...fields, payload: { a: { c: 3, d: 2 }, b: 1 } };
    expect(entryHash(GENESIS_HASH, fields)).toBe(entryHash(GENESIS_HASH, reordered));
  });

  it('names a changed entry by its content', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, payload: { cae: '80000000000003', amounts: [1.5, 2] } };
    expect(checkLinks(GENESIS_HASH, entries)).toMatchObject({
      held: 2,
      broken: { seq: '3', reason: 'hash' },
    });
  });

  it('names the entry after a removed one by its link', () => {
    const entries = chain(5);
    entries.splice(1, 1);
    expect(checkLinks(GENESIS_HASH, entries)).toMatchObject({
      held: 1,
      last: entries[0]!.hash,
      broken: { seq: '3', reason: 'prev_hash' },
    });
  });

  it('names an entry whose hash was recomputed after a change by the next link', () => {
    const entries = chain(4);
    const changed = { ...entries[1]!, actor: 'someone else' };
    entries[1] = { ...changed, hash: entryHash(changed.prevHash, changed) };
    expect(checkLinks(GENESIS_HASH, entries)).toMatchObject({ broken: { seq: '3', reason: 'prev_hash' } });
  });

  it("checks an invoice.requested entry's journal row against the request hash it holds", () => {
    const body = {
      Auth: { Cuit: 20123456789 },
      FeCAEReq: { FeCabReq: { PtoVta: 1, CantReg: 1, CbteTipo: 6 } },
    };
    const requestHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    const requested: StoredEntry = {
      ...chain(1)[0]!,
      kind: 'invoice.requested',
      subject: 'invoice_request/6f1c2a4e-0000-4000-8000-000000000001',
      payload: { ptoVta: 1, cbteTipo: 6, requestHash },
    };
    const id = '6f1c2a4e-0000-4000-8000-000000000001';
    // The same body with its keys in another order is the same request.
    const reordered = {
      FeCAEReq: { FeCabReq: { CbteTipo: 6, CantReg: 1, PtoVta: 1 } },
      Auth: { Cuit: 20123456789 },
    };
    expect(checkJournal([requested], new Map([[id, reordered]]))).toBeUndefined();
    const changed = { ...body, Auth: { Cuit: 20111111112 } };
    expect(checkJournal([requested], new Map([[id, changed]]))).toMatchObject({
      seq: '1',
      reason: 'journal',
      expected: requestHash,
    });
    expect(checkJournal([requested], new Map())).toMatchObject({ reason: 'journal', stored: 'missing' });
    // Other entries have no journal row to check.
    expect(checkJournal(chain(3), new Map())).toBeUndefined();
  });
});
