import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { UpstreamMetrics } from './upstream.metrics.js';

/** Readiness: the sales waiting in this replica's numbering lanes, and the deepest lane. Informative, always up. */
@Injectable()
export class LanesHealthIndicator {
  constructor(
    private readonly upstream: UpstreamMetrics,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(key = 'lanes') {
    const queues = this.upstream.queues();
    const deepest = queues.reduce<(typeof queues)[number] | undefined>(
      (found, lane) => (!found || lane.depth > found.depth ? lane : found),
      undefined,
    );
    return this.indicators.check(key).up({
      queued: queues.reduce((sum, lane) => sum + lane.depth, 0),
      deepest: deepest ? `${deepest.cuit}/${deepest.ptoVta}/${deepest.cbteTipo}: ${deepest.depth}` : null,
    });
  }
}
