import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app.config.js';
import { EmbeddedSandbox } from './embedded-sandbox.js';

@Module({})
export class SandboxHostModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SandboxHostModule,
      providers: [{ provide: EmbeddedSandbox, useFactory: () => EmbeddedSandbox.start(config) }],
      exports: [EmbeddedSandbox],
    };
  }
}
