import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from '../audit/audit.module.js';
import { AppConfig } from '../config/app.config.js';
import { AccessGuard } from './access.guard.js';
import { AccessRefusals } from './access-refusals.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { BootstrapAdmin } from './bootstrap-admin.js';
import { KeyThrottlerGuard } from './key-throttler.guard.js';
import { MeController } from './me.controller.js';
import { RefusalLimiter } from './refusal-limiter.js';
import { ScopePipe } from './scope.pipe.js';

/** API keys, roles and scopes: guards every route of the application (APP_GUARD), in this order. */
@Module({
  imports: [
    AuditModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.security.rateLimitPerMinute }],
        skipIf: () => config.security.rateLimitPerMinute === 0,
      }),
    }),
  ],
  controllers: [ApiKeysController, MeController],
  providers: [
    ApiKeyRepository,
    ApiKeysService,
    BootstrapAdmin,
    RefusalLimiter,
    AccessRefusals,
    ScopePipe,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: KeyThrottlerGuard },
  ],
})
export class AccessModule {}
