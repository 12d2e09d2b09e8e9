import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { SoapTransport } from '#libs/afip-soap';
import { NtpClock, WsaaClient } from '#libs/afip-wsaa';
import { AuditModule } from '../audit/audit.module.js';
import { AfipModule } from '../afip/afip.module.js';
import { AppConfig } from '../config/app.config.js';
import { HealthModule } from '../health/health.module.js';
import { AccessTicketRepository } from './access-ticket.repository.js';
import { AuthOptions, NTP_CLOCK, WSAA_CLIENT } from './auth.tokens.js';
import { CertificatesController } from './certificates.controller.js';
import { CredentialService } from './credential.service.js';
import { loadTicketCipher } from './ticket-cipher.provider.js';
import { TicketCipher } from './ticket-cipher.js';
import { TicketRefreshJob } from './ticket-refresh.job.js';
import { TicketService } from './ticket.service.js';
import { TicketsController } from './tickets.controller.js';

@Module({})
export class AuthModule {
  static forRoot(options: Partial<AuthOptions> = {}): DynamicModule {
    return {
      module: AuthModule,
      imports: [ScheduleModule.forRoot(), HealthModule, AfipModule, AuditModule],
      controllers: [TicketsController, CertificatesController],
      providers: [
        { provide: AuthOptions, useValue: Object.assign(new AuthOptions(), options) },
        {
          provide: WSAA_CLIENT,
          inject: [AppConfig, SoapTransport],
          useFactory: (config: AppConfig, transport: SoapTransport) =>
            new WsaaClient({ url: config.afip.wsaaUrl, transport }),
        },
        {
          provide: NTP_CLOCK,
          inject: [AppConfig, AuthOptions],
          // Measured before the first login can use it; an unreachable server costs at most its timeout.
          useFactory: async (config: AppConfig, options: AuthOptions) => {
            const logger = new Logger('Clock');
            const clock = new NtpClock({
              server: config.afip.ntpServer,
              systemNow: options.systemNow,
              log: { warn: (message) => logger.warn(message), info: (message) => logger.log(message) },
            });
            await clock.sync();
            return clock;
          },
        },
        { provide: TicketCipher, inject: [AppConfig], useFactory: loadTicketCipher },
        AccessTicketRepository,
        CredentialService,
        TicketService,
        TicketRefreshJob,
      ],
      exports: [TicketService],
    };
  }
}
