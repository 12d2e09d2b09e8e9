import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { billingWorld, call, createKey, CUIT, facturaB } from '../billing/billing-harness.js';

// Every role against every /v1 endpoint, in and out of its scope, over HTTP with keys made through the API.
const OTHER = 30712345678;
// The sandbox makes a certificate for any CUIT, so the admin really issues for OTHER too.
type Column = 'admin' | 'pos' | 'auditor' | 'otherAuditor' | 'none' | 'unknown';

interface Case {
  name: string;
  method: string;
  path: (ids: { invoiceId: string }) => string;
  body?: () => unknown;
  expect: Partial<Record<Column, number>>;
}

const CASES: Case[] = [
  {
    name: 'POST invoice, own CUIT and point of sale',
    method: 'POST',
    path: () => '/v1/invoices',
    body: () => facturaB({}, 1),
    expect: { admin: 201, pos: 201, auditor: 403, otherAuditor: 403 },
  },
  {
    name: 'POST invoice, another point of sale',
    method: 'POST',
    path: () => '/v1/invoices',
    body: () => facturaB({}, 2),
    expect: { admin: 201, pos: 403, auditor: 403, otherAuditor: 403 },
  },
  {
    name: 'POST invoice, another CUIT',
    method: 'POST',
    path: () => '/v1/invoices',
    body: () => ({ ...facturaB({}, 1), Auth: { Cuit: OTHER } }),
    expect: { admin: 201, pos: 403, auditor: 403, otherAuditor: 403 },
  },
  {
    name: 'GET last-authorized, own point of sale',
    method: 'GET',
    path: () => `/v1/invoices/last-authorized?cuit=${CUIT}&ptoVta=1&cbteTipo=6`,
    expect: { admin: 200, pos: 200, auditor: 200, otherAuditor: 403 },
  },
  {
    name: 'GET last-authorized, another point of sale',
    method: 'GET',
    path: () => `/v1/invoices/last-authorized?cuit=${CUIT}&ptoVta=2&cbteTipo=6`,
    expect: { admin: 200, pos: 403, auditor: 200, otherAuditor: 403 },
  },
  {
    name: 'GET one voucher, own CUIT',
    method: 'GET',
    path: () => `/v1/invoices/${CUIT}/1/6/1`,
    expect: { admin: 200, pos: 200, auditor: 200, otherAuditor: 403 },
  },
  {
    name: 'GET one voucher, another CUIT',
    method: 'GET',
    path: () => `/v1/invoices/${OTHER}/1/6/1`,
    expect: { admin: 200, pos: 403, auditor: 403, otherAuditor: 200 },
  },
  {
    name: 'GET params, own CUIT',
    method: 'GET',
    path: () => `/v1/params/iva?cuit=${CUIT}`,
    expect: { admin: 200, pos: 200, auditor: 403, otherAuditor: 403 },
  },
  {
    name: 'GET params, another CUIT',
    method: 'GET',
    path: () => `/v1/params/iva?cuit=${OTHER}`,
    expect: { admin: 200, pos: 403, auditor: 403, otherAuditor: 403 },
  },
  {
    name: 'GET tickets',
    method: 'GET',
    path: () => '/v1/tickets',
    expect: { admin: 200, pos: 403, auditor: 403, otherAuditor: 403 },
  },
  {
    name: 'GET certificates',
    method: 'GET',
    path: () => '/v1/certificates',
    expect: { admin: 200, pos: 403, auditor: 403, otherAuditor: 403 },
  },
  {
    name: 'GET me (every role reads its own key)',
    method: 'GET',
    path: () => '/v1/me',
    expect: { admin: 200, pos: 200, auditor: 200, otherAuditor: 200 },
  },
  {
    name: 'GET api-keys',
    method: 'GET',
    path: () => '/v1/api-keys',
    expect: { admin: 200, pos: 403, auditor: 403, otherAuditor: 403 },
  },
  {
    name: 'POST api-keys',
    method: 'POST',
    path: () => '/v1/api-keys',
    body: () => ({ name: 'matrix', role: 'auditor', cuits: [CUIT] }),
    expect: { admin: 201, pos: 403, auditor: 403, otherAuditor: 403 },
  },
  {
    name: 'DELETE api-keys (no such key)',
    method: 'DELETE',
    path: () => `/v1/api-keys/${randomUUID()}`,
    expect: { admin: 404, pos: 403, auditor: 403, otherAuditor: 403 },
  },
  {
    name: 'GET audit invoices, own CUIT',
    method: 'GET',
    path: () => `/v1/audit/invoices?cuit=${CUIT}`,
    expect: { admin: 200, pos: 403, auditor: 200, otherAuditor: 403 },
  },
  {
    name: 'GET audit invoices, no CUIT (limited to the scope)',
    method: 'GET',
    path: () => '/v1/audit/invoices',
    expect: { admin: 200, pos: 403, auditor: 200, otherAuditor: 200 },
  },
  {
    name: 'GET audit invoice by id',
    method: 'GET',
    path: ({ invoiceId }) => `/v1/audit/invoices/${invoiceId}`,
    // Another tenant's id is answered as an unknown one: 404, not 403.
    expect: { admin: 200, pos: 403, auditor: 200, otherAuditor: 404 },
  },
  {
    name: "GET audit verify, the key's own CUITs",
    method: 'GET',
    path: () => '/v1/audit/verify',
    // An admin names the CUIT: its whole chain is a background job.
    expect: { admin: 400, pos: 403, auditor: 200, otherAuditor: 200 },
  },
  {
    name: 'GET audit verify, one CUIT',
    method: 'GET',
    path: () => `/v1/audit/verify?cuit=${CUIT}`,
    expect: { admin: 200, pos: 403, auditor: 200, otherAuditor: 403 },
  },
  {
    name: 'POST audit verify (whole chain, background)',
    method: 'POST',
    path: () => '/v1/audit/verify',
    expect: { admin: 202, pos: 403, auditor: 403, otherAuditor: 403 },
  },
];

