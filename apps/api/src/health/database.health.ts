import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Gauge } from 'prom-client';
import { DatabasePingRepository } from './database-ping.repository.js';
import { MetricsService } from './metrics.service.js';

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly database: DatabasePingRepository,
    private readonly indicators: HealthIndicatorService,
    metrics: MetricsService,
  ) {
    poolGauge(
      metrics,
      'arca_db_pool_connections',
      "This replica's database connection pool: size, busy connections, and queries waiting for one",
      () => this.database.poolUsage(),
    );
    poolGauge(
      metrics,
      'arca_db_lanes_pool_connections',
      "This replica's numbering lanes' own connection pool: size, busy connections, and lanes or SENT writes waiting",
      () => this.database.lanesPoolUsage(),
    );
  }

  async check(key = 'database') {
    const indicator = this.indicators.check(key);
    const started = performance.now();
    try {
      await this.database.ping();
      return indicator.up({
        latencyMs: Math.round(performance.now() - started),
        pool: this.database.poolUsage(),
        lanesPool: this.database.lanesPoolUsage(),
      });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}

/** A pool's size, busy connections and waiters as one gauge, labelled by `state`, read when scraped. */
function poolGauge(
  metrics: MetricsService,
  name: string,
  help: string,
  usage: () => { size: number; busy: number; waiting: number },
): void {
  const gauge = new Gauge({
    name,
    help,
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    collect: () => {
      const { size, busy, waiting } = usage();
      gauge.set({ state: 'size' }, size);
      gauge.set({ state: 'busy' }, busy);
      gauge.set({ state: 'waiting' }, waiting);
    },
  });
}
