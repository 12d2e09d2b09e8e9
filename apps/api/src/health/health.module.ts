import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AfipModule } from '../afip/afip.module.js';
import { ArcaHealthIndicator } from './arca.health.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { HeapWatch } from './heap.watch.js';
import { LanesHealthIndicator } from './lanes.health.js';
import { DatabasePingRepository } from './database-ping.repository.js';
import { HealthController } from './health.controller.js';
import { MetricsListener } from './metrics-listener.js';
import { MetricsService } from './metrics.service.js';
import { UpstreamMetrics } from './upstream.metrics.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), AfipModule],
  controllers: [HealthController],
  providers: [
    DatabaseHealthIndicator,
    DatabasePingRepository,
    ArcaHealthIndicator,
    LanesHealthIndicator,
    HeapWatch,
    MetricsService,
    MetricsListener,
    UpstreamMetrics,
  ],
  exports: [MetricsService, UpstreamMetrics],
})
export class HealthModule {}
