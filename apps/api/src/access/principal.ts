export const API_KEY_ROLES = ['admin', 'pos', 'auditor'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** Who is calling: the API key behind `Authorization: Bearer`, with what it may touch. */
export interface Principal {
  keyId: string;
  name: string;
  role: ApiKeyRole;
  /** CUITs the key acts for, as decimal strings; empty for admin (every CUIT). */
  cuits: string[];
  /** Points of sale a pos key may use; empty for the other roles. */
  ptoVtas: number[];
}

/** What a request touches, read from its path, query or body. */
export interface RequestScope {
  cuit?: string;
  ptoVta?: string;
}

/** Why the principal may not touch that scope, naming the scope; undefined when it may. */
export function scopeRefusal(principal: Principal, scope: RequestScope): string | undefined {
  if (principal.role === 'admin') return undefined;
  if (scope.cuit !== undefined && !principal.cuits.includes(scope.cuit)) {
    return `this ${principal.role} key may act only for CUIT ${principal.cuits.join(', ')}, not ${scope.cuit}`;
  }
  if (
    principal.role === 'pos' &&
    scope.ptoVta !== undefined &&
    !principal.ptoVtas.map(String).includes(scope.ptoVta)
  ) {
    return `this pos key may use only point of sale ${principal.ptoVtas.join(', ')}, not ${scope.ptoVta}`;
  }
  return undefined;
}

/** The CUITs a query may read: the key's own, or every CUIT (undefined) for admin. */
export function readableCuits(principal: Principal): string[] | undefined {
  return principal.role === 'admin' ? undefined : principal.cuits;
}
