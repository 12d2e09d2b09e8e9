import type { TicketAuthority } from '../ticket-authority.js';
import { type CodeMsg, MESSAGES } from './messages.js';

export interface AuthRequest {
  Token?: string;
  Sign?: string;
  Cuit?: number;
}

/**
 * WSFEv1's check of `Auth` (PROTOCOL.md 3 and 4.2): present, token and sign given, token dates (checked before the
 * hash, as ARCA does), the sign, the service, and the CUIT among the token's relations. Returns ARCA's error.
 */
export function checkAuth(
  auth: AuthRequest | undefined,
  tickets: TicketAuthority,
  now: Date,
): CodeMsg | undefined {
  if (!auth) return MESSAGES.authMissing();
  if (!auth.Token) return MESSAGES.tokenEmpty('token');
  if (!auth.Sign) return MESSAGES.tokenEmpty('sign');
  const contents = tickets.read(auth.Token);
  if (!contents) return MESSAGES.tokenInvalid('El token no tiene el formato esperado.');
  const nowSeconds = now.getTime() / 1000;
  if (!(contents.genTime <= nowSeconds && nowSeconds <= contents.expTime))
    return MESSAGES.tokenDates(contents.genTime, contents.expTime, now);
  if (!tickets.signMatches(auth.Token, auth.Sign)) return MESSAGES.tokenHash();
  if (contents.service !== 'wsfe')
    return MESSAGES.tokenInvalid(`El token corresponde al servicio ${contents.service}.`);
  if (!contents.relations.includes(String(auth.Cuit ?? 0)))
    return MESSAGES.cuitNotInRelations(auth.Cuit ?? 0);
  return undefined;
}
