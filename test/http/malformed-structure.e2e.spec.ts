import { beforeAll, describe, expect, it } from 'vitest';
import { billingWorld, call, facturaB, type JsonBody } from '../billing/billing-harness.js';

// Generated from the OpenAPI document: for every object and list of every request body (invoice, API key, lane
// resync) a value of the wrong shape in its place; hostile nesting and prototype keys at every object; repeated
// query parameters for every query DTO field. Each must be a 400 naming the field, never a 500, never sent.

type Schema = JsonBody;

interface BodyRoute {
  method: string;
  path: string;
  schema: Schema;
  body: () => JsonBody;
}

interface Mutation {
  what: string;
  /** The body, or its JSON text when it holds keys an object literal cannot. */
  body: JsonBody | string;
  /** The dotted path the 400 must name (a prefix of it is fine: the field or a parent). */
  field: string;
}

const BODIES: Record<string, () => JsonBody> = {
  'POST /v1/invoices': () =>
    facturaB({
      ImpTrib: 10,
      ImpTotal: 1220,
      Tributos: { Tributo: { Id: 2, BaseImp: 1000, Alic: 1, Importe: 10 } },
    }),
  'POST /v1/api-keys': () => ({ name: 'malformed spec', role: 'pos', cuits: [20123456789], ptoVtas: [1] }),
  'POST /v1/lanes/{cuit}/{ptoVta}/{cbteTipo}/resync': () => ({ confirm: '20123456789/1/6' }),
};

function resolve(document: JsonBody, schema: Schema): Schema {
  if (schema.$ref)
    return resolve(document, document.components.schemas[String(schema.$ref).split('/').pop()!]);
  if (schema.allOf?.length === 1) return resolve(document, schema.allOf[0]);
  return schema;
}

function setAt(root: JsonBody, path: (string | number)[], value: unknown): JsonBody {
  const copy = structuredClone(root);
  let node: JsonBody = copy;
  for (const key of path.slice(0, -1)) node = node[key as string];
  node[path.at(-1) as string] = value;
  return copy;
}

function nested(depth: number): JsonBody {
  let value: JsonBody = { leaf: 1 };
  for (let level = 0; level < depth; level += 1) value = { a: value };
  return value;
}

/**
 * Walks the body as the baseline fills it, guided by the schema: every object and list present gets wrong-shaped
 * values, every object gets a 70-deep value and the three prototype keys.
 */
function mutations(document: JsonBody, schema: Schema, root: JsonBody): Mutation[] {
  const out: Mutation[] = [];
  // `alone`: an object standing for a one-item list (ARCA's JSON habit), where `[node]` is the same list.
  const walk = (node: unknown, nodeSchema: Schema, path: (string | number)[], alone = false, base = root) => {
    const resolved = resolve(document, nodeSchema);
    const field = path.join('.');
    const isArray = resolved.type === 'array';
    const isObject = !isArray && (resolved.type === 'object' || resolved.properties !== undefined);
    if (path.length > 0 && (isArray || isObject)) {
      const wrong: [string, unknown][] = isArray
        ? [
            ['a string', 'x'],
            ['a number', 7],
            ['true', true],
            ['an array of arrays', [[]]],
          ]
        : [
            ['an array', []],
            ...(alone ? [] : ([['an array of it', [node]]] as [string, unknown][])),
            ['a string', 'x'],
            ['a number', 7],
            ['false', false],
          ];
      // A list of objects also takes one object alone (ARCA's JSON habit); a list of numbers does not.
      if (isArray && resolve(document, resolved.items ?? {}).type !== 'object' && !resolved.items?.$ref) {
        wrong.push(['an object', { a: 1 }]);
      }
      for (const [what, value] of wrong) {
        out.push({ what: `${what} as ${field}`, body: setAt(base, path, value), field });
      }
    }
    if (isObject && node && typeof node === 'object' && !Array.isArray(node)) {
      out.push({
        what: `70 levels inside ${field || 'the body'}`,
        body: setAt(base, [...path, 'deep'], nested(70)),
        field: [...path, 'deep'].join('.'),
      });
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        // Written into the JSON text: an object literal would take __proto__ as its prototype, not as a key.
        const text = JSON.stringify(setAt(base, [...path, 'MARKER'], 1)).replace(
          '"MARKER":1',
          `"${key}":{"polluted":true}`,
        );
        out.push({
          what: `${key} in ${field || 'the body'}`,
          body: text,
          field: field ? `${field}.${key}` : key,
        });
      }
      for (const [name, property] of Object.entries((resolved.properties ?? {}) as Record<string, Schema>)) {
        const value = (node as JsonBody)[name];
        if (value !== undefined) {
          walk(value, property, [...path, name], false, base);
          continue;
        }
        // An optional object or list the baseline leaves out: wrong shapes in its place all the same.
        const absent = resolve(document, property);
        if (absent.type === 'array' || absent.type === 'object' || absent.properties) {
          const empty = absent.type === 'array' ? [] : {};
          walk(empty, property, [...path, name], false, setAt(base, [...path, name], empty));
        }
      }
    }
    if (isArray && Array.isArray(node)) {
      node.forEach((item, index) => walk(item, resolved.items ?? {}, [...path, index], false, base));
    } else if (isArray && node && typeof node === 'object') {
      // One object where the schema has a list: walk it as the list's only item.
      walk(node, resolved.items ?? {}, path, true, base);
    }
  };
  walk(root, schema, []);
  return out;
}

