import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DatabaseModule } from '#libs/database';
import { projectPath } from '#libs/paths';
import { loggerOptions } from './common/logger.options.js';
import type { AppConfig } from './config/app.config.js';
import { ConfigModule } from './config/config.module.js';
import { AccessModule } from './access/access.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BillingModule } from './billing/billing.module.js';
import { PrintingModule } from './printing/printing.module.js';
import type { BillingOptions } from './billing/billing.options.js';
import type { AuthOptions } from './auth/auth.tokens.js';
import { HealthModule } from './health/health.module.js';
import { SandboxHostModule } from './sandbox/sandbox-host.module.js';

@Module({})
export class AppModule {
  /** `overrides` lets tests shorten timings; production uses the defaults. */
  static forRoot(
    config: AppConfig,
    overrides: { auth?: Partial<AuthOptions>; billing?: Partial<BillingOptions> } = {},
  ): DynamicModule {
    const auth = AuthModule.forRoot(overrides.auth);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config.logging)),
        DatabaseModule.forRoot({ ...config.database, migrationsDir: projectPath('prisma/migrations') }),
        HealthModule,
        SandboxHostModule.forRoot(config),
        AuditModule,
        AccessModule,
        auth,
        BillingModule.forRoot(auth, overrides.billing),
        PrintingModule.forRoot(auth),
      ],
    };
  }
}
