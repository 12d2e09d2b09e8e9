// RG 5616: receiver VAT conditions and the voucher classes that accept each (PROTOCOL.md 4.1, manual annex).
// The Desc strings are ARCA's names as the manual lists them; the exact service strings are unverified.

export interface CondicionIvaReceptor {
  id: number;
  desc: string;
  /** Classes as FEParamGetCondicionIvaReceptor reports them in Cmp_Clase. */
  classes: readonly ('A' | 'B' | 'C' | '49')[];
}

export const CONDICIONES_IVA_RECEPTOR: readonly CondicionIvaReceptor[] = [
  { id: 1, desc: 'IVA Responsable Inscripto', classes: ['A', 'C'] },
  { id: 4, desc: 'IVA Sujeto Exento', classes: ['B', 'C'] },
  { id: 5, desc: 'Consumidor Final', classes: ['B', 'C', '49'] },
  { id: 6, desc: 'Responsable Monotributo', classes: ['A', 'C'] },
  { id: 7, desc: 'Sujeto No Categorizado', classes: ['B', 'C'] },
  { id: 8, desc: 'Proveedor del Exterior', classes: ['B', 'C'] },
  { id: 9, desc: 'Cliente del Exterior', classes: ['B', 'C'] },
  { id: 10, desc: 'IVA Liberado - Ley N° 19.640', classes: ['B', 'C'] },
  { id: 13, desc: 'Monotributista Social', classes: ['A', 'C'] },
  { id: 15, desc: 'IVA No Alcanzado', classes: ['B', 'C'] },
  { id: 16, desc: 'Monotributo Trabajador Independiente Promovido', classes: ['A', 'C'] },
];