describe('malformed structure: a 400 naming the field for every shape error, generated from the schemas', () => {
  const world = billingWorld();
  let url: string;
  let document: JsonBody;
  let routes: BodyRoute[];

  beforeAll(async () => {
    ({ url } = await world.gateway());
    document = (await call(url, 'GET', '/docs-json')).json;
    routes = [];
    for (const [path, methods] of Object.entries(document.paths as JsonBody)) {
      for (const [method, spec] of Object.entries(methods as JsonBody)) {
        const content = spec.requestBody?.content?.['application/json'];
        if (!content) continue;
        const name = `${method.toUpperCase()} ${path}`;
        const body = BODIES[name];
        if (!body) throw new Error(`no baseline body for ${name}: add one to this spec`);
        routes.push({ method: method.toUpperCase(), path, schema: content.schema, body });
      }
    }
  });

  it('finds every request body of the API', () => {
    expect(routes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(Object.keys(BODIES).sort());
  });

  it('refuses every wrong shape with a 400 naming the field, and none reaches ARCA', async () => {
    const sent = world.calls('FECAESolicitar');
    const failures: string[] = [];
    let count = 0;
    for (const route of routes) {
      const path = route.path
        .replace('{cuit}', '20123456789')
        .replace('{ptoVta}', '1')
        .replace('{cbteTipo}', '6');
      for (const mutation of mutations(document, route.schema, route.body())) {
        count += 1;
        const answer = await call(url, route.method, path, { body: mutation.body });
        const strip = (field: string) => field.replace(/\.\d+(?=\.|$)/g, '');
        const wanted = strip(mutation.field);
        const fields = ((answer.json.details ?? []) as JsonBody[]).map((detail) =>
          strip(String(detail.field)),
        );
        // The field itself, or the parent whose shape broke (an object alone where a list is expected).
        const named = fields.some(
          (field) => field === wanted || wanted.startsWith(`${field}.`) || field.startsWith(`${wanted}.`),
        );
        if (answer.status !== 400 || !named) {
          failures.push(
            `${route.method} ${route.path} [${mutation.what}]: ${answer.status} ${answer.text.slice(0, 240)}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThan(150);
    expect(world.calls('FECAESolicitar')).toBe(sent);
  });

  it('refuses deep JSON arrays and objects at the top, before any recursive work', async () => {
    for (const text of ['['.repeat(5000) + ']'.repeat(5000), `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`]) {
      const answer = await call(url, 'POST', '/v1/invoices', { body: text });
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json.details[0]).toMatchObject({ rule: 'maxDepth' });
    }
  });

  it('refuses a repeated query parameter where one value is expected, for every query field', async () => {
    const failures: string[] = [];
    for (const [path, methods] of Object.entries(document.paths as JsonBody)) {
      if (!path.startsWith('/v1/') || path.includes('{')) continue;
      const spec = (methods as JsonBody).get;
      if (!spec) continue;
      for (const parameter of (spec.parameters ?? []) as JsonBody[]) {
        if (parameter.in !== 'query') continue;
        const value = String(parameter.schema?.example ?? parameter.example ?? '1');
        const query = `${parameter.name}=${encodeURIComponent(value)}&${parameter.name}=${encodeURIComponent(value)}`;
        const answer = await call(url, 'GET', `${path}?${query}`);
        if (answer.status !== 400 || !answer.text.includes(parameter.name)) {
          failures.push(`GET ${path}?${query}: ${answer.status} ${answer.text.slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
