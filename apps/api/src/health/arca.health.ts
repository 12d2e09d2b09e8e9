import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { WsfeClient } from '#libs/afip-wsfe';

const CACHE_MS = 10_000;
const TIMEOUT_MS = 3_000;

/**
 * Readiness of ARCA's WSFEv1 by its FEDummy (app, database and auth servers). The answer is cached for 10 s, so
 * probes every second never hammer ARCA; a probe waits at most 3 s.
 */
@Injectable()
export class ArcaHealthIndicator {
  private last?: { at: number; up: boolean; detail: Record<string, unknown> };
  private pending?: Promise<{ up: boolean; detail: Record<string, unknown> }>;

  constructor(
    private readonly wsfe: WsfeClient,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'arca') {
    const indicator = this.indicators.check(key);
    const result = await this.probe();
    return result.up ? indicator.up(result.detail) : indicator.down(result.detail);
  }

  private async probe(): Promise<{ up: boolean; detail: Record<string, unknown> }> {
    if (this.last && Date.now() - this.last.at < CACHE_MS) return this.last;
    this.pending ??= this.ask().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async ask(): Promise<{ up: boolean; detail: Record<string, unknown> }> {
    const started = performance.now();
    let outcome: { up: boolean; detail: Record<string, unknown> };
    try {
      const dummy = await Promise.race([
        this.wsfe.dummy(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref(),
        ),
      ]);
      const up = dummy.AppServer === 'OK' && dummy.DbServer === 'OK' && dummy.AuthServer === 'OK';
      outcome = { up, detail: { ...dummy, latencyMs: Math.round(performance.now() - started) } };
    } catch (error) {
      outcome = { up: false, detail: { message: error instanceof Error ? error.message : String(error) } };
    }
    this.last = { at: Date.now(), ...outcome };
    return outcome;
  }
}
