import { beforeAll, describe, expect, it } from 'vitest';
import { billingWorld, call, createKey, CUIT, facturaB, type JsonBody } from '../billing/billing-harness.js';

// Generated from the gateway's own OpenAPI document: every /v1 route, with a CUIT or point of sale planted in every
// place a scope could come from (path, query under many spellings, repeated, as strings with leading zeros, body,
// numbers as strings), alone and beside in-scope decoys, for each role. Nothing out of scope may succeed, and
// nothing of it may reach ARCA.

const OTHER = 30712345678;
const OWN_PTO = 1;
const SECOND_PTO = 3;
const OUT_PTO = 7;

interface Operation {
  method: string;
  /** OpenAPI path, e.g. /v1/invoices/{cuit}/{ptoVta}/{cbteTipo}/{cbteNro}. */
  path: string;
  pathParams: string[];
  query: { name: string; required: boolean; example?: unknown }[];
  hasBody: boolean;
}

/** A request as the spec sends it: where the CUIT and point of sale sit, and what they are. */
interface Attempt {
  what: string;
  path: Record<string, string>;
  query: [string, string][];
  body?: JsonBody;
  /** Whether some value in it is outside the pos key's scope. */
  outside: boolean;
  /** What it plants: an auditor reads every point of sale of its CUITs, so only a planted CUIT is outside its scope. */
  kind?: 'cuit' | 'ptoVta';
}

const QUERY_SPELLINGS = {
  cuit: ['cuit', 'Cuit', 'CUIT', 'cuit[]', 'cuit[0]'],
  ptoVta: ['ptoVta', 'PtoVta', 'ptovta', 'PTOVTA', 'pto_vta', 'ptoVta[]'],
} as const;

const EXAMPLES: Record<string, string> = {
  cuit: String(CUIT),
  ptoVta: String(OWN_PTO),
  cbteTipo: '6',
  cbteNro: '1',
  service: 'wsfe',
  table: 'iva',
  monId: 'DOL',
  // A registry stand-in (the sandbox's): the lookup is scoped by the represented `cuit`, not by the person.
  idPersona: '30712345671',
};

/** An in-scope request of the operation: the baseline every variant departs from. */
function baseline(operation: Operation, ids: Record<string, string>): Attempt {
  const path = Object.fromEntries(
    operation.pathParams.map((name) => [name, EXAMPLES[name] ?? ids[`${operation.path}:${name}`] ?? '']),
  );
  const query = operation.query
    .filter((param) => param.required)
    .map((param) => [param.name, EXAMPLES[param.name] ?? String(param.example)] as [string, string]);
  return { what: 'in scope', path, query, body: bodyOf(operation), outside: false };
}

function bodyOf(operation: Operation): JsonBody | undefined {
  if (!operation.hasBody) return undefined;
  if (operation.path === '/v1/invoices') return facturaB({}, OWN_PTO);
  if (operation.path === '/v1/api-keys') return { name: 'scope spec', role: 'auditor', cuits: [CUIT] };
  if (operation.path.endsWith('/resync')) return { confirm: `${CUIT}/${OWN_PTO}/6` };
  throw new Error(`no body for ${operation.method} ${operation.path}: add one to the scope spec`);
}

