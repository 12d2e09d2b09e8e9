import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AuthOptions } from './auth.tokens.js';
import { TicketService } from './ticket.service.js';

/** Renews tickets ahead of expiry, so that no invoice waits for a WSAA login. Only schedules and delegates. */
@Injectable()
export class TicketRefreshJob implements OnApplicationBootstrap {
  constructor(
    private readonly tickets: TicketService,
    private readonly scheduler: SchedulerRegistry,
    private readonly options: AuthOptions,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.refresh(), this.options.refreshIntervalMs);
    timer.unref();
    this.scheduler.addInterval('ticket-refresh', timer);
  }

  refresh(): Promise<number> {
    return this.tickets.refreshExpiring();
  }
}
