import { Inject, Injectable, Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  buildTra,
  type LoginTicket,
  type NtpClock,
  signCms,
  type WsaaClient,
  WsaaError,
} from '#libs/afip-wsaa';
import { CredentialError } from '#libs/pki';
import { AppError } from '../common/app-error.js';
import { UpstreamMetrics } from '../health/upstream.metrics.js';
import { AppConfig } from '../config/app.config.js';
import type { AuditRecord } from '../audit/audit-entry.repository.js';
import { AccessTicketRepository, type StoredTicket, type TicketStatus } from './access-ticket.repository.js';
import { CredentialService } from './credential.service.js';
import { AuthOptions, NTP_CLOCK, WSAA_CLIENT } from './auth.tokens.js';

/**
 * Access tickets for WSFEv1 (and any WSAA service): from memory, else from the cluster's store, else one login
 * for the whole cluster. Never lets ticket handling fail a caller that could be served: when WSAA answers
 * `coe.alreadyAuthenticated`, another holder has a valid ticket, so it reads the store again and waits out
 * ARCA's window instead of failing.
 */
@Injectable()
export class TicketService {
  private readonly logger = new Logger('Tickets');
  private readonly memory = new Map<string, LoginTicket>();
  private readonly inFlight = new Map<string, Promise<LoginTicket>>();
  private readonly instance = `${hostname()}:${process.pid}`;

  constructor(
    private readonly config: AppConfig,
    private readonly store: AccessTicketRepository,
    private readonly credentials: CredentialService,
    @Inject(WSAA_CLIENT) private readonly wsaa: WsaaClient,
    @Inject(NTP_CLOCK) private readonly clock: NtpClock,
    private readonly options: AuthOptions,
    private readonly upstream: UpstreamMetrics,
  ) {
    upstream.readTicketsWith(() => this.status());
  }

  /**
   * A ticket valid for at least the safety margin. Fails with `MISCONFIGURED` (no usable certificate),
   * `AFIP_AUTH_REFUSED` (WSAA said no, with its code) or `AFIP_UNREACHABLE`.
   */
  get(cuit: string, service = 'wsfe'): Promise<LoginTicket> {
    const cached = this.memory.get(`${cuit}/${service}`);
    if (cached && this.usable(cached)) return Promise.resolve(cached);
    return this.singleFlight(cuit, service, () => this.obtain(cuit, service, { renew: false }));
  }

  /**
   * ARCA refused `rejected` (WSFEv1 600/601): forget it and get another. A ticket another replica stored in its
   * place is taken as is; otherwise this logs in again.
   */
  renew(cuit: string, service: string, rejected: LoginTicket): Promise<LoginTicket> {
    const key = `${cuit}/${service}`;
    if (this.memory.get(key)?.uniqueId === rejected.uniqueId) this.memory.delete(key);
    this.logger.warn(`ARCA refused the ${service} ticket of CUIT ${cuit}: renewing it`);
    return this.singleFlight(cuit, service, () =>
      this.obtain(cuit, service, { renew: false, replace: rejected.uniqueId }),
    );
  }

  private singleFlight(
    cuit: string,
    service: string,
    work: () => Promise<LoginTicket>,
  ): Promise<LoginTicket> {
    const key = `${cuit}/${service}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = work()
        .catch((error: unknown) => {
          throw this.explain(cuit, service, error);
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** Renews every stored ticket that expires within the renewal lead time (the scheduled job calls this). */
  async refreshExpiring(): Promise<number> {
    const horizon = this.clock.now().getTime() + this.options.renewBeforeMs;
    let renewed = 0;
    for (const ticket of await this.store.list(this.config.afip.environment)) {
      if (ticket.expirationTime.getTime() > horizon) continue;
      try {
        await this.obtain(ticket.cuit, ticket.service, { renew: true });
        renewed += 1;
      } catch (error) {
        this.logger.warn(
          `renewal of the ${ticket.service} ticket of CUIT ${ticket.cuit} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return renewed;
  }

  status(): Promise<TicketStatus[]> {
    return this.store.list(this.config.afip.environment);
  }

  /** `renew`: replace a ticket close to expiry; `replace`: the uniqueId of a ticket ARCA refused. */
  private async obtain(
    cuit: string,
    service: string,
    want: { renew: boolean; replace?: number },
  ): Promise<LoginTicket> {
    const environment = this.config.afip.environment;
    const key = `${cuit}/${service}`;
    const acceptable = (ticket: StoredTicket | undefined): ticket is StoredTicket =>
      !!ticket &&
      this.usable(ticket) &&
      !(want.renew && this.expiringSoon(ticket)) &&
      ticket.uniqueId !== want.replace;
    const stored = await this.store.find(cuit, service, environment);
    if (acceptable(stored)) return this.remember(key, stored);
    let obtained: LoginTicket | undefined;
    try {
      return await this.store.withLoginLock(cuit, service, environment, async () => {
        // Another replica may have logged in while this one waited for the lock.
        const current = await this.store.find(cuit, service, environment);
        if (acceptable(current)) return (obtained = this.remember(key, current));
        const ticket = await this.login(cuit, service, environment, current);
        return (obtained = this.remember(key, ticket));
      });
    } catch (error) {
      // The lock's transaction failed after the ticket was had (its connection dropped at commit): the ticket is
      // good, and ARCA would not issue another while it is valid.
      if (obtained) return obtained;
      throw error;
    }
  }

