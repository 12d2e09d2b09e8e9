import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiKeyRole, Principal } from './principal.js';

export const ACCESS_ROLES = 'access:roles';
export const PUBLIC_ROUTE = 'access:public';

/** The roles that may call a route besides admin. A route without it is admin-only. */
export const Access = (...roles: Exclude<ApiKeyRole, 'admin'>[]) =>
  SetMetadata(ACCESS_ROLES, ['admin', ...roles]);

/** A route needing no API key (health, metrics). */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/** The caller, as the access guard found it. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route the access guard does not cover');
  return principal;
});
