// Tables the sandbox needs but the 2021 recordings do not hold. Invented or partial: a POS must not rely on their
// exact content (README, sandbox section).

/** A few of FEParamGetTiposPaises' rows (codes as ARCA's customs tables use them; partial and unverified). */
export const PAISES: readonly [number, string][] = [
  [200, 'ARGENTINA'],
  [202, 'BOLIVIA'],
  [203, 'BRASIL'],
  [208, 'CHILE'],
  [212, 'ESTADOS UNIDOS'],
  [221, 'PARAGUAY'],
  [225, 'URUGUAY'],
  [410, 'ESPAÑA'],
];

/** FEParamGetActividades: the issuer's registered activities (the sandbox gives every CUIT the same one). */
export const ACTIVIDADES: readonly [number, number, string][] = [
  [620100, 1, 'SERVICIOS DE CONSULTORES EN INFORMATICA Y SUMINISTROS DE PROGRAMAS DE INFORMATICA'],
];
