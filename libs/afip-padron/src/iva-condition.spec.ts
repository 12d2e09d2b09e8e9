import { describe, expect, it } from 'vitest';
import { ivaCondition } from './iva-condition.js';
import type { Persona } from './padron-types.js';

const general = { estadoClave: 'ACTIVO', idPersona: 20111111112 };
const tax = (idImpuesto: number, estadoImpuesto?: string) => ({
  idImpuesto,
  ...(estadoImpuesto ? { estadoImpuesto } : {}),
});

describe("the receiver's IVA condition from a constancia", () => {
  it.each<[string, Persona, number | null]>([
    ['IVA', { datosGenerales: general, datosRegimenGeneral: { impuesto: [tax(11), tax(30, 'AC')] } }, 1],
    ['IVA exento', { datosGenerales: general, datosRegimenGeneral: { impuesto: [tax(32)] } }, 4],
    ['IVA no alcanzado', { datosGenerales: general, datosRegimenGeneral: { impuesto: [tax(34)] } }, 15],
    ['monotributo', { datosGenerales: general, datosMonotributo: { impuesto: [tax(20, 'AC')] } }, 6],
    [
      'monotributo social',
      {
        datosGenerales: general,
        datosMonotributo: {
          categoriaMonotributo: { descripcionCategoria: 'B MONOTRIBUTO SOCIAL', idCategoria: 61 },
        },
      },
      13,
    ],
    ['no IVA, no monotributo, no error', { datosGenerales: general }, 5],
    [
      'IVA listed but not active',
      { datosGenerales: general, datosRegimenGeneral: { impuesto: [tax(30, 'BD')] } },
      5,
    ],
  ])('%s', (_, persona, id) => {
    expect(ivaCondition(persona).id).toBe(id);
  });

  it('never reads a block ARCA could not send as "not registered"', () => {
    const reading = ivaCondition({
      datosGenerales: general,
      errorRegimenGeneral: { error: ['Baja de oficio'], mensaje: 'No cumple con las condiciones' },
    });
    expect(reading).toEqual({ id: null, reason: expect.stringContaining('Baja de oficio') });
  });

  it('tells no condition for an inactive key or a constancia without general data', () => {
    expect(ivaCondition({ datosGenerales: { ...general, estadoClave: 'INACTIVO' } }).id).toBeNull();
    expect(ivaCondition({ errorConstancia: { error: ['No existe persona con ese Id'] } })).toEqual({
      id: null,
      reason: expect.stringContaining('No existe persona'),
    });
  });
});
