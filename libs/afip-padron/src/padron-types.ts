// ws_sr_constancia_inscripcion's answer as the project's WSDL decodes it (PADRON.md 2.2): every block optional,
// lists as arrays, dates as their text.

export interface PadronAuth {
  token: string;
  sign: string;
  /** The CUIT the ticket's holder acts for (it must be in the ticket's relations). */
  cuitRepresentada: number;
}

export interface Domicilio {
  codPostal?: string;
  datoAdicional?: string;
  descripcionProvincia?: string;
  direccion?: string;
  idProvincia?: number;
  localidad?: string;
  tipoDatoAdicional?: string;
  tipoDomicilio?: string;
}

export interface Actividad {
  descripcionActividad?: string;
  idActividad?: number;
  nomenclador?: number;
  orden?: number;
  periodo?: number;
}

export interface Categoria {
  descripcionCategoria?: string;
  idCategoria?: number;
  idImpuesto?: number;
  periodo?: number;
}

export interface Impuesto {
  descripcionImpuesto?: string;
  /** `AC` for active, when ARCA sends it (since 2026). */
  estadoImpuesto?: string;
  idImpuesto?: number;
  motivo?: string;
  periodo?: number;
}

export interface DatosGenerales {
  apellido?: string;
  nombre?: string;
  razonSocial?: string;
  domicilioFiscal?: Domicilio;
  esSucesion?: string;
  estadoClave?: string;
  idPersona?: number;
  mesCierre?: number;
  tipoClave?: string;
  tipoPersona?: string;
  caracterizacion?: { descripcionCaracterizacion?: string; idCaracterizacion?: number; periodo?: number }[];
}

export interface DatosMonotributo {
  actividad?: Actividad[];
  actividadMonotributista?: Actividad;
  categoriaMonotributo?: Categoria;
  impuesto?: Impuesto[];
}

export interface DatosRegimenGeneral {
  actividad?: Actividad[];
  categoriaAutonomo?: Categoria;
  impuesto?: Impuesto[];
}

export interface ErrorBlock {
  error?: string[];
  mensaje?: string;
}

/** One person's constancia: data blocks and error blocks may come together (PADRON.md 2.3). */
export interface Persona {
  datosGenerales?: DatosGenerales;
  datosMonotributo?: DatosMonotributo;
  datosRegimenGeneral?: DatosRegimenGeneral;
  errorConstancia?: ErrorBlock & { idPersona?: number; apellido?: string; nombre?: string };
  errorMonotributo?: ErrorBlock;
  errorRegimenGeneral?: ErrorBlock;
  metadata?: { fechaHora?: string; servidor?: string };
}