  private async login(
    cuit: string,
    service: string,
    environment: string,
    previous: StoredTicket | undefined,
  ): Promise<LoginTicket> {
    const deadline = Date.now() + this.options.alreadyAuthenticatedWaitMs;
    for (;;) {
      try {
        const credential = await this.credentials.get(cuit);
        const now = this.clock.now();
        const cms = await signCms(
          buildTra({ service, now }),
          credential.certificate,
          credential.privateKey,
          now,
        );
        const ticket = await this.wsaa.login(cms).catch((error: unknown) => {
          if (error instanceof WsaaError && !error.alreadyAuthenticated) {
            this.upstream.login(cuit, service, error.transient ? 'unreachable' : 'refused');
          }
          throw error;
        });
        this.upstream.login(cuit, service, 'ok');
        await this.keep(
          { ...ticket, cuit, service, environment, obtainedBy: this.instance },
          {
            kind: 'ticket.issued',
            actor: `gateway:${this.instance}`,
            subject: `ticket/${environment}/${cuit}/${service}`,
            cuit,
            payload: {
              service,
              environment,
              uniqueId: ticket.uniqueId,
              generationTime: ticket.generationTime,
              expirationTime: ticket.expirationTime,
              certificate: credential.subject,
            },
          },
        );
        this.logger.log(
          `ticket issued cuit=${cuit} service=${service} expires=${ticket.expirationTime.toISOString()}`,
        );
        return ticket;
      } catch (error) {
        if (!(error instanceof WsaaError) || !error.alreadyAuthenticated) throw error;
        // ARCA holds a valid ticket for this certificate: another holder stored it, or it was lost. Prefer the
        // stored one; otherwise wait out ARCA's window (2 min in production, 10 in homologation) and log in again.
        const stored = await this.store.find(cuit, service, environment);
        if (stored && this.usable(stored) && stored.uniqueId !== previous?.uniqueId) return stored;
        if (previous && this.usable(previous)) return previous;
        if (Date.now() > deadline) throw error;
        this.logger.warn(
          `WSAA says CUIT ${cuit} already has a ${service} ticket this gateway does not hold: retrying in ${this.options.alreadyAuthenticatedPollMs} ms`,
        );
        await sleep(this.options.alreadyAuthenticatedPollMs);
      }
    }
  }

  /**
   * Stores a ticket WSAA just issued, with its audit entry. When the store fails (its database connection dropped),
   * the ticket is not given up: ARCA issues no other while it is valid, so losing it would stop the CUIT's sales
   * for ARCA's whole window. The caller serves with it from memory, and it is stored again, later, until that
   * works or it expires; a retry first looks whether the failed attempt had committed after all.
   */
  private async keep(ticket: StoredTicket, audit: AuditRecord, attempt = 0): Promise<void> {
    const what = `the ${ticket.service} ticket WSAA issued for CUIT ${ticket.cuit}`;
    try {
      const stored =
        attempt > 0 ? await this.store.find(ticket.cuit, ticket.service, ticket.environment) : undefined;
      if (stored && stored.generationTime > ticket.generationTime) {
        // Another replica logged in after ARCA's window: its ticket stays, and this one is not recorded.
        this.logger.error(`${what} was not stored: a later one (${stored.uniqueId}) is, and stays`);
        return;
      }
      if (stored?.uniqueId !== ticket.uniqueId) await this.store.save(ticket, audit);
      if (attempt > 0) this.logger.log(`${what} is stored (${attempt} retries)`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!this.usable(ticket)) {
        this.logger.error(`${what} was never stored (${reason}) and has expired`);
        return;
      }
      const delayMs = Math.min(this.options.storeRetryMs * 2 ** attempt, 60_000);
      this.logger.error(
        `${what} could not be stored (${reason}): this replica keeps it in memory and stores it again in ${delayMs} ms`,
      );
      setTimeout(() => void this.keep(ticket, audit, attempt + 1), delayMs).unref();
    }
  }

  private explain(cuit: string, service: string, error: unknown): unknown {
    if (error instanceof CredentialError) {
      this.logger.error(error.message);
      return new AppError('MISCONFIGURED', error.publicMessage, undefined, {
        cause: error,
        adminMessage: error.message,
      });
    }
    if (error instanceof WsaaError) {
      this.logger.warn(`WSAA login for CUIT ${cuit} (${service}) failed: ${error.code}: ${error.message}`);
      return error.transient
        ? new AppError(
            'AFIP_UNREACHABLE',
            `WSAA could not be reached to log in for CUIT ${cuit}: ${error.message}`,
            undefined,
            { cause: error },
          )
        : new AppError(
            'AFIP_AUTH_REFUSED',
            `WSAA refused the login for CUIT ${cuit}: ${error.code}: ${error.message}`,
            { wsaaCode: error.code },
            { cause: error },
          );
    }
    return error;
  }

  private remember(key: string, ticket: LoginTicket): LoginTicket {
    this.memory.set(key, ticket);
    return ticket;
  }

  private usable(ticket: LoginTicket): boolean {
    return ticket.expirationTime.getTime() - this.options.expiryMarginMs > this.clock.now().getTime();
  }

  private expiringSoon(ticket: LoginTicket): boolean {
    return ticket.expirationTime.getTime() - this.options.renewBeforeMs <= this.clock.now().getTime();
  }
}
