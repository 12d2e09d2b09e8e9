import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { AppError } from '../common/app-error.js';
import { currentRequest } from '../common/request-context.js';
import { AccessRefusals } from './access-refusals.js';
import { scopeRefusal } from './principal.js';
import { canonicalNumber, type ScopeValue, scopeValuesOf } from './scope-field.decorator.js';
import { scopeKindOfName } from './request-scope.js';

/**
 * Runs after validation, on every argument a handler receives: each value marked `@ScopeField` (and a lone
 * `@Param('cuit')` or `@Query('ptoVta')`) must be in the caller's scope. This is the check that counts: it sees
 * exactly what the handler will act on, whatever the guard made of the raw request.
 */
@Injectable()
export class ScopePipe implements PipeTransform {
  constructor(private readonly refusals: AccessRefusals) {}

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return value;
    const values = valuesOf(value, metadata);
    if (values.length === 0) return value;
    const request = currentRequest();
    // Outside a request context nobody can say whose scope applies: refuse rather than guess.
    if (!request) throw new Error('scope check outside a request context');
    const principal = request.principal;
    if (!principal) return value;
    for (const item of values) {
      const refusal = scopeRefusal(principal, { [item.kind]: item.value });
      if (refusal) {
        throw await this.refusals.refuse(new AppError('FORBIDDEN', refusal), {
          ...request,
          principal,
          asked: values.map(({ kind, value: asked, field }) => ({
            kind,
            value: asked,
            from: `${metadata.type} ${field}`,
          })),
        });
      }
    }
    return value;
  }
}

function valuesOf(value: unknown, metadata: ArgumentMetadata): ScopeValue[] {
  const kind = metadata.data === undefined ? undefined : scopeKindOfName(metadata.data);
  if (kind && value !== undefined && value !== null) {
    return [{ kind, value: canonicalNumber(value) ?? String(value as string), field: metadata.data ?? '' }];
  }
  return scopeValuesOf(value);
}
