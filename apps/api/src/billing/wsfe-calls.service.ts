import { Injectable, Logger } from '@nestjs/common';
import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  type IPolicy,
  retry,
  wrap,
} from 'cockatiel';
import { TransportError } from '#libs/afip-soap';
import type { LoginTicket } from '#libs/afip-wsaa';
import { type WsfeAuth, WsfeError } from '#libs/afip-wsfe';
import { AppError } from '../common/app-error.js';
import { TicketService } from '../auth/ticket.service.js';
import { UpstreamMetrics } from '../health/upstream.metrics.js';
import { BillingOptions } from './billing.options.js';

const isTransient = (error: unknown) => error instanceof WsfeError && error.kind === 'transient';
const isFailure = (error: unknown) =>
  error instanceof WsfeError && (error.kind === 'transient' || error.kind === 'unknown-outcome');

/**
 * Every WSFEv1 call of the gateway: with the CUIT's access ticket (renewed once when ARCA refuses it), retried
 * with exponential backoff and jitter only when ARCA certainly did not process it, behind one circuit breaker
 * for the service, and translated into the gateway's errors. ARCA's business answers pass through untouched.
 */
@Injectable()
export class WsfeCalls {
  private readonly logger = new Logger('Wsfe');
  private readonly policy: IPolicy;
  private readonly breakerHalfOpenSeconds: number;

  constructor(
    private readonly tickets: TicketService,
    options: BillingOptions,
    upstream: UpstreamMetrics,
  ) {
    const breaker = circuitBreaker(handleWhen(isFailure), {
      halfOpenAfter: options.breakerHalfOpenMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold),
    });
    breaker.onBreak(() => {
      this.logger.error('WSFEv1 circuit open: calls fail fast until ARCA answers again');
      upstream.circuit('wsfe', 'open');
    });
    breaker.onHalfOpen(() => upstream.circuit('wsfe', 'half-open'));
    breaker.onReset(() => {
      this.logger.log('WSFEv1 circuit closed: ARCA answers again');
      upstream.circuit('wsfe', 'closed');
    });
    const retrying = retry(handleWhen(isTransient), {
      maxAttempts: options.retryAttempts,
      backoff: new ExponentialBackoff({
        initialDelay: options.retryInitialDelayMs,
        maxDelay: options.retryMaxDelayMs,
      }),
    });
    retrying.onRetry(({ delay, ...reason }) =>
      this.logger.warn(
        `WSFEv1 call failed, retrying in ${Math.round(delay)} ms: ${'error' in reason ? String(reason.error) : 'no answer'}`,
      ),
    );
    this.policy = wrap(retrying, breaker);
    this.breakerHalfOpenSeconds = options.breakerHalfOpenMs / 1000;
  }

  /** Runs one WSFEv1 call for `cuit`; throws only `AppError`s. */
  async run<T>(cuit: number, call: (auth: WsfeAuth) => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(() => this.withTicket(cuit, call));
    } catch (error) {
      throw this.explain(error);
    }
  }

  private async withTicket<T>(cuit: number, call: (auth: WsfeAuth) => Promise<T>): Promise<T> {
    const ticket = await this.tickets.get(String(cuit), 'wsfe');
    try {
      return await call(authOf(ticket, cuit));
    } catch (error) {
      if (!(error instanceof WsfeError) || error.kind !== 'auth') throw error;
      const renewed = await this.tickets.renew(String(cuit), 'wsfe', ticket);
      return call(authOf(renewed, cuit));
    }
  }

  private explain(error: unknown): unknown {
    if (error instanceof BrokenCircuitError) {
      return new AppError(
        'AFIP_UNREACHABLE',
        `ARCA's WSFEv1 failed repeatedly; the gateway is not calling it for up to ${this.breakerHalfOpenSeconds} s`,
        undefined,
        { cause: error, retryAfterSeconds: this.breakerHalfOpenSeconds },
      );
    }
    if (!(error instanceof WsfeError)) return error;
    const arca = error.errors.map((item) => ({ code: item.Code, msg: item.Msg }));
    switch (error.kind) {
      case 'rejected':
        return new AppError('AFIP_REJECTED', error.message, { errors: arca }, { cause: error });
      case 'auth':
        return new AppError(
          'AFIP_AUTH_REFUSED',
          `ARCA refused the access ticket: ${error.message}`,
          { errors: arca },
          { cause: error },
        );
      case 'unknown-outcome':
        return new AppError(
          'AFIP_TIMEOUT',
          `ARCA's answer to ${error.operation} did not arrive, so whether it was processed is unknown: ${error.message}`,
          undefined,
          { cause: error, retryAfterSeconds: 5 },
        );
      case 'transient':
        return error.cause instanceof TransportError
          ? new AppError(
              'AFIP_UNREACHABLE',
              `ARCA's WSFEv1 could not be reached after retries: ${error.message}`,
              undefined,
              { cause: error, retryAfterSeconds: 10 },
            )
          : new AppError(
              'AFIP_FAILED',
              `ARCA's WSFEv1 failed after retries: ${error.message}`,
              { errors: arca },
              { cause: error, retryAfterSeconds: 10 },
            );
    }
  }
}

function authOf(ticket: LoginTicket, cuit: number): WsfeAuth {
  return { Token: ticket.token, Sign: ticket.sign, Cuit: cuit };
}
