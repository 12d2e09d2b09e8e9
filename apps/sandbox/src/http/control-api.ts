import type { SandboxClock } from '../clock.js';
import { type FaultInjector, FaultRuleError, parseFaultRule } from '../faults.js';
import type { LoginService } from '../wsaa/login.service.js';
import type { ExchangeRates } from '../wsfe/rates.js';
import type { VoucherStore } from '../wsfe/voucher-store.js';

export interface ControlReply {
  status: number;
  body: unknown;
}

export interface ControlApiDeps {
  faults: FaultInjector;
  store: VoucherStore;
  logins: LoginService;
  clock: SandboxClock;
  rates: ExchangeRates;
}

/**
 * `/__sandbox/*`: what tests and integrators use to drive the sandbox. Stable interface (issue "ARCA sandbox"):
 * faults (POST adds, DELETE clears, GET lists), state (GET), reset (POST); plus clock, seed and rates.
 */
export class ControlApi {
  constructor(private readonly deps: ControlApiDeps) {}

  handle(method: string, path: string, body: string): ControlReply {
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      return { status: 400, body: { error: 'body must be JSON' } };
    }
    const route = `${method} ${path}`;
    try {
      switch (route) {
        case 'POST /__sandbox/faults':
          return { status: 201, body: this.deps.faults.add(parseFaultRule(input)) };
        case 'GET /__sandbox/faults':
          return { status: 200, body: { faults: this.deps.faults.list() } };
        case 'DELETE /__sandbox/faults':
          this.deps.faults.clear();
          return { status: 200, body: { faults: [] } };
        case 'GET /__sandbox/state':
          return { status: 200, body: this.state() };
        case 'POST /__sandbox/reset':
          this.deps.faults.clear();
          this.deps.store.reset();
          this.deps.logins.reset();
          this.deps.clock.reset();
          return { status: 200, body: this.state() };
        case 'GET /__sandbox/clock':
          return { status: 200, body: this.clock() };
        case 'POST /__sandbox/clock':
          return this.setClock(input as { now?: string; offsetMs?: number });
        case 'POST /__sandbox/points-of-sale':
          return this.registerPoint(input as Record<string, unknown>);
        case 'POST /__sandbox/seed':
          return this.seed(input as Record<string, unknown>);
        case 'POST /__sandbox/rates': {
          const { monId, rate } = input as { monId?: string; rate?: number };
          if (typeof monId !== 'string' || !(typeof rate === 'number' && rate > 0))
            return bad('monId (string) and rate (> 0) are required');
          this.deps.rates.set(monId, rate);
          return { status: 200, body: { monId, rate } };
        }
        default:
          return { status: 404, body: { error: `no route ${route}` } };
      }
    } catch (error) {
      if (error instanceof FaultRuleError) return bad(error.message);
      throw error;
    }
  }

  private state() {
    return {
      vouchers: this.deps.store.all().flatMap((voucher) =>
        range(voucher.cbteDesde, voucher.cbteHasta).map((cbteNro) => ({
          cuit: voucher.cuit,
          ptoVta: voucher.ptoVta,
          cbteTipo: voucher.cbteTipo,
          cbteNro,
          cbteFch: voucher.cbteFch,
          impTotal: voucher.impTotal,
          cae: voucher.codAutorizacion,
          caeFchVto: voucher.fchVto,
          docTipo: voucher.detail.DocTipo,
          docNro: voucher.detail.DocNro,
          condicionIvaReceptorId: voucher.detail.CondicionIVAReceptorId ?? null,
          emisionTipo: voucher.emisionTipo,
          ...(voucher.emisionTipo === 'CAEA'
            ? { caea: voucher.codAutorizacion, cbteFchHsGen: voucher.detail.CbteFchHsGen ?? null }
            : {}),
        })),
      ),
      logins: this.deps.logins.logins.length,
    };
  }

  private clock() {
    return { now: this.deps.clock.now().toISOString(), offsetMs: this.deps.clock.offset };
  }

  private setClock(input: { now?: string; offsetMs?: number }): ControlReply {
    if (typeof input.now === 'string') {
      const date = new Date(input.now);
      if (Number.isNaN(date.getTime())) return bad('now must be an ISO 8601 date-time');
      this.deps.clock.set(date);
    } else if (typeof input.offsetMs === 'number') {
      this.deps.clock.reset();
      this.deps.clock.shift(input.offsetMs);
    } else {
      return bad('give "now" (ISO 8601) or "offsetMs"');
    }
    return { status: 200, body: this.clock() };
  }

  /** Registers a point of sale as CAE or CAEA (contingency); FEParamGetPtosVenta lists it so. */
  private registerPoint(input: Record<string, unknown>): ControlReply {
    const { cuit, ptoVta, emisionTipo } = input;
    if (!Number.isSafeInteger(cuit) || (cuit as number) <= 0) return bad('cuit must be a positive integer');
    if (!Number.isInteger(ptoVta) || (ptoVta as number) < 1 || (ptoVta as number) > 99_998)
      return bad('ptoVta must be an integer from 1 to 99998');
    if (emisionTipo !== 'CAE' && emisionTipo !== 'CAEA') return bad('emisionTipo must be "CAE" or "CAEA"');
    const point = {
      cuit: cuit as number,
      ptoVta: ptoVta as number,
      emisionTipo: emisionTipo as 'CAE' | 'CAEA',
    };
    this.deps.store.registerPoint(point);
    return { status: 201, body: point };
  }

  private seed(input: Record<string, unknown>): ControlReply {
    const numbers = ['cuit', 'ptoVta', 'cbteTipo', 'lastNumber'].map((key) => input[key]);
    if (!numbers.every((value) => Number.isSafeInteger(value) && (value as number) >= 0)) {
      return bad('cuit, ptoVta, cbteTipo and lastNumber must be non-negative integers');
    }
    const [cuit, ptoVta, cbteTipo, lastNumber] = numbers as number[];
    const lastFch = typeof input.lastFch === 'string' ? input.lastFch : '';
    this.deps.store.seed(cuit as number, ptoVta as number, cbteTipo as number, lastNumber as number, lastFch);
    return { status: 200, body: { cuit, ptoVta, cbteTipo, lastNumber, lastFch } };
  }
}

function bad(error: string): ControlReply {
  return { status: 400, body: { error } };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
}
