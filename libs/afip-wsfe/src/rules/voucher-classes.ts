// Voucher classes and the sets of types ARCA's rules refer to (PROTOCOL.md section 4.1, 10007 and others).

export type VoucherClass = 'A' | 'B' | 'C' | 'M' | '49';

const CLASSES: Record<VoucherClass, readonly number[]> = {
  A: [1, 2, 3, 4, 5, 34, 39, 60, 63, 201, 202, 203],
  B: [6, 7, 8, 9, 10, 35, 40, 61, 64, 206, 207, 208],
  C: [11, 12, 13, 15, 211, 212, 213],
  // "A con leyenda" (formerly M) since 2025-12-01; ARCA treats it like class A for receivers.
  M: [51, 52, 53, 54],
  '49': [49],
};

export function classOf(cbteTipo: number): VoucherClass | undefined {
  return (Object.keys(CLASSES) as VoucherClass[]).find((key) => CLASSES[key].includes(cbteTipo));
}

export const DEBIT_NOTES = new Set([2, 7, 12, 52, 202, 207, 212]);
export const CREDIT_NOTES = new Set([3, 8, 13, 53, 203, 208, 213]);
export const FCE_TYPES = new Set([201, 202, 203, 206, 207, 208, 211, 212, 213]);

/** Types that may carry CbtesAsoc (10040). */
export const ASSOCIATION_ALLOWED = new Set([
  1, 2, 3, 6, 7, 8, 12, 13, 51, 52, 53, 201, 202, 203, 206, 207, 208, 211, 212, 213,
]);

/** Types whose IVA detail is relaxed: aliquot Id optional, no rate (10051) or base (10061) check. */
export const IVA_RELAXED = new Set([2, 3, 7, 8, 52, 53]);

/** Voucher types accepted as associated ones by class (10057-10062). */
export function associableTypes(cbteTipo: number): Set<number> | undefined {
  const cls = classOf(cbteTipo);
  if (cls === 'A' || cls === 'M') return new Set([...CLASSES.A, ...CLASSES.M, 88, 991]);
  if (cls === 'B') return new Set([...CLASSES.B, 88, 991]);
  if (cls === 'C') return new Set([...CLASSES.C, 88, 991]);
  return undefined;
}
