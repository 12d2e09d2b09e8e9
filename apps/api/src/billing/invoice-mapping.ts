import type { FECAEDetRequest } from '#libs/afip-wsfe';
import type { InvoiceDetailDto } from './invoice-detail.dto.js';

/**
 * A validated detail as WSFEv1 takes it: the one-or-many wrappers (`Iva.AlicIva` ...) become plain lists, the
 * number and date come from the lane when the POS left them out, and the lines sold (`Items`, the gateway's own
 * field) stay behind.
 */
export function toWsfeDetail(
  dto: InvoiceDetailDto,
  assigned: { CbteDesde: number; CbteHasta: number; CbteFch: string },
): FECAEDetRequest {
  const {
    CbtesAsoc,
    Tributos,
    Iva,
    Opcionales,
    Compradores,
    PeriodoAsoc,
    Actividades,
    Items: _items,
    ...scalars
  } = dto;
  return {
    ...scalars,
    ...assigned,
    ...(CbtesAsoc ? { CbtesAsoc: CbtesAsoc.CbteAsoc.map((item) => ({ ...item })) } : {}),
    ...(Tributos ? { Tributos: Tributos.Tributo.map((item) => ({ ...item })) } : {}),
    ...(Iva ? { Iva: Iva.AlicIva.map((item) => ({ ...item })) } : {}),
    ...(Opcionales ? { Opcionales: Opcionales.Opcional.map((item) => ({ ...item })) } : {}),
    ...(Compradores ? { Compradores: Compradores.Comprador.map((item) => ({ ...item })) } : {}),
    ...(PeriodoAsoc ? { PeriodoAsoc: { ...PeriodoAsoc } } : {}),
    ...(Actividades ? { Actividades: Actividades.Actividad.map((item) => ({ ...item })) } : {}),
  };
}
