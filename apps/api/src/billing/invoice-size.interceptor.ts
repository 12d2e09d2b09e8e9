import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { FCE_TYPES } from '#libs/afip-wsfe';
import { AppError } from '../common/app-error.js';
import { MAX_ITEM_LINES } from './invoice-items.dto.js';
import { ParamTablesService } from './param-tables.service.js';

const DETAILS = 'FeCAEReq.FeDetReq.FECAEDetRequest';
/**
 * The lists inside a detail, and the most items any of them takes. ARCA publishes no per-list limits; 100 is far
 * above any real voucher (a few IVA rates, a few tributes, associated vouchers) and keeps a refusal cheap.
 */
const INNER_LISTS = [
  ['Iva', 'AlicIva'],
  ['Tributos', 'Tributo'],
  ['CbtesAsoc', 'CbteAsoc'],
  ['Opcionales', 'Opcional'],
  ['Compradores', 'Comprador'],
  ['Actividades', 'Actividad'],
] as const;
export const MAX_LIST_ITEMS = 100;

/**
 * POST /v1/invoices: counts checked on the body as parsed, before validation builds a class per field: more
 * details than FECompTotXRequest (the cached value; FCE 1), a list inside a detail longer than MAX_LIST_ITEMS, or
 * more lines sold (`Items`) than MAX_ITEM_LINES, is a 400 naming the field at the cost of counting, not of validating every voucher.
 * Interceptors run before pipes; the guard has already checked the body's CUIT against the key's scope.
 */
@Injectable()
export class InvoiceSizeInterceptor implements NestInterceptor {
  constructor(private readonly params: ParamTablesService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
    const details = at(body, 'FeCAEReq', 'FeDetReq', 'FECAEDetRequest');
    const cuit = at(body, 'Auth', 'Cuit');
    const cbteTipo = at(body, 'FeCAEReq', 'FeCabReq', 'CbteTipo');
    if (Array.isArray(details) && details.length > 1) {
      const limit =
        typeof cbteTipo === 'number' && FCE_TYPES.has(cbteTipo)
          ? 1
          : typeof cuit === 'number' &&
              Number.isSafeInteger(cuit) &&
              cuit >= 20_000_000_000 &&
              cuit < 35_000_000_000
            ? await this.params.maxRecords(cuit)
            : undefined;
      if (limit !== undefined && details.length > limit) throw tooManyDetails(details.length, limit);
    }
    for (const [index, detail] of (Array.isArray(details) ? details : [details]).entries()) {
      if (!detail || typeof detail !== 'object') continue;
      for (const [outer, inner] of INNER_LISTS) {
        const list = at(detail, outer, inner);
        if (Array.isArray(list) && list.length > MAX_LIST_ITEMS) {
          const field = `${DETAILS}.${index}.${outer}.${inner}`;
          throw refusal(field, 'maxItems', `${field} has ${list.length} items; at most ${MAX_LIST_ITEMS}`);
        }
      }
      const items = (detail as { Items?: unknown }).Items;
      if (Array.isArray(items) && items.length > MAX_ITEM_LINES) {
        const field = `${DETAILS}.${index}.Items`;
        throw refusal(field, 'maxItems', `${field} has ${items.length} lines; at most ${MAX_ITEM_LINES}`);
      }
    }
    return next.handle();
  }
}

/** A value inside parsed JSON, or undefined when the path is not there. */
function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!current || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** More details than ARCA takes in one FECAESolicitar: ARCA's own code 10003, on the field. */
export function tooManyDetails(count: number, limit: number): AppError {
  return refusal(
    DETAILS,
    '10003',
    `${DETAILS} has ${count} details; ARCA takes at most ${limit} per request for this type ` +
      '(FECompTotXRequest): split the sale into several requests',
  );
}

function refusal(field: string, rule: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, [{ field, rule, message }]);
}