describe('API keys: every role x endpoint x scope', () => {
  const world = billingWorld();
  let url: string;
  const keys = {} as Record<Column, string | null>;
  const ids = { invoiceId: '' };

  beforeAll(async () => {
    ({ url } = await world.gateway());
    keys.admin = (await createKey(url, { role: 'admin' })).key;
    keys.pos = (await createKey(url, { role: 'pos', cuits: [CUIT], ptoVtas: [1] })).key;
    keys.auditor = (await createKey(url, { role: 'auditor', cuits: [CUIT] })).key;
    keys.otherAuditor = (await createKey(url, { role: 'auditor', cuits: [OTHER] })).key;
    keys.none = null;
    keys.unknown = `arca_${'x'.repeat(43)}`;
    const issued = await call(url, 'POST', '/v1/invoices', { key: keys.pos, body: facturaB() });
    expect(issued.status).toBe(201);
    const listed = await call(url, 'GET', `/v1/audit/invoices?cuit=${CUIT}`, { key: keys.auditor });
    ids.invoiceId = listed.json.items[0].id as string;
  });

  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const expected = { none: 401, unknown: 401, ...testCase.expect };
      const seen: Record<string, number> = {};
      for (const column of Object.keys(expected) as Column[]) {
        const answer = await call(url, testCase.method, testCase.path(ids), {
          key: keys[column],
          body: testCase.body?.(),
        });
        seen[column] = answer.status;
        if (answer.status === 403)
          expect(answer.json.message).toMatch(/may (not call|act only|use only|read only)/);
      }
      expect(seen).toEqual(expected);
    });
  }

  it('names the scope in a 403: the pos key for point of sale 1 asked for 2', async () => {
    const answer = await call(url, 'POST', '/v1/invoices', { key: keys.pos, body: facturaB({}, 2) });
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({
      code: 'FORBIDDEN',
      message: 'this pos key may use only point of sale 1, not 2',
    });
  });

  it("limits an auditor's unfiltered listing to its CUITs", async () => {
    const forOther = await call(url, 'POST', '/v1/invoices', {
      body: { ...facturaB(), Auth: { Cuit: OTHER } },
    });
    expect(forOther.status).toBe(201);
    const own = await call(url, 'GET', '/v1/audit/invoices', { key: keys.auditor });
    const other = await call(url, 'GET', '/v1/audit/invoices', { key: keys.otherAuditor });
    expect(own.json.items.length).toBeGreaterThan(0);
    expect(own.json.items.every((item: { cuit: string }) => item.cuit === String(CUIT))).toBe(true);
    expect(other.json.items.length).toBeGreaterThan(0);
    expect(other.json.items.every((item: { cuit: string }) => item.cuit === String(OTHER))).toBe(true);
  });
});
