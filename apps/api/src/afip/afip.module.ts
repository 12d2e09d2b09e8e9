import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { SchemaCodec, SoapTransport } from '#libs/afip-soap';
import { WsfeClient } from '#libs/afip-wsfe';
import { projectPath } from '#libs/paths';
import { AppConfig } from '../config/app.config.js';

/** ARCA's WSFEv1 for the gateway: one client on the shared SOAP transport, driven by the project's WSDL. */
@Module({
  providers: [
    { provide: SoapTransport, useFactory: () => new SoapTransport() },
    {
      provide: WsfeClient,
      inject: [AppConfig, SoapTransport],
      useFactory: (config: AppConfig, transport: SoapTransport) =>
        new WsfeClient({
          url: config.afip.wsfeUrl,
          transport,
          timeoutMs: config.afip.wsfeTimeoutMs,
          codec: SchemaCodec.fromWsdl(readFileSync(projectPath('wsdl/wsfev1.wsdl'), 'utf8')),
        }),
    },
  ],
  exports: [WsfeClient, SoapTransport],
})
export class AfipModule implements OnApplicationShutdown {
  constructor(private readonly transport: SoapTransport) {}

  /** Closes the keep-alive connections to ARCA. */
  onApplicationShutdown(): void {
    this.transport.close();
  }
}
