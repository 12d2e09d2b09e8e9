import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SchemaCodec } from '#libs/afip-soap';
import { DevCa } from '#libs/pki';
import { SandboxClock } from './clock.js';
import { FaultInjector, type FaultRule } from './faults.js';
import { ControlApi } from './http/control-api.js';
import { createSandboxServer, PADRON_PATH, WSAA_PATH, WSFE_PATH } from './http/sandbox-http.js';
import { PadronEndpoint } from './padron/padron.endpoint.js';
import { REGISTRY } from './padron/registry.js';
import { TicketAuthority } from './ticket-authority.js';
import { LoginService } from './wsaa/login.service.js';
import { handleWsaa } from './wsaa/wsaa.endpoint.js';
import { ExchangeRates } from './wsfe/rates.js';
import { StateLog } from './wsfe/state-log.js';
import { VoucherStore } from './wsfe/voucher-store.js';
import { WsfeEndpoint } from './wsfe/wsfe.endpoint.js';
import { WsfeService } from './wsfe/wsfe.service.js';

export interface SandboxOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Where the sandbox CA and the ticket secret live (created on first start). */
  stateDir: string;
  /** The project's `wsdl/` directory. */
  wsdlDir: string;
  /** Window in which a second login for the same certificate and service is refused. Default 120 s. */
  alreadyAuthenticatedMs?: number;
  /** FECompTotXRequest. Default 250. */
  maxRecords?: number;
  /** Keep vouchers, numbering and CAEAs across restarts in this append-only log (default: memory only). */
  stateFile?: string;
  /** Receiver CUITs the sandbox's registry lists as Monotributo (class A vouchers to them get Obs 10217). */
  monotributistas?: number[];
  /** CUITs the registry does not know (default 30600000000): vouchers to them are rejected with 10015. */
  unregistered?: number[];
  faults?: Omit<FaultRule, 'id'>[];
  /**
   * Take CAEA reports on the first day of the CAEA's validity too (ARCA refuses them with 1414 until the next day).
   * For tests that run on the real date, which may be the 1st or the 16th. Default false, as ARCA does.
   */
  caeaReportsOnFirstDay?: boolean;
  log?: (line: string) => void;
}

export interface Sandbox {
  url: string;
  port: number;
  wsaaUrl: string;
  wsfeUrl: string;
  /** The taxpayer registry (ws_sr_constancia_inscripcion). */
  padronUrl: string;
  ca: DevCa;
  clock: SandboxClock;
  store: VoucherStore;
  faults: FaultInjector;
  logins: LoginService;
  close(): Promise<void>;
}

// ARCA's homologation registry has 30000000007 as a Monotributo receiver (recorded Obs 10217, PROTOCOL.md 4.2).
// Monotributo receivers for WSFEv1's 10217. Not the registry's 20111111112: the manual's own example sends a
// Factura A to that CUIT and ARCA approves it without observations (test/conformance/sandbox-replay.spec.ts).
const DEFAULT_MONOTRIBUTISTAS = [30000000007];
// A CUIT with a valid check digit that nobody holds, as ARCA's registry answers "No existe persona con ese Id".
const DEFAULT_UNREGISTERED = [30600000000];
const WSDL_PLACEHOLDER = 'http://localhost:8081';

/** Starts a faithful WSAA + WSFEv1 simulator on `options.port`. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const log = options.log ?? (() => undefined);
  mkdirSync(options.stateDir, { recursive: true });
  const ca = await DevCa.loadOrCreate(options.stateDir);
  const clock = new SandboxClock();
  const tickets = new TicketAuthority(ticketSecret(options.stateDir));
  const stateLog = options.stateFile ? new StateLog(options.stateFile) : undefined;
  const store: VoucherStore = new VoucherStore((change) => stateLog?.changed(change));
  stateLog?.load(store);
  const rates = new ExchangeRates();
  const faults = new FaultInjector();
  for (const rule of options.faults ?? []) faults.add({ ...rule, id: `env-${faults.list().length + 1}` });
  const logins = new LoginService({
    ca: ca.certificate,
    clock,
    tickets,
    alreadyAuthenticatedMs: options.alreadyAuthenticatedMs ?? 120_000,
  });
  const wsdl = {
    wsaa: readFileSync(join(options.wsdlDir, 'wsaa.wsdl'), 'utf8'),
    wsfe: readFileSync(join(options.wsdlDir, 'wsfev1.wsdl'), 'utf8'),
    padron: readFileSync(join(options.wsdlDir, 'ws_sr_constancia_inscripcion.wsdl'), 'utf8'),
  };
  const service = new WsfeService({
    clock,
    tickets,
    store,
    rates,
    maxRecords: options.maxRecords ?? 250,
    monotributistas: new Set(options.monotributistas ?? DEFAULT_MONOTRIBUTISTAS),
    unregistered: new Set(options.unregistered ?? DEFAULT_UNREGISTERED),
    caeaReportsOnFirstDay: options.caeaReportsOnFirstDay ?? false,
  });
  const wsfe = new WsfeEndpoint(SchemaCodec.fromWsdl(wsdl.wsfe), service, clock);
  const padron = new PadronEndpoint(SchemaCodec.fromWsdl(wsdl.padron), REGISTRY, tickets, clock);
  const control = new ControlApi({ faults, store, logins, clock, rates });
  const { server, sockets } = createSandboxServer({
    wsaa: (body) => handleWsaa(body, logins),
    wsfe: (body, headers) => wsfe.handle(body, headers as { soapaction?: string; 'content-type'?: string }),
    padron: (body) => padron.handle(body),
    wsdl: (name, base) => wsdl[name].replaceAll(WSDL_PLACEHOLDER, base),
    control,
    faults,
    log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`;
  log(
    `ARCA sandbox listening: WSAA ${url}${WSAA_PATH}, WSFEv1 ${url}${WSFE_PATH}, registry ${url}${PADRON_PATH}, ` +
      `control ${url}/__sandbox/state`,
  );
  return {
    url,
    port,
    wsaaUrl: `${url}${WSAA_PATH}`,
    wsfeUrl: `${url}${WSFE_PATH}`,
    padronUrl: `${url}${PADRON_PATH}`,
    ca,
    clock,
    store,
    faults,
    logins,
    close: async () => {
      await stateLog?.flush();
      await new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
    },
  };
}

/** The key tickets are signed with, kept beside the CA so tickets stay valid across restarts. */
function ticketSecret(stateDir: string): Buffer {
  const file = join(stateDir, 'ticket.secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}
