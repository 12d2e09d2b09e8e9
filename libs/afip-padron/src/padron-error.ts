/**
 * How a registry call failed:
 * - `not-found`: ARCA has no person with that id ("No existe persona con ese Id");
 * - `auth`: the ticket or the represented CUIT was refused (renewing the ticket may help once);
 * - `rejected`: ARCA refused the request itself (a malformed id, an unmarshalling error);
 * - `transient`: ARCA could not be reached or failed inside; a read is always safe to retry.
 */
export type PadronErrorKind = 'not-found' | 'auth' | 'rejected' | 'transient';

export class PadronError extends Error {
  constructor(
    readonly kind: PadronErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PadronError';
  }
}

const NOT_FOUND = /No existe persona con ese Id/i;
const AUTH =
  /token|sign|firma valida|representaci[oó]n|CUIT representada|No autorizado|expirad|TA (vencido|expirado)/i;

/** The kind of an SRValidationException or other fault, from its text (ARCA sends no codes here). */
export function kindOfFault(faultCode: string, faultString: string): PadronErrorKind {
  if (NOT_FOUND.test(faultString)) return 'not-found';
  if (AUTH.test(faultString)) return 'auth';
  if (/Client|Sender/.test(faultCode) || /Unmarshalling/i.test(faultString)) return 'rejected';
  return 'transient';
}