/** Every variant of the baseline with an out-of-scope (or disagreeing) CUIT or point of sale somewhere. */
function variants(operation: Operation, base: Attempt): Attempt[] {
  const out: Attempt[] = [];
  const values = { cuit: [String(OTHER), `0${OTHER}`], ptoVta: [String(OUT_PTO), `00${OUT_PTO}`] } as const;
  const own = { cuit: String(CUIT), ptoVta: String(OWN_PTO) } as const;
  for (const kind of ['cuit', 'ptoVta'] as const) {
    for (const value of values[kind]) {
      // In the path.
      if (operation.pathParams.includes(kind)) {
        out.push({
          ...base,
          kind,
          what: `path ${kind}=${value}`,
          path: { ...base.path, [kind]: value },
          outside: true,
        });
      }
      // In the query, under every spelling, alone, beside the in-scope value, and repeated.
      for (const spelling of QUERY_SPELLINGS[kind]) {
        const query = base.query.filter(([name]) => name !== kind);
        out.push({
          ...base,
          kind,
          what: `query ${spelling}=${value}`,
          query: [...query, [spelling, value]],
          outside: true,
        });
        out.push({
          ...base,
          kind,
          what: `query ${kind}=${own[kind]} and ${spelling}=${value}`,
          query: [...query, [kind, own[kind]], [spelling, value]],
          outside: true,
        });
      }
      // In the body, as a number and as a string, with the in-scope value in the query as a decoy.
      if (base.body && operation.path === '/v1/invoices') {
        for (const written of [Number(value), value]) {
          const body = structuredClone(base.body);
          if (kind === 'cuit') body.Auth.Cuit = written;
          else body.FeCAEReq.FeCabReq.PtoVta = written;
          out.push({ ...base, kind, what: `body ${kind}=${JSON.stringify(written)}`, body, outside: true });
          out.push({
            ...base,
            kind,
            what: `body ${kind}=${JSON.stringify(written)}, query ${kind}=${own[kind]}`,
            body,
            query: [...base.query, [kind, own[kind]]],
            outside: true,
          });
        }
      }
    }
  }
  // Two in-scope points of sale that disagree: refused too (400), never one of them silently chosen.
  if (base.body && operation.path === '/v1/invoices') {
    out.push({
      ...base,
      what: `body ptoVta=${OWN_PTO}, query ptoVta=${SECOND_PTO}`,
      query: [...base.query, ['ptoVta', String(SECOND_PTO)]],
      outside: false,
    });
  }
  return out;
}

