import { describe, expect, it } from 'vitest';
import { jsonProblem, MAX_JSON_DEPTH } from './json-body-check.js';

describe('jsonProblem', () => {
  it('names the path of a refused value inside arrays and objects', () => {
    const body = { FeCAEReq: { FeDetReq: { FECAEDetRequest: [{ MonId: 'PES' }, { MonId: 'P\u0000S' }] } } };
    expect(jsonProblem(body)).toEqual({
      field: 'FeCAEReq.FeDetReq.FECAEDetRequest.1.MonId',
      rule: 'xmlChar',
      message: expect.stringContaining('U+0000'),
    });
  });

  it('checks every value even under a key it has already seen, and every forbidden key', () => {
    const items = Array.from({ length: 50 }, () => ({ Desc: 'ok' }));
    items[40] = { Desc: '\uD800' };
    expect(jsonProblem({ items })?.field).toBe('items.40.Desc');
    const hostile = JSON.parse('{"a":[{"b":1},{"__proto__":{"x":1}}]}') as unknown;
    expect(jsonProblem(hostile)).toMatchObject({ field: 'a.1.__proto__', rule: 'whitelistValidation' });
    expect(jsonProblem({ ['bad\u0001key']: 1 })).toMatchObject({ rule: 'xmlChar' });
  });

  it('accepts what XML 1.0 carries, astral characters and U+E000-U+FFFD included', () => {
    expect(
      jsonProblem({ text: 'Café 500 g \t\n\r 😀 \uE000 \uFFFD', list: [1, null, true] }),
    ).toBeUndefined();
    expect(jsonProblem({ text: '\uFFFE' })).toMatchObject({ field: 'text', rule: 'xmlChar' });
  });

  it('refuses nesting deeper than the limit, naming where', () => {
    let deep: unknown = 1;
    for (let level = 0; level < MAX_JSON_DEPTH + 1; level += 1) deep = [deep];
    expect(jsonProblem(deep)).toMatchObject({ rule: 'maxDepth' });
  });
});
