import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../common/app-error.js';
import { currentRequest } from '../common/request-context.js';
import { AccessRefusals } from './access-refusals.js';
import { hashApiKey, sameDigest } from './api-key-secret.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { ACCESS_ROLES, type AuthenticatedRequest, PUBLIC_ROUTE } from './access.decorator.js';
import { type ApiKeyRole, type Principal, scopeRefusal } from './principal.js';
import { disagreement, scopeClaims } from './request-scope.js';

/**
 * On every route but `@PublicRoute()` ones: the bearer key must exist and not be revoked (401), its role must be
 * allowed on the route (403), and every CUIT and point of sale the request names, in its path, query or body and
 * under any spelling, must name the same one (400) and be in the key's scope (403 naming the scope). Routes
 * without `@Access(...)` are admin-only. The scope pipe checks again, after validation, the values the handler
 * receives. The key is read from the table, or from the replica's copy while it hears of every change to the table
 * (ApiKeyRepository), so a revoked key stops on every replica as soon as PostgreSQL announces the change.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyRepository,
    private readonly refusals: AccessRefusals,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const where = {
      address: request.ip ?? request.socket.remoteAddress ?? 'unknown',
      method: request.method,
      path: request.route?.path ?? request.path,
    };
    const principal = await this.authenticate(request).catch(async (error: unknown) => {
      throw error instanceof AppError ? await this.refusals.refuse(error, where) : error;
    });
    const allowed = this.reflector.getAllAndOverride<ApiKeyRole[]>(ACCESS_ROLES, targets) ?? ['admin'];
    if (!allowed.includes(principal.role)) {
      const article = principal.role === 'pos' ? 'a' : 'an';
      throw await this.refusals.refuse(
        new AppError(
          'FORBIDDEN',
          `${article} ${principal.role} key may not call ${where.method} ${where.path}; allowed roles: ${allowed.join(', ')}`,
        ),
        { ...where, principal },
      );
    }
    // Out of scope anywhere is a 403 (and an audit entry), before a disagreement between places is a 400.
    const claims = scopeClaims(request);
    for (const claim of claims.filter((item) => item.numeric)) {
      const refusal = scopeRefusal(principal, { [claim.kind]: claim.value });
      if (refusal) {
        throw await this.refusals.refuse(new AppError('FORBIDDEN', refusal), {
          ...where,
          principal,
          asked: claims.map(({ kind, value, from }) => ({ kind, value, from })),
        });
      }
    }
    const split = disagreement(claims);
    if (split) {
      const [first, second] = split;
      const kind = first.kind === 'cuit' ? 'CUIT' : 'point of sale';
      throw new AppError(
        'VALIDATION_FAILED',
        `the request names ${kind} ${first.value} (${first.from}) and ${second.value} (${second.from}); name one, once`,
        [{ field: second.from.replace(/^\w+ /, ''), rule: 'scope', message: `must equal ${first.from}` }],
      );
    }
    request.principal = principal;
    const scope = currentRequest();
    if (scope) scope.principal = principal;
    return true;
  }

  private async authenticate(request: AuthenticatedRequest): Promise<Principal> {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!presented) throw new AppError('UNAUTHORIZED', 'missing Authorization: Bearer <api key>');
    const digest = hashApiKey(presented);
    const key = await this.keys.findByHash(digest);
    if (!key || !sameDigest(key.keyHash, digest)) throw new AppError('UNAUTHORIZED', 'unknown API key');
    if (key.revokedAt) throw new AppError('UNAUTHORIZED', `API key ${key.keyPrefix}… was revoked`);
    return { keyId: key.id, name: key.name, role: key.role, cuits: key.cuits, ptoVtas: key.ptoVtas };
  }
}
