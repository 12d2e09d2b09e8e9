import type { Fortnight } from './fortnight.js';
import type { WsfeClient } from './wsfe-client.js';
import { kindOfErrors, WsfeError } from './wsfe-error.js';
import type { CodeMsg, FECAEDetRequest, FECAEDetResponse, WsfeAuth } from './wsfe-types.js';

/** FECAEAGet: a CAEA as FECAEASolicitar and FECAEAConsultar return it. */
export interface CaeaGrant {
  CAEA: string;
  Periodo: number;
  Orden: number;
  FchVigDesde: string;
  FchVigHasta: string;
  FchTopeInf: string;
  FchProceso: string;
  Observaciones: CodeMsg[];
}

/** FECAEADetRequest: a contingency voucher as reported, its CAEA and generation time after ARCA's fields. */
export interface FECAEADetRequest extends FECAEDetRequest {
  CAEA: string;
  CbteFchHsGen: string;
}

/** A reported voucher's answer: FECAEDetResponse's fields with the CAEA in place of a CAE. */
export type FECAEADetResponse = Omit<FECAEDetResponse, 'CAE' | 'CAEFchVto'> & { CAEA: string };

export interface CaeaReportResult {
  FeCabResp?: { Resultado: string; PtoVta: number; CbteTipo: number; FchProceso: string };
  FeDetResp: FECAEADetResponse[];
  Errors: CodeMsg[];
  Events: CodeMsg[];
}

/** One row of FEParamGetPtosVenta. */
export interface PointOfSaleRow {
  Nro: number;
  EmisionTipo: string;
  Bloqueado: string;
  FchBaja: string;
}

/** A CAEA request's answer: the grant, or ARCA's codes (15006 outside the window, 15008 already granted, ...). */
export type CaeaAnswer = { grant: CaeaGrant } | { errors: CodeMsg[] };

/**
 * The CAEA family of WSFEv1 (CAEA-CONTINGENCY.md 3): request and consult a fortnight's CAEA, report contingency
 * vouchers, declare a contingency point of sale without movement. Business refusals come back as data; ticket
 * problems and transport failures throw `WsfeError`s, as every WSFEv1 call does.
 */
export class CaeaClient {
  constructor(private readonly wsfe: WsfeClient) {}

  /** FECAEASolicitar. */
  request(auth: WsfeAuth, fortnight: Fortnight): Promise<CaeaAnswer> {
    return this.grant('FECAEASolicitar', auth, fortnight);
  }

  /** FECAEAConsultar: the CAEA already granted for the fortnight. */
  consult(auth: WsfeAuth, fortnight: Fortnight): Promise<CaeaAnswer> {
    return this.grant('FECAEAConsultar', auth, fortnight);
  }

  /** FECAEARegInformativo: never retried on a lost answer (the caller asks ARCA's numbering instead). */
  async report(
    auth: WsfeAuth,
    ptoVta: number,
    cbteTipo: number,
    details: FECAEADetRequest[],
  ): Promise<CaeaReportResult> {
    const result = await this.wsfe.raw(
      'FECAEARegInformativo',
      {
        Auth: auth,
        FeCAEARegInfReq: {
          FeCabReq: { CantReg: details.length, PtoVta: ptoVta, CbteTipo: cbteTipo },
          FeDetReq: details,
        },
      },
      false,
    );
    const errors = result.Errors as CodeMsg[];
    if (!result.FeCabResp) throwUnlessRejected('FECAEARegInformativo', errors);
    return result as unknown as CaeaReportResult;
  }

  /** FECAEASinMovimientoInformar: `A`, or `R` with ARCA's codes (1202 used, 1209 already declared, ...). */
  async withoutMovement(
    auth: WsfeAuth,
    ptoVta: number,
    caea: string,
  ): Promise<{ resultado: string; errors: CodeMsg[] }> {
    const result = await this.wsfe.raw('FECAEASinMovimientoInformar', {
      Auth: auth,
      PtoVta: ptoVta,
      CAEA: caea,
    });
    const errors = result.Errors as CodeMsg[];
    if (!result.Resultado) throwUnlessRejected('FECAEASinMovimientoInformar', errors);
    return { resultado: (result.Resultado as string) || 'R', errors };
  }

  /** FEParamGetPtosVenta: every point of sale of the CUIT; none (602) is an empty list. */
  async pointsOfSale(auth: WsfeAuth): Promise<PointOfSaleRow[]> {
    const result = await this.wsfe.raw('FEParamGetPtosVenta', { Auth: auth });
    const errors = result.Errors as CodeMsg[];
    if (errors.some((error) => error.Code === 602)) return [];
    if (errors.length > 0) throwUnlessRejected('FEParamGetPtosVenta', errors, true);
    return (result.ResultGet as PointOfSaleRow[] | undefined) ?? [];
  }

  private async grant(operation: string, auth: WsfeAuth, fortnight: Fortnight): Promise<CaeaAnswer> {
    const result = await this.wsfe.raw(operation, {
      Auth: auth,
      Periodo: fortnight.periodo,
      Orden: fortnight.orden,
    });
    const errors = result.Errors as CodeMsg[];
    const grant = result.ResultGet as CaeaGrant | undefined;
    if (grant?.CAEA) return { grant: { ...grant, Observaciones: grant.Observaciones ?? [] } };
    throwUnlessRejected(operation, errors);
    return { errors };
  }
}

/** Ticket problems and ARCA's internal errors throw (retried, renewed); plain refusals are the caller's data. */
function throwUnlessRejected(operation: string, errors: CodeMsg[], always = false): void {
  const kind = kindOfErrors(errors);
  if (kind !== 'rejected' || always || errors.length === 0) {
    const text = errors.map((error) => `${error.Code} ${error.Msg}`).join('; ') || 'no answer';
    throw new WsfeError(
      errors.length === 0 ? 'unknown-outcome' : kind,
      operation,
      `${operation}: ${text}`,
      errors,
    );
  }
}
