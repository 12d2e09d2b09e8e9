import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { firstValueFrom, from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../common/app-error.js';
import type { AppConfig } from '../config/app.config.js';
import { BULK_VOUCHERS, BulkTurnsInterceptor, MAX_WAITING } from './bulk-turns.interceptor.js';

function gate(bulkWaitMs = 60_000) {
  return new BulkTurnsInterceptor({ security: { bulkPerCuit: 2, bulkWaitMs } } as AppConfig);
}

function sale(cuit: number, vouchers: number): ExecutionContext {
  const body = {
    Auth: { Cuit: cuit },
    FeCAEReq: { FeDetReq: { FECAEDetRequest: Array.from({ length: vouchers }, () => ({})) } },
  };
  return { switchToHttp: () => ({ getRequest: () => ({ body }) }) } as unknown as ExecutionContext;
}

/** A sale sent through the gate: whether its handler started, and `finish()` to end it. */
function send(interceptor: BulkTurnsInterceptor, context: ExecutionContext) {
  let finish!: () => void;
  const handler = new Promise<string>((resolve) => (finish = () => resolve('done')));
  const state = { started: false, finish: () => finish(), answer: undefined as Promise<unknown> | undefined };
  const next: CallHandler = {
    handle: () => {
      state.started = true;
      return from(handler);
    },
  };
  state.answer = firstValueFrom(interceptor.intercept(context, next));
  return state;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("a CUIT's bulk sales, two at a time", () => {
  it('starts a third bulk sale only when one of the first two ends, oldest waiting first', async () => {
    const interceptor = gate();
    const [a, b, c, d] = [1, 2, 3, 4].map(() => send(interceptor, sale(20123456789, BULK_VOUCHERS + 1)));
    await turn();
    expect([a!.started, b!.started, c!.started, d!.started]).toEqual([true, true, false, false]);
    b!.finish();
    await b!.answer;
    await turn();
    expect([c!.started, d!.started]).toEqual([true, false]);
    a!.finish();
    c!.finish();
    await Promise.all([a!.answer, c!.answer]);
    await turn();
    expect(d!.started).toBe(true);
    d!.finish();
    await expect(d!.answer).resolves.toBe('done');
  });

  it("never holds a sale of up to ten vouchers, nor another CUIT's bulk sale", async () => {
    const interceptor = gate();
    const busy = [1, 2].map(() => send(interceptor, sale(20123456789, 250)));
    const small = send(interceptor, sale(20123456789, BULK_VOUCHERS));
    const other = send(interceptor, sale(30712345671, 250));
    await turn();
    expect([small.started, other.started]).toEqual([true, true]);
    for (const each of [...busy, small, other]) each.finish();
  });

  it('answers 503 with Retry-After, its handler never run, when no turn comes within BULK_WAIT_MS', async () => {
    const interceptor = gate(30);
    const busy = [1, 2].map(() => send(interceptor, sale(20123456789, 250)));
    const late = send(interceptor, sale(20123456789, 250));
    const refusal = (await late.answer!.catch((error: unknown) => error)) as AppError;
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal.code).toBe('UNAVAILABLE');
    expect(refusal.retryAfterSeconds).toBe(2);
    expect(refusal.message).toContain('BULK_WAIT_MS');
    expect(late.started).toBe(false);
    // The turn it gave up is not lost: once one ends, the next sale runs.
    busy[0]!.finish();
    await busy[0]!.answer;
    const after = send(interceptor, sale(20123456789, 250));
    await turn();
    expect(after.started).toBe(true);
    for (const each of [busy[1]!, after]) each.finish();
  });

  it('refuses at once a bulk sale past the waiting ones a CUIT may have', async () => {
    const interceptor = gate();
    const all = Array.from({ length: 2 + MAX_WAITING }, () => send(interceptor, sale(20123456789, 250)));
    const refused = send(interceptor, sale(20123456789, 250));
    await expect(refused.answer).rejects.toThrow(`${MAX_WAITING} bulk sales waiting`);
    for (const each of all) each.finish();
    await Promise.all(all.map((each) => each.answer));
  });
});
