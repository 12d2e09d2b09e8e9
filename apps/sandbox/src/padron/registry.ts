// The sandbox's stand-in for ARCA's taxpayer registry (padrón A5): a few people, one per situation an invoicing
// POS meets (README, "The ARCA sandbox"). Blocks and fields as the 2026 service sends them (PADRON.md 2.2).

const CABA = { descripcionProvincia: 'CIUDAD AUTONOMA BUENOS AIRES', idProvincia: 0 };
const active = (descripcionImpuesto: string, idImpuesto: number, periodo: number) => ({
  descripcionImpuesto,
  estadoImpuesto: 'AC',
  idImpuesto,
  periodo,
});
const activity = (descripcionActividad: string, idActividad: number, orden: number, periodo = 201311) => ({
  descripcionActividad,
  idActividad,
  nomenclador: 883,
  orden,
  periodo,
});

type Person = Record<string, unknown>;

export const REGISTRY: ReadonlyMap<number, Person> = new Map<number, Person>([
  ...loadTestCompanies(),
  [
    20123456789,
    {
      datosGenerales: {
        apellido: 'PEREZ',
        domicilioFiscal: {
          codPostal: '1043',
          ...CABA,
          direccion: 'AV CORRIENTES 1234',
          tipoDomicilio: 'FISCAL',
        },
        esSucesion: 'NO',
        estadoClave: 'ACTIVO',
        idPersona: 20123456789,
        mesCierre: 12,
        nombre: 'JUAN CARLOS',
        tipoClave: 'CUIT',
        tipoPersona: 'FISICA',
      },
      datosRegimenGeneral: {
        actividad: [activity('VENTA AL POR MENOR EN KIOSCOS, POLIRRUBROS Y COMERCIOS N.C.P.', 471900, 1)],
        impuesto: [active('GANANCIAS PERSONAS FISICAS', 11, 201101), active('IVA', 30, 201101)],
      },
    },
  ],
  [
    30712345671,
    {
      datosGenerales: {
        domicilioFiscal: {
          codPostal: '5000',
          descripcionProvincia: 'CORDOBA',
          direccion: 'BV SAN JUAN 450',
          idProvincia: 3,
          localidad: 'CORDOBA',
          tipoDomicilio: 'FISCAL',
        },
        estadoClave: 'ACTIVO',
        fechaContratoSocial: '2015-03-02T12:00:00-03:00',
        idPersona: 30712345671,
        mesCierre: 6,
        razonSocial: 'DISTRIBUIDORA DEL CENTRO S.A.',
        tipoClave: 'CUIT',
        tipoPersona: 'JURIDICA',
      },
      datosRegimenGeneral: {
        actividad: [
          activity('VENTA AL POR MAYOR DE PRODUCTOS ALIMENTICIOS N.C.P.', 463199, 1, 201505),
          activity('SERVICIO DE TRANSPORTE AUTOMOTOR DE MERCADERIAS N.C.P.', 492299, 2, 201505),
          activity('SERVICIOS DE ALMACENAMIENTO Y DEPOSITO N.C.P.', 522099, 3, 201807),
        ],
        impuesto: [
          active('GANANCIAS SOCIEDADES', 10, 201505),
          active('IVA', 30, 201505),
          active('EMPLEADOR-APORTES SEG. SOCIAL', 301, 201506),
        ],
      },
    },
  ],
  [20111111112, monotributo(20111111112, 'GOMEZ', 'MARIA LAURA', 'A LOCACIONES DE SERVICIO', 26)],
  [
    30500000003,
    {
      datosGenerales: {
        domicilioFiscal: { codPostal: '1414', ...CABA, direccion: 'GURRUCHAGA 900', tipoDomicilio: 'FISCAL' },
        estadoClave: 'ACTIVO',
        idPersona: 30500000003,
        mesCierre: 12,
        razonSocial: 'ASOCIACION CIVIL BIBLIOTECA POPULAR DEL BARRIO',
        tipoClave: 'CUIT',
        tipoPersona: 'JURIDICA',
      },
      datosRegimenGeneral: {
        actividad: [activity('SERVICIOS DE BIBLIOTECAS Y ARCHIVOS', 910100, 1)],
        impuesto: [active('IVA EXENTO', 32, 199901)],
      },
    },
  ],
  [
    27222222228,
    {
      datosGenerales: {
        apellido: 'LOPEZ',
        domicilioFiscal: { codPostal: '1406', ...CABA, direccion: 'RIVADAVIA 6000', tipoDomicilio: 'FISCAL' },
        estadoClave: 'INACTIVO',
        idPersona: 27222222228,
        nombre: 'ANA',
        tipoClave: 'CUIT',
        tipoPersona: 'FISICA',
      },
    },
  ],
  [30000000007, monotributo(30000000007, 'HOMOLOGACION', 'CONTRIBUYENTE', 'B LOCACIONES DE SERVICIO', 27)],
]);

