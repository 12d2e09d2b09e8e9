import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { type SoapVersion, soapContentType } from './soap-envelope.js';
import { SoapFaultError, TransportError } from './transport-error.js';
import { parseXml, XML_LIMITS } from './xml.js';

/** The largest answer read (UTF-8 bytes): the parser's own limit, at up to 4 bytes a character. */
const MAX_ANSWER_BYTES = XML_LIMITS.maxChars * 4;

export interface SoapCall {
  url: string;
  body: string;
  /** SOAP 1.1 header, or the `action` of a SOAP 1.2 Content-Type. */
  soapAction: string;
  version?: SoapVersion;
  timeoutMs: number;
  /** For observers (metrics): the service (`wsfe`, `wsaa`, `padron`) and operation the call is. */
  service?: string;
  operation?: string;
}

/**
 * One call as observers see it: how it ended at the transport and how long it took. `ok` is HTTP 2xx (the answer
 * may still carry the service's own errors: `answer` is there to read them); `fault` a SOAP fault or an HTTP error
 * without one; `timeout` no answer in time; `unreachable` no connection, a dropped one, or HTTP 502/503/504.
 */
export interface SoapObservation {
  service: string;
  operation: string;
  outcome: 'ok' | 'fault' | 'timeout' | 'unreachable';
  durationMs: number;
  answer?: string;
}

export interface SoapExchange {
  status: number;
  body: string;
  durationMs: number;
  /** Request and answer as the audit log may keep them: CMS, tokens and signs removed (`redactSoap`). */
  redacted: { request: string; response: string };
}

export interface SoapTransportOptions {
  /**
   * OpenSSL cipher string for HTTPS. ARCA's hosts offer Diffie-Hellman groups that OpenSSL 3 refuses at its
   * default security level 2 ("dh key too small"); `DEFAULT@SECLEVEL=1` accepts them (PROTOCOL.md 5).
   * Certificate verification stays on.
   */
  ciphers?: string;
  /** Extra CA certificates (PEM) to trust, e.g. a corporate proxy's. */
  ca?: string[];
}

/**
 * The only code that puts SOAP on the wire: POST with the SOAPAction, a deadline per call, keep-alive agents,
 * and failures turned into `TransportError` (saying whether the request left) or `SoapFaultError`.
 */
export class SoapTransport {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
  private readonly httpsAgent: HttpsAgent;
  private readonly observers: ((observation: SoapObservation) => void)[] = [];

  constructor(options: SoapTransportOptions = {}) {
    this.httpsAgent = new HttpsAgent({
      keepAlive: true,
      maxSockets: 32,
      ciphers: options.ciphers ?? 'DEFAULT@SECLEVEL=1',
      minDHSize: 1024,
      ca: options.ca,
    });
  }

  /** Calls `listener` after every call, however it ended. A throwing listener is ignored. */
  observe(listener: (observation: SoapObservation) => void): void {
    this.observers.push(listener);
  }

