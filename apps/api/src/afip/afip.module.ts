import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { SchemaCodec, SoapTransport } from '#libs/afip-soap';
import { PadronClient } from '#libs/afip-padron';
import { CaeaClient, WsfeClient } from '#libs/afip-wsfe';
import { projectPath } from '#libs/paths';
import { AppConfig } from '../config/app.config.js';

/** ARCA's WSFEv1 and taxpayer registry for the gateway: clients on one SOAP transport, driven by the project's WSDLs. */
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
    { provide: CaeaClient, inject: [WsfeClient], useFactory: (wsfe: WsfeClient) => new CaeaClient(wsfe) },
    {
      provide: PadronClient,
      inject: [AppConfig, SoapTransport],
      useFactory: (config: AppConfig, transport: SoapTransport) =>
        new PadronClient({
          url: config.afip.padronUrl,
          transport,
          codec: SchemaCodec.fromWsdl(
            readFileSync(projectPath('wsdl/ws_sr_constancia_inscripcion.wsdl'), 'utf8'),
          ),
        }),
    },
  ],
  exports: [WsfeClient, CaeaClient, PadronClient, SoapTransport],
})
export class AfipModule implements OnApplicationShutdown {
  constructor(private readonly transport: SoapTransport) {}

  /** Closes the keep-alive connections to ARCA. */
  onApplicationShutdown(): void {
    this.transport.close();
  }
}