function monotributo(
  idPersona: number,
  apellido: string,
  nombre: string,
  descripcionCategoria: string,
  idCategoria: number,
): Person {
  return {
    datosGenerales: {
      apellido,
      domicilioFiscal: { codPostal: '1425', ...CABA, direccion: 'SANTA FE 3200', tipoDomicilio: 'FISCAL' },
      esSucesion: 'NO',
      estadoClave: 'ACTIVO',
      idPersona,
      nombre,
      tipoClave: 'CUIT',
      tipoPersona: 'FISICA',
    },
    datosMonotributo: {
      actividadMonotributista: {
        descripcionActividad: 'PREST. DE SERVICIO O LOCACIÓN',
        idActividad: 8,
        nomenclador: 1,
        orden: 0,
        periodo: 202401,
      },
      categoriaMonotributo: { descripcionCategoria, idCategoria, idImpuesto: 20, periodo: 202601 },
      impuesto: [{ ...active('MONOTRIBUTO', 20, 202401), motivo: 'Recategorización' }],
    },
  };
}

/**
 * Twenty more companies, Responsable Inscripto, CUITs 30-710000NN-D (the first twenty NN from 01 whose check digit
 * exists): buyers for load tests of the registry cache.
 */
function loadTestCompanies(): [number, Person][] {
  const companies: [number, Person][] = [];
  for (let serial = 1; companies.length < 20; serial += 1) {
    const idPersona = withCheckDigit(`30710000${String(serial).padStart(2, '0')}`);
    if (idPersona === 0) continue;
    const number = companies.length + 1;
    companies.push([
      idPersona,
      {
        datosGenerales: {
          domicilioFiscal: {
            codPostal: '2000',
            descripcionProvincia: 'SANTA FE',
            direccion: `CORDOBA ${1000 + number}`,
            idProvincia: 12,
            localidad: 'ROSARIO',
            tipoDomicilio: 'FISCAL',
          },
          estadoClave: 'ACTIVO',
          idPersona,
          mesCierre: 12,
          razonSocial: `EMPRESA DE PRUEBA ${number} S.A.`,
          tipoClave: 'CUIT',
          tipoPersona: 'JURIDICA',
        },
        datosRegimenGeneral: {
          actividad: [activity('VENTA AL POR MAYOR EN COMISION O CONSIGNACION N.C.P.', 461099, 1, 202001)],
          impuesto: [active('IVA', 30, 202001)],
        },
      },
    ]);
  }
  return companies;
}

/** The CUIT with its mod-11 check digit; 0 when the base has none (a check digit of 10). */
function withCheckDigit(base: string): number {
  const weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const sum = weights.reduce((total, weight, index) => total + weight * Number(base[index]), 0);
  const digit = (11 - (sum % 11)) % 11;
  return digit === 10 ? 0 : Number(`${base}${digit}`);
}
