import { type ConditionReading, ivaCondition, type Persona } from '#libs/afip-padron';

/** A person as `GET /v1/taxpayers/{idPersona}` answers: ARCA's registry, read for invoicing. */
export interface TaxpayerView {
  idPersona: string;
  environment: string;
  name: string | null;
  personType: string | null;
  keyType: string | null;
  keyStatus: string | null;
  fiscalAddress: {
    street: string | null;
    locality: string | null;
    province: string | null;
    provinceId: number | null;
    postalCode: string | null;
  } | null;
  /** WSFEv1's CondicionIVAReceptorId and its description, or why the registry cannot tell it. */
  ivaCondition:
    | { condicionIvaReceptorId: number; description: string; basis: string }
    | { condicionIvaReceptorId: null; reason: string };
  monotributo: { category: string | null; categoryId: number | null } | null;
  activities: {
    id: number | null;
    description: string | null;
    order: number | null;
    period: number | null;
  }[];
  /** ARCA's error blocks, passed on as sent: they may stand beside data. */
  registryErrors: { constancia?: string[]; regimenGeneral?: string[]; monotributo?: string[] };
  fetchedAt: string;
  /** True when answered from the gateway's cache, without asking ARCA. */
  cached: boolean;
}

export function taxpayerView(
  idPersona: number,
  environment: string,
  persona: Persona,
  meta: { fetchedAt: Date; cached: boolean },
): TaxpayerView {
  const general = persona.datosGenerales;
  const address = general?.domicilioFiscal;
  const name =
    general?.razonSocial ?? ([general?.apellido, general?.nombre].filter(Boolean).join(' ') || null);
  const activities = [
    ...(persona.datosRegimenGeneral?.actividad ?? []),
    ...(persona.datosMonotributo?.actividad ?? []),
    ...(persona.datosMonotributo?.actividadMonotributista
      ? [persona.datosMonotributo.actividadMonotributista]
      : []),
  ];
  const category = persona.datosMonotributo?.categoriaMonotributo;
  return {
    idPersona: String(idPersona),
    environment,
    name,
    personType: general?.tipoPersona ?? null,
    keyType: general?.tipoClave ?? null,
    keyStatus: general?.estadoClave ?? null,
    fiscalAddress: address
      ? {
          street: address.direccion ?? null,
          locality: address.localidad ?? null,
          province: address.descripcionProvincia ?? null,
          provinceId: address.idProvincia ?? null,
          postalCode: address.codPostal ?? null,
        }
      : null,
    ivaCondition: conditionView(ivaCondition(persona)),
    monotributo: persona.datosMonotributo
      ? { category: category?.descripcionCategoria ?? null, categoryId: category?.idCategoria ?? null }
      : null,
    activities: activities.map((activity) => ({
      id: activity.idActividad ?? null,
      description: activity.descripcionActividad ?? null,
      order: activity.orden ?? null,
      period: activity.periodo ?? null,
    })),
    registryErrors: {
      ...(persona.errorConstancia?.error ? { constancia: persona.errorConstancia.error } : {}),
      ...(persona.errorRegimenGeneral ? { regimenGeneral: blockErrors(persona.errorRegimenGeneral) } : {}),
      ...(persona.errorMonotributo ? { monotributo: blockErrors(persona.errorMonotributo) } : {}),
    },
    fetchedAt: meta.fetchedAt.toISOString(),
    cached: meta.cached,
  };
}

function conditionView(reading: ConditionReading): TaxpayerView['ivaCondition'] {
  return reading.id === null
    ? { condicionIvaReceptorId: null, reason: reading.reason }
    : { condicionIvaReceptorId: reading.id, description: reading.description, basis: reading.basis };
}

function blockErrors(block: { error?: string[]; mensaje?: string }): string[] {
  return [...(block.mensaje ? [block.mensaje] : []), ...(block.error ?? [])];
}
