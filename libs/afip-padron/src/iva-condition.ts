import type { Impuesto, Persona } from './padron-types.js';

// The receiver's IVA condition, as WSFEv1's CondicionIVAReceptorId, read from a constancia (PADRON.md 3). The
// registry has no such field: it is derived from the taxes the person is registered for, and only from evidence.
// A block ARCA could not send (its error block instead) is never read as "not registered".

/** WSFEv1's receiver conditions (FEParamGetCondicionIvaReceptor, manual v4.8), with ARCA's descriptions. */
export const IVA_CONDITIONS: Readonly<Record<number, string>> = {
  1: 'IVA Responsable Inscripto',
  4: 'IVA Sujeto Exento',
  5: 'Consumidor Final',
  6: 'Responsable Monotributo',
  7: 'Sujeto No Categorizado',
  8: 'Proveedor del Exterior',
  9: 'Cliente del Exterior',
  10: 'IVA Liberado – Ley N° 19.640',
  13: 'Monotributista Social',
  15: 'IVA No Alcanzado',
  16: 'Monotributo Trabajador Independiente Promovido',
};

/** Tax ids in the registry: 20 monotributo, 30 IVA, 32 IVA exento, 34 IVA no alcanzado. */
const MONOTRIBUTO = 20;
const IVA = 30;
const IVA_EXENTO = 32;
const IVA_NO_ALCANZADO = 34;

export type ConditionReading =
  { id: number; description: string; basis: string } | { id: null; reason: string };

/**
 * The condition the constancia shows, and why; or why it cannot be told. In order: monotributo (13 when its
 * category is "social"), IVA (1), IVA exento (4), IVA no alcanzado (15); a person with neither block and no error
 * in their place is a final consumer (5). Not derivable from the registry, and so never answered: 7, 8, 9, 10, 16.
 */
export function ivaCondition(persona: Persona): ConditionReading {
  const general = persona.datosGenerales;
  if (!general) {
    const errors = persona.errorConstancia?.error?.join('; ');
    return { id: null, reason: `the registry sent no general data${errors ? ` (${errors})` : ''}` };
  }
  if (general.estadoClave && general.estadoClave !== 'ACTIVO') {
    return { id: null, reason: `the key is ${general.estadoClave}: ARCA refuses vouchers to it (10247)` };
  }
  const monotributo = persona.datosMonotributo;
  if (active(monotributo?.impuesto, MONOTRIBUTO) || monotributo?.categoriaMonotributo) {
    const category = monotributo?.categoriaMonotributo?.descripcionCategoria ?? '';
    return /SOCIAL/i.test(category)
      ? known(13, `monotributo category "${category}"`)
      : known(6, 'registered for monotributo (tax 20)');
  }
  const regimen = persona.datosRegimenGeneral?.impuesto;
  if (active(regimen, IVA)) return known(1, 'registered for IVA (tax 30)');
  if (active(regimen, IVA_EXENTO)) return known(4, 'registered as IVA exento (tax 32)');
  if (active(regimen, IVA_NO_ALCANZADO)) return known(15, 'registered as IVA no alcanzado (tax 34)');
  const missing = [persona.errorRegimenGeneral, persona.errorMonotributo]
    .filter((block) => block !== undefined)
    .map((block) => [block.mensaje, ...(block.error ?? [])].filter(Boolean).join(': '));
  if (missing.length > 0) {
    return { id: null, reason: `the registry could not send every block: ${missing.join('; ')}` };
  }
  return known(5, 'registered for neither IVA nor monotributo');
}

function known(id: number, basis: string): ConditionReading {
  return { id, description: IVA_CONDITIONS[id]!, basis };
}

/** Listed for the tax, and active when ARCA says (`estadoImpuesto` AC, sent since 2026). */
function active(taxes: Impuesto[] | undefined, id: number): boolean {
  return (taxes ?? []).some(
    (tax) => tax.idImpuesto === id && (tax.estadoImpuesto === undefined || tax.estadoImpuesto === 'AC'),
  );
}
