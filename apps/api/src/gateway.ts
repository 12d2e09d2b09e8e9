import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { ScopePipe } from './access/scope.pipe.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { DeclaredQueryInterceptor } from './common/declared-query.interceptor.js';
import { checkJsonInput } from './common/json-body-check.js';
import { jsonBodyParser } from './common/json-body-parser.js';
import { bindRequestContext } from './common/request-context.js';
import { assignRequestId } from './common/request-id.js';
import { createValidationPipe } from './common/validation.js';
import { invoiceCountPrescan } from './billing/invoice-count-prescan.js';
import { SLICED_DETAILS } from './billing/invoice-request.dto.js';
import { ParamTablesService } from './billing/param-tables.service.js';
import { serveConsole } from './console/serve-console.js';
import { httpMetricsMiddleware } from './health/http-metrics.middleware.js';
import { MetricsService } from './health/metrics.service.js';
import type { AppConfig } from './config/app.config.js';
import { setupSwagger } from './swagger.js';

/** Largest JSON body accepted: a full batch of FECAEDetRequest fits many times over. */
export const BODY_LIMIT = '512kb';

/**
 * Builds the gateway exactly as `main.ts` runs it (database, migrations, pipes, filter, Swagger), so that
 * end-to-end tests exercise the same application. The caller decides whether and where to listen.
 */
export async function createGateway(
  config: AppConfig,
  overrides: Parameters<typeof AppModule.forRoot>[1] = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, overrides), {
    bufferLogs: true,
    bodyParser: false,
    // Start-up failures reach main.ts, which prints one line and exits, instead of Nest's own abort.
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.use(assignRequestId);
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (config.http.trustProxy !== undefined) app.set('trust proxy', config.http.trustProxy);
  serveConsole(app);
  app.use(jsonBodyParser({ limit: BODY_LIMIT, prescan: invoiceCountPrescan(app.get(ParamTablesService)) }));
  app.use(checkJsonInput);
  app.use(bindRequestContext);
  // Validation first, then the scope check on the values validation produced.
  app.useGlobalPipes(createValidationPipe([SLICED_DETAILS]), app.get(ScopePipe));
  app.useGlobalInterceptors(new DeclaredQueryInterceptor());
  app.useGlobalFilters(new AllExceptionsFilter());
  setupSwagger(app);
  return app;
}
