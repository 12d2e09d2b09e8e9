import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { AppError } from './app-error.js';

/**
 * A query parameter the handler does not read is refused (400), not ignored: on `POST /v1/invoices` a `?cuit=`
 * or `?ptoVta=` must never look meaningful. Handlers that take a `@Query()` DTO are left to validation, which
 * refuses the DTO's unknown fields.
 */
@Injectable()
export class DeclaredQueryInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const names = Object.keys((request.query ?? {}) as Record<string, unknown>);
    if (names.length > 0 && request.path.startsWith('/v1/')) {
      const declared = declaredQuery(context.getClass(), context.getHandler().name);
      const unknown = declared === 'dto' ? [] : names.filter((name) => !declared.includes(name));
      if (unknown.length > 0) {
        const message = (name: string) =>
          `${name} is not a query parameter of ${request.method} ${request.route?.path ?? request.path}`;
        throw new AppError(
          'VALIDATION_FAILED',
          unknown.map(message).join('; '),
          unknown.map((name) => ({ field: name, rule: 'unknownQueryParameter', message: message(name) })),
        );
      }
    }
    return next.handle();
  }
}

/** `dto` when the handler takes the whole query as a DTO; otherwise the names it reads one by one. */
function declaredQuery(controller: object, handler: string): 'dto' | string[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<
    string,
    { data?: unknown }
  >;
  const names: string[] = [];
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== RouteParamtypes.QUERY) continue;
    if (typeof arg.data !== 'string') return 'dto';
    names.push(arg.data);
  }
  return names;
}
