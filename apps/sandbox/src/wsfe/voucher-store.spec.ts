import { describe, expect, it } from 'vitest';
import { type StoreChange, type StoredVoucher, VoucherStore } from './voucher-store.js';

function voucher(ptoVta: number, desde: number, hasta = desde, cuit = 20123456789): StoredVoucher {
  return {
    cuit,
    ptoVta,
    cbteTipo: 6,
    cbteDesde: desde,
    cbteHasta: hasta,
    cbteFch: '20261130',
    impTotal: 1210,
    codAutorizacion: `7${String(desde).padStart(13, '0')}`,
    emisionTipo: 'CAE',
    fchVto: '20261210',
    fchProceso: '20261130120000',
    detail: {},
    observaciones: [],
  };
}

describe('the sandbox voucher store', () => {
  it('finds a voucher by number in its lane, ranges included, and lists points of sale per CUIT', () => {
    const store = new VoucherStore();
    store.seed(20123456789, 1, 6, 10);
    store.record(voucher(1, 11));
    store.record(voucher(1, 12, 20)); // a class B range
    store.record(voucher(1, 21));
    store.record(voucher(3, 1));
    store.record(voucher(2, 1, 1, 30712345671));
    expect(store.find(20123456789, 1, 6, 11)?.cbteDesde).toBe(11);
    expect(store.find(20123456789, 1, 6, 15)?.cbteDesde).toBe(12);
    expect(store.find(20123456789, 1, 6, 21)?.cbteDesde).toBe(21);
    expect(store.find(20123456789, 1, 6, 10)).toBeUndefined(); // seeded, never issued here
    expect(store.find(20123456789, 1, 6, 22)).toBeUndefined();
    expect(store.find(20123456789, 2, 6, 1)).toBeUndefined();
    expect(store.lastNumber(20123456789, 1, 6)).toBe(21);
    expect(store.pointsOfSale(20123456789)).toEqual([1, 3]);
    expect(store.pointsOfSale(30712345671)).toEqual([2]);
  });

  it('reports every change, and the changes (or a snapshot) rebuild the same store', () => {
    const changes: StoreChange[] = [];
    const store = new VoucherStore((change) => changes.push(change));
    store.seed(20123456789, 5, 6, 3, '20261129');
    store.record(voucher(5, 4));
    store.reset();
    store.record(voucher(5, 1));
    expect(changes.map((change) => change.op)).toEqual(['seed', 'record', 'reset', 'record']);
    const replayed = new VoucherStore(() => {
      throw new Error('a replay reports nothing');
    });
    for (const change of changes) replayed.apply(change);
    expect(replayed.snapshot()).toEqual(store.snapshot());
    const restored = new VoucherStore();
    restored.apply({ op: 'snapshot', snapshot: JSON.parse(JSON.stringify(store.snapshot())) });
    expect(restored.snapshot()).toEqual(store.snapshot());
    expect(restored.find(20123456789, 5, 6, 1)?.cbteDesde).toBe(1);
    expect(restored.find(20123456789, 5, 6, 4)).toBeUndefined();
  });

  it("holds at most maxVouchers, forgetting the oldest, and keeps every lane's numbering", () => {
    const store = new VoucherStore(() => undefined, 10);
    for (let number = 1; number <= 12; number += 1)
      store.record(voucher(number % 2 ? 1 : 2, Math.ceil(number / 2)));
    expect(store.size).toBe(10);
    expect(store.find(20123456789, 1, 6, 1)).toBeUndefined();
    expect(store.find(20123456789, 2, 6, 1)).toBeUndefined();
    expect(store.find(20123456789, 1, 6, 2)?.cbteDesde).toBe(2);
    expect(store.find(20123456789, 2, 6, 6)?.detail).toEqual({});
    expect(store.lastNumber(20123456789, 1, 6)).toBe(6);
    expect(store.snapshot().vouchers).toHaveLength(10);
  });
});
