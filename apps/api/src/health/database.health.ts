import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DatabasePingRepository } from './database-ping.repository.js';

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly database: DatabasePingRepository,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'database') {
    const indicator = this.indicators.check(key);
    const started = performance.now();
    try {
      await this.database.ping();
      return indicator.up({ latencyMs: Math.round(performance.now() - started) });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
