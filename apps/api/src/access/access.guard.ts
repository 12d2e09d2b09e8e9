import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../common/app-error.js';
import { hashApiKey, sameDigest } from './api-key-secret.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { ACCESS_ROLES, type AuthenticatedRequest, PUBLIC_ROUTE } from './access.decorator.js';
import { type ApiKeyRole, type RequestScope, scopeRefusal } from './principal.js';

/**
 * On every route but `@PublicRoute()` ones: the bearer key must exist and not be revoked (401), its role must be
 * allowed on the route (403), and the CUIT and point of sale the request names, in its path, query or body,
 * must be in the key's scope (403 naming the scope). Routes without `@Access(...)` are admin-only.
 * The key is looked up on every request, so a revoked key stops at once on every replica.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!presented) throw new AppError('UNAUTHORIZED', 'missing Authorization: Bearer <api key>');
    const digest = hashApiKey(presented);
    const key = await this.keys.findByHash(digest);
    if (!key || !sameDigest(key.keyHash, digest)) throw new AppError('UNAUTHORIZED', 'unknown API key');
    if (key.revokedAt) throw new AppError('UNAUTHORIZED', `API key ${key.keyPrefix}… was revoked`);

    const allowed = this.reflector.getAllAndOverride<ApiKeyRole[]>(ACCESS_ROLES, targets) ?? ['admin'];
    if (!allowed.includes(key.role)) {
      throw new AppError(
        'FORBIDDEN',
        `${key.role === 'pos' ? 'a' : 'an'} ${key.role} key may not call ${request.method} ${request.route?.path ?? request.path}; allowed roles: ${allowed.join(', ')}`,
      );
    }
    const principal = {
      keyId: key.id,
      name: key.name,
      role: key.role,
      cuits: key.cuits,
      ptoVtas: key.ptoVtas,
    };
    const refusal = scopeRefusal(principal, scopeOf(request));
    if (refusal) throw new AppError('FORBIDDEN', refusal);
    request.principal = principal;
    return true;
  }
}

/**
 * The CUIT and point of sale a request names: path first, then query, then an invoice body's `Auth.Cuit` and
 * `FeCAEReq.FeCabReq.PtoVta`. Values are compared as the client wrote them; one that is not a number cannot be
 * in any scope, and validation refuses it anyway.
 */
export function scopeOf(request: Pick<AuthenticatedRequest, 'params' | 'query' | 'body'>): RequestScope {
  const body = (request.body ?? {}) as {
    Auth?: { Cuit?: unknown };
    FeCAEReq?: { FeCabReq?: { PtoVta?: unknown } };
  };
  const query = request.query as Record<string, unknown>;
  const first = (...values: unknown[]): string | undefined => {
    const value = values.find((candidate) => candidate !== undefined && candidate !== null);
    return value === undefined ? undefined : String(value as string).trim();
  };
  return {
    cuit: first(request.params?.cuit, query.cuit, body.Auth?.Cuit),
    ptoVta: first(request.params?.ptoVta, query.ptoVta, body.FeCAEReq?.FeCabReq?.PtoVta),
  };
}
