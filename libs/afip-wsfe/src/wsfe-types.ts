// WSFEv1's messages in ARCA's own names (PROTOCOL.md 3; the project's wsdl/wsfev1.wsdl is authoritative).

export interface WsfeAuth {
  Token: string;
  Sign: string;
  Cuit: number;
}

export interface CodeMsg {
  Code: number;
  Msg: string;
}

export interface AlicIva {
  Id: number;
  BaseImp: number;
  Importe: number;
}

export interface Tributo {
  Id: number;
  Desc?: string;
  BaseImp: number;
  Alic: number;
  Importe: number;
}

export interface CbteAsoc {
  Tipo: number;
  PtoVta: number;
  Nro: number;
  Cuit?: string;
  CbteFch?: string;
}

/** FECAEDetRequest: one voucher (or a range of B vouchers). Lists are plain arrays here. */
export interface FECAEDetRequest {
  Concepto: number;
  DocTipo: number;
  DocNro: number;
  CbteDesde: number;
  CbteHasta: number;
  CbteFch?: string;
  ImpTotal: number;
  ImpTotConc: number;
  ImpNeto: number;
  ImpOpEx: number;
  ImpTrib: number;
  ImpIVA: number;
  FchServDesde?: string;
  FchServHasta?: string;
  FchVtoPago?: string;
  MonId?: string;
  MonCotiz?: number;
  CanMisMonExt?: string;
  CondicionIVAReceptorId?: number;
  CbtesAsoc?: CbteAsoc[];
  Tributos?: Tributo[];
  Iva?: AlicIva[];
  Opcionales?: { Id?: string; Valor?: string }[];
  Compradores?: { DocTipo: number; DocNro: number; Porcentaje: number }[];
  PeriodoAsoc?: { FchDesde?: string; FchHasta?: string };
  Actividades?: { Id: number }[];
}

export interface FECAERequest {
  FeCabReq: { CantReg: number; PtoVta: number; CbteTipo: number };
  FeDetReq: FECAEDetRequest[];
}

export interface FECAEDetResponse {
  Concepto: number;
  DocTipo: number;
  DocNro: number;
  CbteDesde: number;
  CbteHasta: number;
  CbteFch: string;
  Resultado: 'A' | 'R';
  Observaciones: CodeMsg[];
  CAE: string;
  CAEFchVto: string;
}

/** FECAESolicitarResult with every list an array (empty when ARCA sent none). */
export interface FECAEResponse {
  FeCabResp?: {
    Cuit: number;
    PtoVta: number;
    CbteTipo: number;
    FchProceso: string;
    CantReg: number;
    Resultado: 'A' | 'R' | 'P';
    Reproceso: string;
  };
  FeDetResp: FECAEDetResponse[];
  Events: CodeMsg[];
  Errors: CodeMsg[];
}

/** FECompConsultar's ResultGet: the voucher as ARCA recorded it, with its authorization. */
export interface FECompConsResponse extends FECAEDetRequest {
  Resultado: string;
  CodAutorizacion: string;
  EmisionTipo: string;
  FchVto: string;
  FchProceso: string;
  Observaciones: CodeMsg[];
  PtoVta: number;
  CbteTipo: number;
}

export type ParamTable =
  | 'FEParamGetTiposCbte'
  | 'FEParamGetTiposConcepto'
  | 'FEParamGetTiposDoc'
  | 'FEParamGetTiposIva'
  | 'FEParamGetTiposMonedas'
  | 'FEParamGetTiposOpcional'
  | 'FEParamGetTiposTributos'
  | 'FEParamGetTiposPaises'
  | 'FEParamGetPtosVenta'
  | 'FEParamGetCondicionIvaReceptor'
  | 'FEParamGetActividades';
