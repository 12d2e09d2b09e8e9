import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Registry } from 'prom-client';
import { PublicRoute } from '../access/access.decorator.js';
import { ErrorBodyDto } from '../common/error-body.dto.js';
import { ArcaHealthIndicator } from './arca.health.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { HeapWatch } from './heap.watch.js';
import { LanesHealthIndicator } from './lanes.health.js';
import { MetricsService } from './metrics.service.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';

@ApiTags('health')
@PublicRoute()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly arca: ArcaHealthIndicator,
    private readonly metrics: MetricsService,
    private readonly lanes: LanesHealthIndicator,
    private readonly heap: HeapWatch,
  ) {}

  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    summary:
      "Readiness: the database answers, ARCA's FEDummy reports its servers OK (cached 10 s) and the V8 heap is " +
      "under 85 % of its ceiling; with the database pool's use and the sales waiting in this replica's lanes",
  })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ok',
        info: {
          database: { status: 'up', latencyMs: 1, pool: { size: 10, busy: 2, waiting: 0 } },
          lanes: { status: 'up', queued: 0, deepest: null },
          heap: { status: 'up', usedMb: 61, limitMb: 4144, ratio: 0.015 },
        },
      },
    },
  })
  @ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: '`details` holds the failing checks' })
  ready() {
    return this.health.check([
      () => this.database.check(),
      () => this.arca.check(),
      () => this.lanes.check(),
      () => this.heap.check(),
    ]);
  }

  @Get('metrics')
  @UseGuards(MetricsTokenGuard)
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiProduces('text/plain')
  @ApiOperation({
    summary:
      'Prometheus metrics: process, HTTP, invoices, reconciliations, lanes, certificates (format 0.0.4)',
    description:
      'With METRICS_TOKEN set it needs `Authorization: Bearer <METRICS_TOKEN>`; with METRICS_PORT set it is served ' +
      'only on that management listener (404 here). Outside the sandbox one of the two is required at start-up.',
  })
  @ApiOkResponse({ schema: { type: 'string', example: 'arca_http_request_duration_seconds_count{...} 12' } })
  @ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'METRICS_TOKEN is set and was not presented' })
  async scrape(): Promise<string> {
    return this.metrics.render();
  }
}
