import type { StoredPoint } from './caea.repository.js';

/** ARCA's EmisionTipo of a CAEA point of sale starts with `CAEA` (`CAEA - Ri Iva`; the exact text is UNVERIFIED). */
export function isCaeaPoint(point: StoredPoint): boolean {
  return point.emisionTipo.trim().toUpperCase().startsWith('CAEA') && usable(point);
}

export function isCaePoint(point: StoredPoint): boolean {
  const type = point.emisionTipo.trim().toUpperCase();
  return type.startsWith('CAE') && !type.startsWith('CAEA') && usable(point);
}

const usable = (point: StoredPoint) => !point.blocked && point.fchBaja === null;

/**
 * The contingency point of sale of a CAE point of sale: the configured pair (`CAEA_POINTS_OF_SALE`) when there is
 * one and ARCA lists it as CAEA; else, when ARCA lists exactly one usable CAEA point of sale for the CUIT, that one.
 */
export function contingencyPointFor(
  cuit: number,
  ptoVta: number,
  points: StoredPoint[],
  pairs: Map<string, number>,
): number | undefined {
  const caea = points.filter((point) => point.cuit === cuit && isCaeaPoint(point));
  const configured = pairs.get(`${cuit}/${ptoVta}`);
  if (configured !== undefined)
    return caea.some((point) => point.ptoVta === configured) ? configured : undefined;
  return caea.length === 1 ? caea[0]!.ptoVta : undefined;
}
