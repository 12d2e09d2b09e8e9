import {
  type Element,
  parseXml,
  type SchemaCodec,
  SoapFaultError,
  soapRequestEnvelope,
  type SoapTransport,
  TransportError,
} from '#libs/afip-soap';
import { kindOfErrors, WsfeError } from './wsfe-error.js';
import type {
  CodeMsg,
  FECAERequest,
  FECAEResponse,
  FECompConsResponse,
  ParamTable,
  WsfeAuth,
} from './wsfe-types.js';

const FEV1 = 'http://ar.gov.afip.dif.FEV1/';

export interface WsfeClientOptions {
  /** ARCA's WSFEv1 endpoint or the sandbox's. */
  url: string;
  transport: SoapTransport;
  /** Built from the project's wsdl/wsfev1.wsdl. */
  codec: SchemaCodec;
  /** Default 30 s. */
  timeoutMs?: number;
}

/**
 * A typed WSFEv1 client. Requests are encoded and answers decoded from the project's WSDL, so field order and
 * types follow ARCA's schema; failures are `WsfeError`s that say what is safe to do next.
 */
export class WsfeClient {
  constructor(private readonly options: WsfeClientOptions) {}

  async dummy(): Promise<{ AppServer: string; DbServer: string; AuthServer: string }> {
    return (await this.call('FEDummy', {}, true)) as {
      AppServer: string;
      DbServer: string;
      AuthServer: string;
    };
  }

  /** FECompUltimoAutorizado: the last number ARCA authorized for (PtoVta, CbteTipo); 0 when none. */
  async lastAuthorized(auth: WsfeAuth, PtoVta: number, CbteTipo: number): Promise<number> {
    const result = await this.checked('FECompUltimoAutorizado', { Auth: auth, PtoVta, CbteTipo });
    return result.CbteNro as number;
  }

  /**
   * FECAESolicitar. ARCA's business answer (A, R or P, with Errors and Observaciones) is returned, not thrown;
   * only ticket problems, transport failures and unknown outcomes throw.
   */
  async authorize(auth: WsfeAuth, request: FECAERequest): Promise<FECAEResponse> {
    const body = { Auth: auth, FeCAEReq: { FeCabReq: request.FeCabReq, FeDetReq: request.FeDetReq } };
    const result = (await this.call('FECAESolicitar', body, false)) as unknown as FECAEResponse;
    const kind = kindOfErrors(result.Errors);
    if (!result.FeCabResp && kind !== 'rejected') {
      throw new WsfeError(kind, 'FECAESolicitar', describe(result.Errors), result.Errors);
    }
    return result;
  }

  /** FECompConsultar: the voucher as ARCA recorded it, or undefined when ARCA has none (602). */
  async consult(
    auth: WsfeAuth,
    CbteTipo: number,
    PtoVta: number,
    CbteNro: number,
  ): Promise<FECompConsResponse | undefined> {
    const result = await this.call(
      'FECompConsultar',
      { Auth: auth, FeCompConsReq: { CbteTipo, CbteNro, PtoVta } },
      true,
    );
    const errors = result.Errors as CodeMsg[];
    if (errors.some((error) => error.Code === 602)) return undefined;
    if (errors.length > 0)
      throw new WsfeError(kindOfErrors(errors), 'FECompConsultar', describe(errors), errors);
    return result.ResultGet as unknown as FECompConsResponse;
  }

  /** FECompTotXRequest: the most details one FECAESolicitar may carry. */
  async maxRecords(auth: WsfeAuth): Promise<number> {
    return (await this.checked('FECompTotXRequest', { Auth: auth })).RegXReq as number;
  }

  /** One of the FEParamGet* tables, as rows. */
  async params(
    auth: WsfeAuth,
    table: ParamTable,
    extra: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>[]> {
    return (await this.checked(table, { Auth: auth, ...extra })).ResultGet as Record<string, unknown>[];
  }

  async cotizacion(
    auth: WsfeAuth,
    MonId: string,
    FchCotiz?: string,
  ): Promise<{ MonId: string; MonCotiz: number; FchCotiz: string }> {
    const result = await this.checked('FEParamGetCotizacion', { Auth: auth, MonId, FchCotiz });
    return result.ResultGet as unknown as { MonId: string; MonCotiz: number; FchCotiz: string };
  }

  /**
   * Any other operation of the WSDL (the CAEA family, caea-client.ts), decoded but not interpreted. `idempotent`:
   * false for a call whose lost answer leaves a doubt (FECAEARegInformativo), so it is never retried blindly.
   */
  async raw(
    operation: string,
    request: Record<string, unknown>,
    idempotent = true,
  ): Promise<Record<string, unknown>> {
    return this.call(operation, request, idempotent);
  }

  private async checked(
    operation: string,
    request: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const result = await this.call(operation, request, true);
    const errors = result.Errors as CodeMsg[];
    if (errors.length > 0) throw new WsfeError(kindOfErrors(errors), operation, describe(errors), errors);
    return result;
  }

  /** `idempotent`: a failed read is always safe to retry; a failed FECAESolicitar may have been processed. */
  private async call(
    operation: string,
    request: Record<string, unknown>,
    idempotent: boolean,
  ): Promise<Record<string, unknown>> {
    const { codec } = this.options;
    const body = soapRequestEnvelope(codec.encode(operation, operation, request, { xmlns: true }));
    let answer: string;
    try {
      answer = (
        await this.options.transport.call({
          url: this.options.url,
          body,
          soapAction: `${FEV1}${operation}`,
          service: 'wsfe',
          operation,
          timeoutMs: this.options.timeoutMs ?? 30_000,
        })
      ).body;
    } catch (error) {
      throw this.transportFailure(operation, error, idempotent);
    }
    let result: Element | undefined;
    try {
      result = parseXml(answer).getElementsByTagNameNS(FEV1, `${operation}Result`)[0] as Element | undefined;
      // Lists ARCA omits when empty come back as [] (emptyLists), so callers never test for undefined.
      if (result)
        return codec.decode(result, codec.fieldType(`${operation}Response`, `${operation}Result`), {
          emptyLists: true,
        }) as Record<string, unknown>;
    } catch (error) {
      // ARCA answered, but its answer cannot be read: a call that changes ARCA's state may have been processed.
      throw new WsfeError(
        idempotent ? 'transient' : 'unknown-outcome',
        operation,
        `${operation}: unreadable answer: ${error instanceof Error ? error.message : String(error)}`,
        [],
        { cause: error },
      );
    }
    throw new WsfeError('unknown-outcome', operation, `${operation}: answer without ${operation}Result`);
  }

  private transportFailure(operation: string, error: unknown, idempotent: boolean): unknown {
    if (error instanceof TransportError) {
      const notProcessed = !error.sent || error.status === 503;
      const kind = idempotent || notProcessed ? 'transient' : 'unknown-outcome';
      return new WsfeError(kind, operation, `${operation}: ${error.message}`, [], { cause: error });
    }
    if (error instanceof SoapFaultError) {
      const kind =
        error.faultCode === 'Client' || error.faultCode === 'Sender'
          ? 'rejected'
          : idempotent
            ? 'transient'
            : 'unknown-outcome';
      return new WsfeError(
        kind,
        operation,
        `${operation}: SOAP fault ${error.faultCode}: ${error.faultString}`,
        [],
        { cause: error },
      );
    }
    return error;
  }
}

function describe(errors: CodeMsg[]): string {
  return errors.map((error) => `${error.Code} ${error.Msg}`).join('; ') || 'no answer';
}
