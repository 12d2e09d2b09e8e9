import { describe, expect, it } from 'vitest';
import { scopeProblems } from './api-keys.service.js';
import { type Principal, readableCuits, scopeRefusal } from './principal.js';
import { disagreement, scopeClaims, scopeKindOfName } from './request-scope.js';

const pos: Principal = { keyId: 'k1', name: 'caja', role: 'pos', cuits: ['20123456789'], ptoVtas: [1, 3] };
const auditor: Principal = { ...pos, role: 'auditor', ptoVtas: [] };
const admin: Principal = { ...pos, role: 'admin', cuits: [], ptoVtas: [] };

describe('scopes', () => {
  it('lets a pos key use only its CUITs and points of sale, naming the scope otherwise', () => {
    expect(scopeRefusal(pos, { cuit: '20123456789', ptoVta: '3' })).toBeUndefined();
    expect(scopeRefusal(pos, { cuit: '20123456789', ptoVta: '2' })).toBe(
      'this pos key may use only point of sale 1, 3, not 2',
    );
    expect(scopeRefusal(pos, { cuit: '30712345678', ptoVta: '1' })).toBe(
      'this pos key may act only for CUIT 20123456789, not 30712345678',
    );
    expect(scopeRefusal(pos, { cuit: '20123456789.0' })).toMatch(/not 20123456789\.0/);
  });

  it('gives auditors every point of sale of their CUITs, and admins everything', () => {
    expect(scopeRefusal(auditor, { cuit: '20123456789', ptoVta: '99' })).toBeUndefined();
    expect(scopeRefusal(auditor, { cuit: '30712345678' })).toMatch(/auditor key may act only/);
    expect(scopeRefusal(admin, { cuit: '30712345678', ptoVta: '7' })).toBeUndefined();
    expect(readableCuits(admin)).toBeUndefined();
    expect(readableCuits(auditor)).toEqual(['20123456789']);
  });

  it('collects every CUIT and point of sale a request names, wherever and however it names them', () => {
    const body = { Auth: { Cuit: 20123456789 }, FeCAEReq: { FeCabReq: { PtoVta: 2 } } };
    const named = (request: Parameters<typeof scopeClaims>[0]) =>
      scopeClaims(request).map(({ kind, value, from }) => `${kind}=${value} (${from})`);
    expect(named({ params: {}, query: {}, body })).toEqual([
      'cuit=20123456789 (body Auth.Cuit)',
      'ptoVta=2 (body FeCAEReq.FeCabReq.PtoVta)',
    ]);
    expect(
      named({
        params: { cuit: '1' },
        query: { Cuit: ['020', ' 3 '], 'pto_vta[]': '4', PTOVTA: 'x', other: '5' },
        body: undefined,
      }),
    ).toEqual([
      'cuit=1 (path cuit)',
      'cuit=20 (query Cuit)',
      'cuit=3 (query Cuit)',
      'ptoVta=4 (query pto_vta[])',
      'ptoVta=x (query PTOVTA)',
    ]);
    expect(named({ params: {}, query: {}, body: 'not an object' })).toEqual([]);
    expect(named({ params: {}, query: {}, body: { Auth: [{ Cuit: 1 }] } })).toEqual([]);
  });

  it('finds two places that name different CUITs or points of sale, and none when they agree', () => {
    const claims = scopeClaims({
      params: {},
      query: { cuit: '020123456789' },
      body: { Auth: { Cuit: 20123456789 } },
    });
    expect(disagreement(claims)).toBeUndefined();
    const split = disagreement(
      scopeClaims({ params: {}, query: { ptoVta: '1' }, body: { FeCAEReq: { FeCabReq: { PtoVta: 7 } } } }),
    );
    expect(split?.map((claim) => claim.from)).toEqual(['query ptoVta', 'body FeCAEReq.FeCabReq.PtoVta']);
    expect(scopeKindOfName('Pto-Vta')).toBe('ptoVta');
    expect(scopeKindOfName('cuits')).toBeUndefined();
  });

  it('asks each role for its own scope when a key is created', () => {
    expect(scopeProblems('admin', [], [])).toEqual([]);
    expect(scopeProblems('pos', ['1'], [1])).toEqual([]);
    expect(scopeProblems('auditor', ['1'], [])).toEqual([]);
    expect(scopeProblems('admin', ['1'], []).map((problem) => problem.field)).toEqual(['cuits']);
    expect(scopeProblems('pos', [], []).map((problem) => problem.field)).toEqual(['cuits', 'ptoVtas']);
    expect(scopeProblems('auditor', ['1'], [2]).map((problem) => problem.field)).toEqual(['ptoVtas']);
  });
});
