import { escapeXml, parseSoapRequest, type SchemaCodec, SchemaDecodeError, SOAP11_NS } from '#libs/afip-soap';
import { argentinaIso } from '#libs/afip-wsfe';
import type { SandboxClock } from '../clock.js';
import type { TicketAuthority } from '../ticket-authority.js';
import type { SoapReply } from '../wsaa/wsaa.endpoint.js';

const A5 = 'http://a5.soap.ws.server.puc.sr/';
const SERVICE = 'ws_sr_constancia_inscripcion';
const OPERATIONS = new Set(['dummy', 'getPersona', 'getPersona_v2', 'getPersonaList', 'getPersonaList_v2']);
const LIST_LIMIT = 250;
const NOT_FOUND = 'No existe persona con ese Id';

class RegistryFault extends Error {
  constructor(
    message: string,
    readonly side: 'Server' | 'Client' = 'Server',
    readonly validation = false,
  ) {
    super(message);
  }
}

interface PersonaRequest {
  token?: string;
  sign?: string;
  cuitRepresentada?: number;
  idPersona?: number | number[];
}

/**
 * ws_sr_constancia_inscripcion (padrón A5) as ARCA's CXF service answers (PADRON.md 1 and 2): SOAP 1.1 only, the
 * operation found by its element (soapAction is ignored), credentials checked before anything else, every problem
 * an HTTP 500 fault with ARCA's wording; answers on one line, children unqualified, blocks in schema order.
 */
export class PadronEndpoint {
  constructor(
    private readonly codec: SchemaCodec,
    private readonly registry: ReadonlyMap<number, Record<string, unknown>>,
    private readonly tickets: TicketAuthority,
    private readonly clock: SandboxClock,
  ) {}

  handle(body: string): SoapReply {
    let operation = '?';
    try {
      const request = parseSoapRequest(body);
      if (request.version !== '1.1') {
        return this.fault(
          'VersionMismatch',
          'Unexpected wrapper element {http://www.w3.org/2003/05/soap-envelope}Envelope',
          operation,
        );
      }
      const element = request.operation;
      operation = element?.localName ?? '?';
      if (!element || element.namespaceURI !== A5 || !OPERATIONS.has(operation)) {
        throw new RegistryFault(
          `Unexpected wrapper element {${element?.namespaceURI ?? ''}}${operation} found.`,
          'Client',
        );
      }
      const decoded = this.codec.decode(element, operation) as PersonaRequest;
      const result = this.answer(operation, decoded);
      const payload =
        `<ns2:${operation}Response xmlns:ns2="${A5}">` +
        this.codec.encode(result.name, result.type, result.value) +
        `</ns2:${operation}Response>`;
      return {
        status: 200,
        contentType: 'text/xml;charset=UTF-8',
        body: `<soap:Envelope xmlns:soap="${SOAP11_NS}"><soap:Body>${payload}</soap:Body></soap:Envelope>`,
        operation,
        outcome: result.outcome,
      };
    } catch (error) {
      if (error instanceof RegistryFault) {
        return this.fault(`soap:${error.side}`, error.message, operation, error.validation);
      }
      if (error instanceof SchemaDecodeError) {
        return this.fault(
          'soap:Client',
          `Unmarshalling Error: For input string: "${error.value}" `,
          operation,
        );
      }
      if (error instanceof Error && /XmlParse|SoapEnvelope/.test(error.name)) {
        return this.fault('soap:Client', `Unmarshalling Error: ${error.message} `, operation);
      }
      return this.fault('soap:Server', 'Internal error', operation);
    }
  }

  private answer(
    operation: string,
    request: PersonaRequest,
  ): { name: string; type: string; value: unknown; outcome: string } {
    if (operation === 'dummy') {
      return {
        name: 'return',
        type: 'dummyReturn',
        value: { appserver: 'OK', authserver: 'OK', dbserver: 'OK' },
        outcome: 'ok',
      };
    }
    this.checkCredentials(request);
    const metadata = { fechaHora: argentinaIso(this.clock.now()), servidor: 'sandbox-padron' };
    if (operation === 'getPersona' || operation === 'getPersona_v2') {
      const id = request.idPersona as number;
      const persona = this.registry.get(id);
      if (!persona) throw new RegistryFault(NOT_FOUND, 'Server', true);
      return {
        name: 'personaReturn',
        type: 'personaReturn',
        value: { ...persona, metadata },
        outcome: `persona ${id}`,
      };
    }
    const ids = Array.isArray(request.idPersona) ? request.idPersona : [];
    if (ids.length > LIST_LIMIT) {
      // ARCA's wording for this case is not on record (PADRON.md 2.1): the limit is the manual's.
      throw new RegistryFault(
        `La cantidad de personas a consultar no puede superar ${LIST_LIMIT}.`,
        'Server',
        true,
      );
    }
    const persona = ids.map(
      (id) => this.registry.get(id) ?? { errorConstancia: { error: [NOT_FOUND], idPersona: id } },
    );
    return {
      name: 'personaListReturn',
      type: 'personaListReturn',
      value: { metadata, persona },
      outcome: `${ids.length} persona(s)`,
    };
  }

  /** The ticket checks in ARCA's order and words (PADRON.md 2.4); literals ARCA has not shown are the A13 manual's. */
  private checkCredentials(request: PersonaRequest): void {
    if (request.token === undefined || request.sign === undefined) {
      throw new RegistryFault('Falta token y/o sign.', 'Server', true);
    }
    const contents = request.token === '' ? undefined : this.tickets.read(request.token);
    if (!contents) throw new RegistryFault('Token malformado');
    if (!this.tickets.signMatches(request.token, request.sign)) {
      throw new RegistryFault('No se pudo verificar que <sign> contenga una firma valida de <token>');
    }
    const now = this.clock.now().getTime() / 1000;
    if (contents.service !== SERVICE || !(contents.genTime <= now && now <= contents.expTime)) {
      throw new RegistryFault('No autorizado, par token/sign invalido.', 'Server', true);
    }
    if (!request.cuitRepresentada)
      throw new RegistryFault('Debe enviar la CUIT representada', 'Server', true);
    if (!contents.relations.includes(String(request.cuitRepresentada))) {
      throw new RegistryFault(
        `Este token no le permite actuar en representacion de la CUIT ${request.cuitRepresentada}`,
        'Server',
        true,
      );
    }
  }

  private fault(code: string, message: string, operation: string, validation = false): SoapReply {
    const detail = validation ? `<detail><ns1:SRValidationException xmlns:ns1="${A5}"/></detail>` : '';
    return {
      status: 500,
      contentType: 'text/xml;charset=UTF-8',
      body:
        `<soap:Envelope xmlns:soap="${SOAP11_NS}"><soap:Body><soap:Fault><faultcode>${code}</faultcode>` +
        `<faultstring>${escapeXml(message)}</faultstring>${detail}</soap:Fault></soap:Body></soap:Envelope>`,
      operation,
      outcome: `fault: ${message}`,
    };
  }
}
