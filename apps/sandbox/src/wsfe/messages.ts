// Msg texts of WSFEv1 errors and observations. Literal where ARCA's own text was recorded (PROTOCOL.md 4.2);
// elsewhere the manual's description, written in ARCA's style (no accents). Codes follow the manual's tables.

import { type CodeMsg, msg } from '#libs/afip-wsfe';

export type { CodeMsg };
export { msg };

export const MESSAGES = {
  authMissing: () => msg(500, 'Campo Auth no fue ingresado o esta mal formado.'),
  internal: (detail: string) => msg(502, `Error interno de aplicacion: ${detail}`),
  tokenEmpty: (field: 'token' | 'sign') => msg(600, `ValidacionDeToken: Parametro nulo o vacio (${field})`),
  tokenInvalid: (reason: string) => msg(600, `ValidacionDeToken: No valido token. Excepcion: ${reason}`),
  tokenDates: (genTime: number, expTime: number, now: Date) =>
    msg(
      600,
      `ValidacionDeToken: No validaron las fechas del token GenTime, ExpTime, NowUTC: ${genTime} (${dotNetDate(genTime * 1000)}), ` +
        `${expTime} (${dotNetDate(expTime * 1000)}), ${dotNetDate(now.getTime())}`,
    ),
  tokenHash: () => msg(600, 'ValidacionDeToken: Error al verificar hash: VerificacionFirma'),
  cuitNotInRelations: (cuit: number) =>
    msg(600, `ValidacionDeToken: No aparecio CUIT en lista de relaciones: ${cuit}`),
  notFound: () => msg(602, 'No existen datos en nuestros registros para los parametros ingresados.'),
  numbering: () =>
    msg(
      10016,
      'El numero o fecha del comprobante no se corresponde con el proximo a autorizar. Consultar metodo FECompUltimoAutorizado.',
    ),
  caeaRequired: () => msg(782, 'El <CAEA> es obligatorio informarlo.'),
  notCaea: () => msg(1200, 'El codigo de autorizacion debe ser del tipo CAEA'),
  // The CAEA family: the manual's condition texts (CAEA-CONTINGENCY.md 5); ARCA's literal Msg is UNVERIFIED.
  caeaGranted: () =>
    msg(
      15008,
      'Existe un CAEA otorgado para la CUIT solicitante con igual periodo y orden. Consultar metodo FECAEAConsultar.',
    ),
  pointNotCae: () =>
    msg(
      10005,
      'El punto de venta informado debe estar dado de alta y ser del tipo RECE (CAE). Consultar metodo FEParamGetPtosVenta.',
    ),
  pointNotCaea: () =>
    msg(
      701,
      'El punto de venta informado no corresponde a un tipo de emision CAEA habilitado o se encuentra bloqueado.',
    ),
  outsideValidity: () =>
    msg(702, 'La fecha del comprobante (CbteFch) debe estar comprendida en el periodo de vigencia del CAEA.'),
  reportTooEarly: () =>
    msg(1414, 'La fecha de envio debe ser posterior a la fecha de inicio de vigencia del CAEA.'),
  hsGenRequired: () =>
    msg(1440, 'El campo CbteFchHsGen es obligatorio para puntos de venta de CONTINGENCIA.'),
  hsGenFormat: () => msg(1441, 'El campo CbteFchHsGen debe tener el formato yyyymmddhhmiss.'),
  hsGenWindow: () =>
    msg(
      1445,
      'La fecha del comprobante (CbteFch) no se corresponde con la fecha y hora de generacion (CbteFchHsGen) informada.',
    ),
  declaredWithoutMovement: () =>
    msg(1424, 'El CAEA y punto de venta informados fueron declarados sin movimiento.'),
  caeaUsed: () => msg(1202, 'El CAEA y punto de venta informados registran comprobantes informados.'),
  withoutMovementTooEarly: () =>
    msg(1203, 'La fecha de envio debe ser posterior a la fecha de inicio de vigencia del CAEA.'),
  pointNotCaeaType: () => msg(1204, 'El punto de venta informado debe ser del tipo CAEA.'),
  alreadyWithoutMovement: () =>
    msg(1209, 'El punto de venta ya fue informado sin movimiento para el CAEA indicado.'),
  periodFormat: () =>
    msg(
      15004,
      'El campo <Periodo> debe tener el formato AAAAMM, donde AAAA indica el año y MM el mes en números.',
    ),
  ordenFormat: () => msg(15005, 'El campo <Orden> debe ser 1 (primera quincena) o 2 (segunda quincena).'),
  caeaWindow: (from: Date, to: Date) =>
    msg(
      15006,
      `Fecha de envío podrá ser desde 5 días corridos anteriores al inicio hasta el último dia de cada quincena. Del ${usDate(from)} hasta ${usDate(to)}`,
    ),
  cotizacionMonId: () =>
    msg(12000, 'El campo MonId es obligatorio y debe existir en FEParamGetTiposMonedas.'),
  cotizacionFecha: () =>
    msg(
      12001,
      'El campo FchCotiz debe tener el formato AAAAMMDD y no puede ser posterior a la fecha actual.',
    ),
  cotizacionMissing: () => msg(12002, 'No existe cotizacion para la moneda y fecha informadas.'),
  claseCmp: () => msg(10244, 'El campo ClaseCmp debe ser A, B, C, ALEY o 49.'),
};

/** .NET's invariant `M/d/yyyy h:mm:ss tt` in UTC, as ARCA prints token times. */
function dotNetDate(ms: number): string {
  const date = new Date(ms);
  const hours = date.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${hours % 12 || 12}:${pad(date.getUTCMinutes())}:` +
    `${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`
  );
}

function usDate(date: Date): string {
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}`;
}
