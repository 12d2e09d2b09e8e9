import { describe, expect, it } from 'vitest';
import { scopeOf } from './access.guard.js';
import { scopeProblems } from './api-keys.service.js';
import { type Principal, readableCuits, scopeRefusal } from './principal.js';

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

  it('reads the scope from the path, then the query, then an invoice body', () => {
    const body = { Auth: { Cuit: 20123456789 }, FeCAEReq: { FeCabReq: { PtoVta: 2 } } };
    expect(scopeOf({ params: {}, query: {}, body })).toEqual({ cuit: '20123456789', ptoVta: '2' });
    expect(scopeOf({ params: { cuit: '1', ptoVta: '4' }, query: { cuit: '2' }, body })).toEqual({
      cuit: '1',
      ptoVta: '4',
    });
    expect(scopeOf({ params: {}, query: { cuit: ' 3 ' }, body: undefined })).toEqual({
      cuit: '3',
      ptoVta: undefined,
    });
    expect(scopeOf({ params: {}, query: {}, body: 'not an object' })).toEqual({
      cuit: undefined,
      ptoVta: undefined,
    });
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
