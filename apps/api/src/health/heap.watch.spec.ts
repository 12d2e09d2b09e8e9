import { HealthIndicatorService } from '@nestjs/terminus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const heap = { used_heap_size: 0, heap_size_limit: 1000 * 2 ** 20 };
vi.mock('node:v8', () => ({ getHeapStatistics: () => heap }));

const { HeapWatch } = await import('./heap.watch.js');
const { MetricsService } = await import('./metrics.service.js');

describe('the heap watch', () => {
  let watch: InstanceType<typeof HeapWatch>;
  let kill: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    vi.useFakeTimers();
    kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    watch = new HeapWatch(new HealthIndicatorService(), new MetricsService());
    watch.onModuleInit();
  });
  afterEach(() => {
    watch.onModuleDestroy();
    kill.mockRestore();
    vi.useRealTimers();
  });

  it('is ready under 85 % of the ceiling and not ready above it', () => {
    heap.used_heap_size = 800 * 2 ** 20;
    expect(watch.check()).toEqual({ heap: { status: 'up', usedMb: 800, limitMb: 1000, ratio: 0.8 } });
    heap.used_heap_size = 900 * 2 ** 20;
    expect(watch.check()).toEqual({ heap: { status: 'down', usedMb: 900, limitMb: 1000, ratio: 0.9 } });
  });

  it('stops the process cleanly after three readings above 95 %, not after one', () => {
    heap.used_heap_size = 960 * 2 ** 20;
    vi.advanceTimersByTime(2_000);
    heap.used_heap_size = 500 * 2 ** 20; // a spike that passes
    vi.advanceTimersByTime(2_000);
    heap.used_heap_size = 960 * 2 ** 20;
    vi.advanceTimersByTime(4_000);
    expect(kill).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_000);
    expect(kill).toHaveBeenCalledTimes(1);
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGTERM');
    vi.advanceTimersByTime(10_000);
    expect(kill).toHaveBeenCalledTimes(1);
  });
});
