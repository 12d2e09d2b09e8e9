import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Gauge } from 'prom-client';
import { getHeapStatistics } from 'node:v8';
import { MetricsService } from './metrics.service.js';

/** Past this share of the heap ceiling the replica reports not ready, so a load balancer sends it no more work. */
export const HEAP_NOT_READY = 0.85;
/** Past this share, three readings in a row, it stops cleanly (SIGTERM, exit 143) to be restarted, not thrash. */
export const HEAP_EXIT = 0.95;
const EVERY_MS = 2_000;
const EXIT_AFTER = 3;

/**
 * The V8 heap against its ceiling (`--max-old-space-size`, or V8's default for the machine), read every 2 s: a
 * readiness check, the `arca_heap_used_ratio` gauge, and a clean stop before the heap is exhausted.
 */
@Injectable()
export class HeapWatch implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Heap');
  private readonly ratioGauge: Gauge;
  private timer?: NodeJS.Timeout;
  private over = 0;

  constructor(
    private readonly indicators: HealthIndicatorService,
    metrics: MetricsService,
  ) {
    this.ratioGauge = new Gauge({
      name: 'arca_heap_used_ratio',
      help: 'V8 heap used over its ceiling (heap_size_limit); not ready above 0.85, stops above 0.95',
      registers: [metrics.registry],
      collect: () => this.ratioGauge.set(this.reading().ratio),
    });
  }

  onModuleInit(): void {
    this.timer = setInterval(() => this.watch(), EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  check(key = 'heap') {
    const { usedMb, limitMb, ratio } = this.reading();
    const details = { usedMb, limitMb, ratio: Number(ratio.toFixed(3)) };
    const indicator = this.indicators.check(key);
    return ratio > HEAP_NOT_READY ? indicator.down(details) : indicator.up(details);
  }

  reading(): { usedMb: number; limitMb: number; ratio: number } {
    const heap = getHeapStatistics();
    return {
      usedMb: Math.round(heap.used_heap_size / 2 ** 20),
      limitMb: Math.round(heap.heap_size_limit / 2 ** 20),
      ratio: heap.used_heap_size / heap.heap_size_limit,
    };
  }

  private watch(): void {
    const { usedMb, limitMb, ratio } = this.reading();
    this.over = ratio > HEAP_EXIT ? this.over + 1 : 0;
    if (this.over === EXIT_AFTER) {
      this.logger.error(
        `heap at ${usedMb} of ${limitMb} MB for ${(EXIT_AFTER * EVERY_MS) / 1000} s: stopping to be restarted ` +
          '(raise --max-old-space-size, or find what grows)',
      );
      process.kill(process.pid, 'SIGTERM');
    }
  }
}
