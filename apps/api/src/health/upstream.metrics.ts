import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { type SoapObservation, SoapTransport } from '#libs/afip-soap';
import { MetricsService } from './metrics.service.js';

/** ARCA's `Err`, `Obs` and `Evt` blocks in an answer: `<Err><Code>10016</Code>...`. */
const CODES = /<(Err|Obs|Evt)>\s*<Code>(\d{1,6})<\/Code>/g;
const KINDS = { Err: 'error', Obs: 'observation', Evt: 'event' } as const;
const CIRCUIT = { closed: 0, 'half-open': 1, open: 2 } as const;

export interface TicketExpiry {
  cuit: string;
  service: string;
  expirationTime: Date;
}

/**
 * How ARCA itself is doing, as an operator watches it: every WSAA, WSFEv1 and registry call's latency and outcome
 * (observed at the SOAP transport), ARCA's codes as received, WSAA logins and ticket lifetimes, the circuit
 * breaker, and the numbering lanes' queues. Label values are bounded: services and operations are the project's,
 * codes come from ARCA's tables, CUITs and lanes from the gateway's own configuration and traffic.
 */
@Injectable()
export class UpstreamMetrics {
  private readonly duration: Histogram<'service' | 'operation' | 'outcome'>;
  private readonly codes: Counter<'service' | 'operation' | 'kind' | 'code'>;
  private readonly logins: Counter<'cuit' | 'service' | 'outcome'>;
  private readonly circuitState: Gauge<'service'>;
  private readonly circuitOpened: Counter<'service'>;
  private readTickets: () => Promise<TicketExpiry[]> = () => Promise.resolve([]);
  private readQueues: () => { cuit: number; ptoVta: number; cbteTipo: number; depth: number }[] = () => [];

  constructor(metrics: MetricsService, transport: SoapTransport) {
    const registers = [metrics.registry];
    this.duration = new Histogram({
      name: 'arca_upstream_request_duration_seconds',
      help: "ARCA's calls (WSAA, WSFEv1, registry) by operation and outcome: ok, rejected (ARCA's Err), fault, timeout, unreachable",
      labelNames: ['service', 'operation', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.codes = new Counter({
      name: 'arca_upstream_codes_total',
      help: "ARCA's Err, Obs and Evt codes as received, by operation",
      labelNames: ['service', 'operation', 'kind', 'code'] as const,
      registers,
    });
    this.logins = new Counter({
      name: 'arca_wsaa_logins_total',
      help: 'WSAA logins by CUIT, service and outcome (ok, refused, unreachable)',
      labelNames: ['cuit', 'service', 'outcome'] as const,
      registers,
    });
    const expiry = new Gauge({
      name: 'arca_ticket_expiry_timestamp_seconds',
      help: 'When each stored access ticket expires (Unix seconds), per CUIT and WSAA service',
      labelNames: ['cuit', 'service'] as const,
      registers,
      collect: async () => {
        expiry.reset();
        for (const ticket of await this.readTickets().catch(() => [])) {
          expiry.set({ cuit: ticket.cuit, service: ticket.service }, ticket.expirationTime.getTime() / 1000);
        }
      },
    });
    this.circuitState = new Gauge({
      name: 'arca_circuit_state',
      help: 'The circuit breaker in front of an ARCA service: 0 closed, 1 half-open, 2 open',
      labelNames: ['service'] as const,
      registers,
    });
    this.circuitState.set({ service: 'wsfe' }, 0);
    this.circuitOpened = new Counter({
      name: 'arca_circuit_opened_total',
      help: 'Times the circuit breaker in front of an ARCA service opened',
      labelNames: ['service'] as const,
      registers,
    });
    this.circuitOpened.inc({ service: 'wsfe' }, 0);
    const depth = new Gauge({
      name: 'arca_lane_queue_depth',
      help: "Requests waiting in this replica's numbering lane queues, per lane",
      labelNames: ['cuit', 'ptoVta', 'cbteTipo'] as const,
      registers,
      collect: () => {
        depth.reset();
        for (const lane of this.readQueues()) {
          depth.set(
            { cuit: String(lane.cuit), ptoVta: String(lane.ptoVta), cbteTipo: String(lane.cbteTipo) },
            lane.depth,
          );
        }
      },
    });
    transport.observe((observation) => this.observed(observation));
  }

  /** Where the ticket gauge reads stored tickets from at each scrape. */
  readTicketsWith(read: () => Promise<TicketExpiry[]>): void {
    this.readTickets = read;
  }

  /** This replica's lane queues with requests waiting (readiness). */
  queues(): { cuit: number; ptoVta: number; cbteTipo: number; depth: number }[] {
    return this.readQueues();
  }

  /** Where the queue gauge reads this replica's lane queues from at each scrape. */
  readQueuesWith(read: () => { cuit: number; ptoVta: number; cbteTipo: number; depth: number }[]): void {
    this.readQueues = read;
  }

  login(cuit: string, service: string, outcome: 'ok' | 'refused' | 'unreachable'): void {
    this.logins.inc({ cuit, service, outcome });
  }

  circuit(service: string, state: keyof typeof CIRCUIT): void {
    this.circuitState.set({ service }, CIRCUIT[state]);
    if (state === 'open') this.circuitOpened.inc({ service });
  }

  private observed(observation: SoapObservation): void {
    const { service, operation } = observation;
    let rejected = false;
    if (observation.answer && observation.outcome === 'ok') {
      for (const match of observation.answer.matchAll(CODES)) {
        const kind = KINDS[match[1] as keyof typeof KINDS];
        if (kind === 'error') rejected = true;
        this.codes.inc({ service, operation, kind, code: match[2]! });
      }
    }
    const outcome = rejected ? 'rejected' : observation.outcome;
    this.duration.observe({ service, operation, outcome }, observation.durationMs / 1000);
  }
}