  /** Sends the call; returns the answer for HTTP 200, throws for faults and transport failures. */
  async call(call: SoapCall): Promise<SoapExchange> {
    const started = performance.now();
    const tell = (outcome: SoapObservation['outcome'], answer?: string) => {
      const observation = {
        service: call.service ?? 'unknown',
        operation: call.operation ?? 'unknown',
        outcome,
        durationMs: performance.now() - started,
        answer,
      };
      for (const listener of this.observers) {
        try {
          listener(observation);
        } catch {
          // Observers are metrics: they never change a call's outcome.
        }
      }
    };
    let exchange: SoapExchange;
    try {
      exchange = await this.post(call);
    } catch (error) {
      tell(error instanceof TransportError && error.code === 'TIMEOUT' ? 'timeout' : 'unreachable');
      throw error;
    }
    if (exchange.status >= 200 && exchange.status < 300) {
      tell('ok', exchange.body);
      return exchange;
    }
    const fault = readFault(exchange.body, exchange.status);
    tell(fault || ![502, 503, 504].includes(exchange.status) ? 'fault' : 'unreachable', exchange.body);
    if (fault) throw fault;
    throw new TransportError(
      'HTTP_STATUS',
      `HTTP ${exchange.status} from ${hostOf(call.url)}`,
      true,
      exchange.status,
    );
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private post(call: SoapCall): Promise<SoapExchange> {
    const url = new URL(call.url);
    const version = call.version ?? '1.1';
    const headers: Record<string, string | number> = {
      'content-type':
        version === '1.2' ? `${soapContentType('1.2')}; action="${call.soapAction}"` : soapContentType('1.1'),
      'content-length': Buffer.byteLength(call.body),
    };
    if (version === '1.1') headers.soapaction = `"${call.soapAction}"`;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      let sent = false;
      let settled = false;
      const fail = (error: TransportError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        reject(error);
      };
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        url,
        { method: 'POST', headers, agent: url.protocol === 'https:' ? this.httpsAgent : this.httpAgent },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            // An answer larger than any of ARCA's is not kept in memory: it was sent, its outcome is unknown.
            if (size > MAX_ANSWER_BYTES) {
              fail(
                new TransportError(
                  'CONNECTION_RESET',
                  `the answer from ${url.host} exceeded ${MAX_ANSWER_BYTES} bytes and was dropped`,
                  true,
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          response.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            const body = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: response.statusCode ?? 0,
              body,
              durationMs: performance.now() - started,
              redacted: { request: redactSoap(call.body), response: redactSoap(body) },
            });
          });
          response.on('error', (error) =>
            fail(
              new TransportError(
                'CONNECTION_RESET',
                `connection to ${url.host} dropped: ${error.message}`,
                true,
                undefined,
                { cause: error },
              ),
            ),
          );
          response.on('aborted', () =>
            fail(
              new TransportError('CONNECTION_RESET', `connection to ${url.host} dropped mid-answer`, true),
            ),
          );
        },
      );
      const timer = setTimeout(
        () =>
          fail(new TransportError('TIMEOUT', `no answer from ${url.host} within ${call.timeoutMs} ms`, sent)),
        call.timeoutMs,
      );
      request.on('finish', () => {
        sent = true;
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        const connect =
          !sent &&
          ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'].includes(
            error.code ?? '',
          );
        const tls =
          /SSL|TLS|certificate|dh key/i.test(error.message) || (error.code ?? '').startsWith('ERR_SSL');
        if (!sent && (connect || tls)) {
          fail(
            new TransportError(
              'CONNECT_FAILED',
              `cannot reach ${url.host}: ${error.message}`,
              false,
              undefined,
              { cause: error },
            ),
          );
        } else {
          fail(
            new TransportError(
              'CONNECTION_RESET',
              `connection to ${url.host} failed: ${error.message}`,
              sent,
              undefined,
              { cause: error },
            ),
          );
        }
      });
      request.end(call.body);
    });
  }
}

/** The SOAP Fault in a body (1.1 or 1.2), if there is one. */
export function readFault(body: string, status: number): SoapFaultError | undefined {
  if (!/Fault/.test(body)) return undefined;
  try {
    const faults = parseXml(body).getElementsByTagNameNS('*', 'Fault');
    const fault = faults[0];
    if (!fault) return undefined;
    const text = (name: string) => fault.getElementsByTagNameNS('*', name)[0]?.textContent?.trim() ?? '';
    const code = text('faultcode') || text('Value');
    const message = text('faultstring') || text('Text');
    return new SoapFaultError(code.replace(/^[\w-]+:/, ''), message, status);
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string {
  return new URL(url).host;
}

/**
 * A request or answer as it may be stored in the audit log: CMS (`in0`), tokens and signs replaced. Keeps the
 * rest byte for byte.
 */
export function redactSoap(xml: string): string {
  return xml
    .replace(
      /(<(?:\w+:)?(in0|Token|Sign|token|sign)(?:\s[^>]*)?>)[\s\S]*?(<\/(?:\w+:)?\2>)/g,
      '$1[redacted]$3',
    )
    .replace(/(&lt;(token|sign)&gt;)[\s\S]*?(&lt;\/\2&gt;)/g, '$1[redacted]$3');
}
