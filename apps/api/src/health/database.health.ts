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
    const pool = new Gauge({
      name: 'arca_db_pool_connections',
      help: "This replica's database connection pool: size, busy connections, and queries waiting for one",
      labelNames: ['state'] as const,
      registers: [metrics.registry],
      collect: () => {
        const usage = this.database.poolUsage();
        pool.set({ state: 'size' }, usage.size);
        pool.set({ state: 'busy' }, usage.busy);
        pool.set({ state: 'waiting' }, usage.waiting);
      },
    });
    const lanes = new Gauge({
      name: 'arca_db_lanes_pool_connections',
      help: "This replica's numbering lanes' own connection pool: size, busy connections, and lanes or SENT writes waiting",
      labelNames: ['state'] as const,
      registers: [metrics.registry],
      collect: () => {
        const usage = this.database.lanesPoolUsage();
        lanes.set({ state: 'size' }, usage.size);
        lanes.set({ state: 'busy' }, usage.busy);
        lanes.set({ state: 'waiting' }, usage.waiting);
      },
    });
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
