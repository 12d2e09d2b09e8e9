import {
  type Element,
  parseXml,
  type SchemaCodec,
  SoapFaultError,
  soapRequestEnvelope,
  type SoapTransport,
  TransportError,
} from '#libs/afip-soap';
import { kindOfFault, PadronError } from './padron-error.js';
import type { PadronAuth, Persona } from './padron-types.js';

export const PADRON_NAMESPACE = 'http://a5.soap.ws.server.puc.sr/';
/** The WSAA service whose tickets the registry accepts. */
export const PADRON_SERVICE = 'ws_sr_constancia_inscripcion';
/** ARCA answers at most this many ids per getPersonaList_v2 (the manual's limit). */
export const PADRON_LIST_LIMIT = 250;

export interface PadronClientOptions {
  /** ARCA's personaServiceA5 endpoint or the sandbox's. */
  url: string;
  transport: SoapTransport;
  /** Built from the project's wsdl/ws_sr_constancia_inscripcion.wsdl. */
  codec: SchemaCodec;
  /** Default 15 s. */
  timeoutMs?: number;
}

/**
 * A typed client of ARCA's registry, ws_sr_constancia_inscripcion (padrón A5): CXF, SOAP 1.1, soapAction "",
 * credentials as loose children of the operation. Failures are `PadronError`s; a person whose constancia has
 * problems still comes back, with its error blocks beside its data.
 */
export class PadronClient {
  constructor(private readonly options: PadronClientOptions) {}

  async dummy(): Promise<{ appserver: string; authserver: string; dbserver: string }> {
    const answer = await this.call('dummy', {});
    return (answer.return ?? {}) as { appserver: string; authserver: string; dbserver: string };
  }

  /**
   * getPersona_v2 (or the older getPersona, same schema, kept by ARCA for compatibility): one person's
   * constancia; `PadronError('not-found')` when ARCA has no such person.
   */
  async persona(
    auth: PadronAuth,
    idPersona: number,
    operation: 'getPersona_v2' | 'getPersona' = 'getPersona_v2',
  ): Promise<Persona> {
    const answer = await this.call(operation, { ...auth, idPersona });
    const persona = answer.personaReturn as Persona | undefined;
    if (!persona) throw new PadronError('transient', `${operation}: answer without personaReturn`);
    return persona;
  }

  /**
   * getPersonaList_v2: up to 250 people in one call, in the order asked. An unknown id does not fail the call:
   * its entry carries only `errorConstancia`.
   */
  async personas(auth: PadronAuth, ids: number[]): Promise<Persona[]> {
    if (ids.length === 0 || ids.length > PADRON_LIST_LIMIT) {
      throw new PadronError(
        'rejected',
        `getPersonaList_v2 takes 1 to ${PADRON_LIST_LIMIT} ids, not ${ids.length}`,
      );
    }
    const answer = await this.call('getPersonaList_v2', { ...auth, idPersona: ids });
    const list = answer.personaListReturn as { persona?: Persona[] } | undefined;
    return list?.persona ?? [];
  }

  private async call(operation: string, request: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { codec } = this.options;
    const body = soapRequestEnvelope(
      codec.encode(operation, operation, request, { xmlns: true, prefix: 'a5' }),
    );
    let answer: string;
    try {
      answer = (
        await this.options.transport.call({
          url: this.options.url,
          body,
          soapAction: '',
          service: 'padron',
          operation,
          timeoutMs: this.options.timeoutMs ?? 15_000,
        })
      ).body;
    } catch (error) {
      throw failure(operation, error);
    }
    const wrapper = parseXml(answer).getElementsByTagNameNS(PADRON_NAMESPACE, `${operation}Response`)[0] as
      Element | undefined;
    if (!wrapper) throw new PadronError('transient', `${operation}: answer without ${operation}Response`);
    return codec.decode(wrapper, `${operation}Response`) as Record<string, unknown>;
  }
}

function failure(operation: string, error: unknown): unknown {
  if (error instanceof SoapFaultError) {
    const kind = kindOfFault(error.faultCode, error.faultString);
    return new PadronError(kind, `${operation}: ${error.faultString}`, { cause: error });
  }
  if (error instanceof TransportError) {
    return new PadronError('transient', `${operation}: ${error.message}`, { cause: error });
  }
  return error;
}
