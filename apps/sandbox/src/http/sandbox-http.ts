import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FaultInjector, latencyOf, type FaultRule } from '../faults.js';
import type { SoapReply } from '../wsaa/wsaa.endpoint.js';
import { type ControlApi } from './control-api.js';

export const WSAA_PATH = '/ws/services/LoginCms';
export const WSFE_PATH = '/wsfev1/service.asmx';
export const PADRON_PATH = '/sr-padron/webservices/personaServiceA5';
const MAX_BODY = 1024 * 1024;

export interface SandboxRoutes {
  wsaa(body: string): Promise<SoapReply>;
  wsfe(body: string, headers: IncomingMessage['headers']): SoapReply;
  padron(body: string): SoapReply;
  wsdl(service: 'wsaa' | 'wsfe' | 'padron', baseUrl: string): string;
  control: ControlApi;
  faults: FaultInjector;
  log(line: string): void;
}

/**
 * The sandbox's HTTP server: ARCA's own paths for WSAA and WSFEv1 (so a client changes only the host), their
 * `?wsdl`, and the `/__sandbox` control API. Fault rules are applied here, around the protocol handlers, because
 * resets and hangs are socket-level behaviour.
 */
export function createSandboxServer(routes: SandboxRoutes): { server: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res, routes).catch((error: unknown) => {
      routes.log(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent)
        res.writeHead(500, { 'content-type': 'text/plain' }).end('sandbox internal error');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return { server, sockets };
}

async function handle(req: IncomingMessage, res: ServerResponse, routes: SandboxRoutes): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const service =
    path.toLowerCase() === WSAA_PATH.toLowerCase()
      ? 'wsaa'
      : path.toLowerCase() === WSFE_PATH
        ? 'wsfe'
        : path === PADRON_PATH
          ? 'padron'
          : undefined;
  if (service && req.method === 'GET') {
    if (url.search.toLowerCase() === '?wsdl') {
      const base = `http://${req.headers.host ?? 'localhost'}`;
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(routes.wsdl(service, base));
    } else {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<html><body><h1>arca-gateway sandbox: ${TITLES[service]}</h1>` +
            `<p>SOAP endpoint. The service description is at <a href="?wsdl">?wsdl</a>.</p></body></html>`,
        );
    }
    return;
  }
  let body: string;
  try {
    body = await readBody(req);
  } catch {
    res.writeHead(413, { 'content-type': 'text/plain' }).end('request body too large');
    return;
  }
  if (path.startsWith('/__sandbox/')) {
    const reply = routes.control.handle(req.method ?? 'GET', path, body);
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    return;
  }
  if (!service || req.method !== 'POST') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const operation =
    service === 'wsaa'
      ? 'loginCms'
      : service === 'wsfe'
        ? wsfeOperation(req.headers, body)
        : bodyOperation(body);
  const started = performance.now();
  const fired = routes.faults.hit(service, operation);
  const has = (kind: FaultRule['kind']) => fired.find((rule) => rule.kind === kind);
  // Several latency rules may fire on one request (a standing one and a one-off): the longest holds it.
  const latency = fired.filter((rule) => rule.kind === 'latency').sort((a, b) => longest(b) - longest(a))[0];
  if (latency) await sleep(latencyOf(latency));
  const logFault = (what: string) => routes.log(`${service} ${operation} fault injected: ${what}`);
  if (has('reset')) {
    logFault('connection reset before processing');
    req.socket.resetAndDestroy();
    return;
  }
  if (has('hang')) {
    logFault('no answer (request not processed)');
    return; // The socket stays open until the client gives up or the sandbox closes.
  }
  const status = has('http503') ? 503 : has('http500') ? 500 : 0;
  if (status) {
    logFault(`HTTP ${status} before processing`);
    res
      .writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
      .end(status === 503 ? 'Service Unavailable' : 'Internal Server Error');
    return;
  }
  const reply =
    service === 'wsaa'
      ? await routes.wsaa(body)
      : service === 'wsfe'
        ? routes.wsfe(body, req.headers)
        : routes.padron(body);
  const elapsed = Math.round(performance.now() - started);
  if (has('authorize-then-drop')) {
    logFault(`processed (${reply.outcome}), answer dropped`);
    req.socket.resetAndDestroy();
    return;
  }
  if (has('authorize-then-503')) {
    // What ARCA is assumed never to do, as a proxy that gave up on it might: processed, then a 503.
    logFault(`processed (${reply.outcome}), then HTTP 503`);
    res.writeHead(503, { 'content-type': 'text/html; charset=utf-8' }).end('Service Unavailable');
    return;
  }
  if (has('authorize-then-garble')) {
    // A whole HTTP answer whose document stops halfway, as a proxy that cut it would send.
    logFault(`processed (${reply.outcome}), answer cut in half`);
    res
      .writeHead(reply.status, { 'content-type': reply.contentType })
      .end(reply.body.slice(0, reply.body.length / 2));
    return;
  }
  routes.log(`${service} ${reply.operation} -> HTTP ${reply.status} ${reply.outcome} (${elapsed} ms)`);
  res.writeHead(reply.status, { 'content-type': reply.contentType }).end(reply.body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The operation a WSFEv1 request names, cheaply, before it is parsed (fault rules are per operation). */
function wsfeOperation(headers: IncomingMessage['headers'], body: string): string {
  const action =
    (headers.soapaction as string | undefined) ??
    /action="?([^";]+)/.exec(headers['content-type'] ?? '')?.[1];
  const fromAction = action?.replace(/"/g, '').split('/').pop();
  if (fromAction) return fromAction;
  return bodyOperation(body);
}

/** The first element inside the SOAP Body, by its local name (the registry ignores soapAction). */
function bodyOperation(body: string): string {
  return /<(?:\w+:)?Body[^>]*>\s*<(?:\w+:)?(\w+)/.exec(body)?.[1] ?? '?';
}

const TITLES = { wsaa: 'WSAA LoginCms', wsfe: 'WSFEv1', padron: 'ws_sr_constancia_inscripcion (padrón A5)' };

/** The longest a latency rule may hold a request. */
function longest(rule: FaultRule): number {
  return rule.latencyMaxMs ?? rule.latencyMs ?? 0;
}
