import { describe, expect, it } from 'vitest';
import { TransportError } from '#libs/afip-soap';
import type { LoginTicket } from '#libs/afip-wsaa';
import { type WsfeAuth, WsfeError } from '#libs/afip-wsfe';
import type { TicketService } from '../auth/ticket.service.js';
import type { UpstreamMetrics } from '../health/upstream.metrics.js';
import { AppError } from '../common/app-error.js';
import { BillingOptions } from './billing.options.js';
import { WsfeCalls } from './wsfe-calls.service.js';

const ticket = (token: string) => ({ token, sign: 's', uniqueId: token.length }) as unknown as LoginTicket;

function calls(options: Partial<BillingOptions> = {}) {
  const renewed: string[] = [];
  const tickets = {
    get: async () => ticket('t1'),
    renew: async (_cuit: string, _service: string, rejected: LoginTicket) => {
      renewed.push(rejected.token);
      return ticket('t22');
    },
  } as unknown as TicketService;
  const circuit: string[] = [];
  const upstream = {
    circuit: (_service: string, state: string) => circuit.push(state),
  } as unknown as UpstreamMetrics;
  const service = new WsfeCalls(
    tickets,
    Object.assign(new BillingOptions(), { retryInitialDelayMs: 1, retryMaxDelayMs: 2, ...options }),
    upstream,
  );
  return { service, renewed, circuit };
}

const transient = () =>
  new WsfeError('transient', 'FECAESolicitar', 'down', [], {
    cause: new TransportError('HTTP_STATUS', 'HTTP 503', true, 503),
  });

describe('WsfeCalls', () => {
  it('renews a refused ticket once and retries with the new one', async () => {
    const { service, renewed } = calls();
    const seen: string[] = [];
    const result = await service.run(20123456789, async (auth: WsfeAuth) => {
      seen.push(auth.Token);
      if (auth.Token === 't1') throw new WsfeError('auth', 'FECompUltimoAutorizado', '600 token');
      return 7;
    });
    expect(result).toBe(7);
    expect(seen).toEqual(['t1', 't22']);
    expect(renewed).toEqual(['t1']);
  });

  it('retries what ARCA certainly did not process, up to the limit, then answers 503 with Retry-After', async () => {
    const { service } = calls({ retryAttempts: 2 });
    let tries = 0;
    const failure = await service
      .run(20123456789, async () => {
        tries += 1;
        throw transient();
      })
      .catch((error: unknown) => error);
    expect(tries).toBe(3);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('AFIP_UNREACHABLE');
    expect((failure as AppError).retryAfterSeconds).toBeGreaterThan(0);
  });

  it('never retries a call whose outcome is unknown', async () => {
    const { service } = calls();
    let tries = 0;
    const failure = await service
      .run(20123456789, async () => {
        tries += 1;
        throw new WsfeError('unknown-outcome', 'FECAESolicitar', 'reset after sending');
      })
      .catch((error: unknown) => error);
    expect(tries).toBe(1);
    expect((failure as AppError).code).toBe('AFIP_TIMEOUT');
  });

  it("passes ARCA's refusals on as AFIP_REJECTED with its codes, unretried", async () => {
    const { service } = calls();
    let tries = 0;
    const failure = (await service
      .run(20123456789, async () => {
        tries += 1;
        throw new WsfeError('rejected', 'FECompUltimoAutorizado', '10015 bad', [{ Code: 10015, Msg: 'bad' }]);
      })
      .catch((error: unknown) => error)) as AppError;
    expect(tries).toBe(1);
    expect(failure.code).toBe('AFIP_REJECTED');
    expect(failure.details).toEqual({ errors: [{ code: 10015, msg: 'bad' }] });
  });

  it('opens the circuit after consecutive failures and then fails without calling', async () => {
    const { service, circuit } = calls({ retryAttempts: 0, breakerThreshold: 2, breakerHalfOpenMs: 60_000 });
    let tries = 0;
    const failing = () =>
      service
        .run(20123456789, async () => {
          tries += 1;
          throw transient();
        })
        .catch((error: unknown) => error as AppError);
    await failing();
    await failing();
    const open = await failing();
    expect(tries).toBe(2);
    expect(open.code).toBe('AFIP_UNREACHABLE');
    expect(open.retryAfterSeconds).toBe(60);
    // The breaker's state reaches /metrics (arca_circuit_state, arca_circuit_opened_total).
    expect(circuit).toEqual(['open']);
  });
});
