import { canonicalNumber, type ScopeKind } from './scope-field.decorator.js';

/** A CUIT or point of sale a request names somewhere, as the client wrote it. */
export interface ScopeClaim {
  kind: ScopeKind;
  /** Canonical decimal string, or the trimmed text when it is not a whole number. */
  value: string;
  /** Whether `value` is a whole number (only those can be in a scope; validation refuses the rest). */
  numeric: boolean;
  /** Where: `path cuit`, `query Cuit`, `body Auth.Cuit`. */
  from: string;
}

type Readable = { params?: Record<string, unknown>; query?: unknown; body?: unknown };

/**
 * Every CUIT and point of sale a request names, wherever it names them: path parameters, query parameters under
 * any spelling (`cuit`, `Cuit`, `CUIT`, `cuit[]`, `pto_vta`, repeated or not) and the invoice body's `Auth.Cuit`
 * and `FeCAEReq.FeCabReq.PtoVta`. The guard refuses a request whose claims disagree or leave the key's scope
 * before anything else reads it.
 */
export function scopeClaims(request: Readable): ScopeClaim[] {
  const claims: ScopeClaim[] = [];
  const add = (kind: ScopeKind, raw: unknown, from: string) => {
    for (const item of Array.isArray(raw) ? (raw as unknown[]) : [raw]) {
      if (item === undefined || item === null) continue;
      const value = canonicalNumber(item);
      claims.push({
        kind,
        value: value ?? (typeof item === 'object' ? JSON.stringify(item) : String(item as string)).trim(),
        numeric: value !== undefined,
        from,
      });
    }
  };
  for (const [name, raw] of Object.entries(request.params ?? {})) {
    const kind = scopeKindOfName(name);
    if (kind) add(kind, raw, `path ${name}`);
  }
  if (request.query && typeof request.query === 'object') {
    for (const [name, raw] of Object.entries(request.query as Record<string, unknown>)) {
      const kind = scopeKindOfName(name);
      if (kind) add(kind, raw, `query ${name}`);
    }
  }
  const body = request.body as
    { Auth?: { Cuit?: unknown }; FeCAEReq?: { FeCabReq?: { PtoVta?: unknown } } } | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const auth = body.Auth;
    if (auth && typeof auth === 'object' && !Array.isArray(auth)) add('cuit', auth.Cuit, 'body Auth.Cuit');
    const header = body.FeCAEReq && typeof body.FeCAEReq === 'object' ? body.FeCAEReq.FeCabReq : undefined;
    if (header && typeof header === 'object' && !Array.isArray(header)) {
      add('ptoVta', header.PtoVta, 'body FeCAEReq.FeCabReq.PtoVta');
    }
  }
  return claims;
}

/** `cuit`, `Cuit`, `CUIT`, `cuit[]`; `ptoVta`, `ptovta`, `pto_vta`, `PtoVta[0]`: the letters decide. */
export function scopeKindOfName(name: string): ScopeKind | undefined {
  const letters = name
    .toLowerCase()
    .replace(/\[.*$/, '')
    .replace(/[^a-z]/g, '');
  if (letters === 'cuit') return 'cuit';
  if (letters === 'ptovta') return 'ptoVta';
  return undefined;
}

/** Two places naming two different CUITs (or points of sale): which, for the 400. */
export function disagreement(claims: ScopeClaim[]): [ScopeClaim, ScopeClaim] | undefined {
  for (const kind of ['cuit', 'ptoVta'] as const) {
    const ofKind = claims.filter((claim) => claim.kind === kind);
    const other = ofKind.find((claim) => claim.value !== ofKind[0]!.value);
    if (other) return [ofKind[0]!, other];
  }
  return undefined;
}
