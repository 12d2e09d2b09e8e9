import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../access/principal.js';

/** What the stages after the guard need to know about the request being served, without being handed it. */
export interface RequestContext {
  method: string;
  /** The path without its query string. */
  path: string;
  /** The client's address (Express's `req.ip`, which honours TRUST_PROXY). */
  address: string;
  /** The caller, once the access guard has named it; undefined on public routes. */
  principal?: Principal;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Opens the request's context: every guard, pipe and handler of the request runs inside it. Registered after the
 * body parser, whose stream callbacks would otherwise run outside it.
 */
export function bindRequestContext(req: IncomingMessage, _res: ServerResponse, next: () => void): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const address = (req as { ip?: string }).ip ?? req.socket.remoteAddress ?? 'unknown';
  storage.run({ method: req.method ?? 'GET', path, address }, next);
}

/** The context of the request being served; undefined outside one (jobs, start-up). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