function urlOf(operation: Operation, attempt: Attempt): string {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(attempt.path[name]!),
  );
  const query = attempt.query.map(
    ([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
  );
  return query.length > 0 ? `${path}?${query.join('&')}` : path;
}

describe('scope: every route, every place a CUIT or point of sale can come from', () => {
  const world = billingWorld();
  let url: string;
  let operations: Operation[];
  const keys: Record<'pos' | 'auditor', { id: string; key: string }> = {} as never;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ url } = await world.gateway());
    keys.pos = await createKey(url, { role: 'pos', cuits: [CUIT], ptoVtas: [OWN_PTO, SECOND_PTO] });
    keys.auditor = await createKey(url, { role: 'auditor', cuits: [CUIT] });
    const issued = await call(url, 'POST', '/v1/invoices', {
      key: keys.pos.key,
      body: facturaB({}, OWN_PTO),
    });
    expect(issued.status, issued.text).toBe(201);
    const listed = await call(url, 'GET', '/v1/audit/invoices', { key: keys.auditor.key });
    ids['/v1/audit/invoices/{id}:id'] = listed.json.items[0].id as string;
    ids['/v1/api-keys/{id}:id'] = (await createKey(url, { role: 'auditor', cuits: [OTHER] })).id;

    const document = (await call(url, 'GET', '/docs-json')).json;
    operations = [];
    for (const [path, methods] of Object.entries(document.paths as JsonBody)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, spec] of Object.entries(methods as JsonBody)) {
        const parameters = (spec.parameters ?? []) as JsonBody[];
        operations.push({
          method: method.toUpperCase(),
          path,
          pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name as string),
          query: parameters
            .filter((p) => p.in === 'query')
            .map((p) => ({
              name: p.name,
              required: Boolean(p.required),
              example: p.schema?.example ?? p.example,
            })),
          hasBody: spec.requestBody !== undefined,
        });
      }
    }
  });

  it('covers every /v1 route of the OpenAPI document', () => {
    const names = operations.map((operation) => `${operation.method} ${operation.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /v1/invoices',
        'GET /v1/invoices/last-authorized',
        'GET /v1/invoices/{cuit}/{ptoVta}/{cbteTipo}/{cbteNro}',
        'GET /v1/params/{table}',
        'GET /v1/audit/invoices',
        'POST /v1/tickets/{cuit}/{service}',
        'GET /v1/taxpayers/{idPersona}',
      ]),
    );
    expect(names.length).toBeGreaterThanOrEqual(13);
  });

  it('never lets a pos or auditor key act outside its scope, and never sends any of it to ARCA', async () => {
    const sentBefore = world.calls('FECAESolicitar');
    const refusedBefore = Number(
      (await world.db.query("SELECT count(*) AS n FROM audit_entry WHERE kind = 'access.refused'")).rows[0].n,
    );
    const failures: string[] = [];
    let scopeRefusals = 0;
    let sent = 0;
    let issued = 0;
    for (const operation of operations) {
      const base = baseline(operation, ids);
      for (const role of ['pos', 'auditor'] as const) {
        const first = await call(url, operation.method, urlOf(operation, base), {
          key: keys[role].key,
          body: base.body,
        });
        // The baseline proves the variants fail for their scope, not for a malformed request.
        if (first.status !== 403 && (first.status < 200 || first.status >= 300)) {
          failures.push(
            `${role} ${operation.method} ${operation.path} baseline: ${first.status} ${first.text}`,
          );
        }
        if (operation.path === '/v1/invoices' && first.status === 201) issued += 1;
        for (const attempt of variants(operation, base)) {
          const answer = await call(url, operation.method, urlOf(operation, attempt), {
            key: keys[role].key,
            body: attempt.body,
          });
          sent += 1;
          const inScope = role === 'auditor' && attempt.kind === 'ptoVta';
          const ok = inScope
            ? answer.status < 500
            : answer.status === 400 || answer.status === 403 || answer.status === 404;
          if (!ok) {
            failures.push(
              `${role} ${operation.method} ${urlOf(operation, attempt)} [${attempt.what}]: ${answer.status} ${answer.text.slice(0, 200)}`,
            );
          }
          if (answer.status === 403 && /may (act|use) only/.test(answer.json.message as string))
            scopeRefusals += 1;
        }
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(400);
    // Only the baselines reached ARCA; nothing for the other tenant or point of sale 7 exists there.
    expect(world.calls('FECAESolicitar') - sentBefore).toBe(issued);
    const strays = world.sandbox.store
      .all()
      .filter((voucher) => voucher.cuit === OTHER || voucher.ptoVta === OUT_PTO);
    expect(strays).toEqual([]);
    // Each cross-scope refusal left its audit entry.
    const refused = Number(
      (await world.db.query("SELECT count(*) AS n FROM audit_entry WHERE kind = 'access.refused'")).rows[0].n,
    );
    expect(refused - refusedBefore).toBe(scopeRefusals);
    expect(scopeRefusals).toBeGreaterThan(50);
  });

  it("refuses finding 1's two requests with 403 and an audit entry naming the key and what it asked", async () => {
    const onSeven = facturaB({}, OUT_PTO);
    const first = await call(url, 'POST', `/v1/invoices?ptoVta=${OWN_PTO}`, {
      key: keys.pos.key,
      body: onSeven,
    });
    expect(first.status, first.text).toBe(403);
    const otherTenant = { ...facturaB({}, 5), Auth: { Cuit: OTHER } };
    const second = await call(url, 'POST', `/v1/invoices?cuit=${CUIT}&ptoVta=${OWN_PTO}`, {
      key: keys.pos.key,
      body: otherTenant,
    });
    expect(second.status, second.text).toBe(403);
    const entry = await world.db.query(
      "SELECT actor, payload FROM audit_entry WHERE kind = 'access.refused' ORDER BY seq DESC LIMIT 1",
    );
    expect(entry.rows[0].actor).toBe(keys.pos.id);
    expect(entry.rows[0].payload).toMatchObject({
      method: 'POST',
      path: '/v1/invoices',
      role: 'pos',
      asked: expect.arrayContaining([
        { kind: 'cuit', value: String(OTHER), from: 'body Auth.Cuit' },
        { kind: 'cuit', value: String(CUIT), from: 'query cuit' },
      ]),
    });
    expect(world.sandbox.store.all().filter((voucher) => voucher.cuit === OTHER)).toEqual([]);
  });

  it('refuses query parameters a route does not read, and two in-scope places that disagree', async () => {
    const unknown = await call(url, 'POST', `/v1/invoices?cuit=${CUIT}`, {
      key: keys.pos.key,
      body: facturaB(),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.details).toEqual([
      expect.objectContaining({ field: 'cuit', rule: 'unknownQueryParameter' }),
    ]);
    const split = await call(url, 'POST', `/v1/invoices?ptoVta=${SECOND_PTO}`, {
      key: keys.pos.key,
      body: facturaB(),
    });
    expect(split.status).toBe(400);
    expect(split.json.message).toContain(
      'names point of sale 3 (query ptoVta) and 1 (body FeCAEReq.FeCabReq.PtoVta)',
    );
  });
});
