import { Injectable, Logger } from '@nestjs/common';
import { PADRON_SERVICE, PadronClient, PadronError, type Persona } from '#libs/afip-padron';
import { TicketService } from '../auth/ticket.service.js';
import { AppError } from '../common/app-error.js';
import { AppConfig } from '../config/app.config.js';
import { TaxpayerRepository } from './taxpayer.repository.js';
import { type TaxpayerView, taxpayerView } from './taxpayer-view.js';

/**
 * ARCA's taxpayer registry for the gateway: one person's constancia, asked with the represented CUIT's ticket for
 * ws_sr_constancia_inscripcion, cached in PostgreSQL (TAXPAYER_CACHE_HOURS), and asked once at a time per person
 * in this replica however many sales wait for it. An unknown person is cached too.
 */
@Injectable()
export class TaxpayersService {
  private readonly logger = new Logger('Taxpayers');
  private readonly inFlight = new Map<string, Promise<{ persona: Persona | null; fetchedAt: Date }>>();

  constructor(
    private readonly config: AppConfig,
    private readonly registry: PadronClient,
    private readonly tickets: TicketService,
    private readonly cache: TaxpayerRepository,
  ) {}

  /** The person, or `NOT_FOUND` when ARCA has none; `refresh` asks ARCA whatever the cache holds. */
  async lookup(represented: number, idPersona: number, refresh = false): Promise<TaxpayerView> {
    const environment = this.config.afip.environment;
    const found = await this.persona(represented, idPersona, refresh);
    if (!found.persona) {
      throw new AppError(
        'NOT_FOUND',
        `ARCA's registry has no person with id ${idPersona} (No existe persona con ese Id)`,
        {
          idPersona: String(idPersona),
        },
      );
    }
    return taxpayerView(idPersona, environment, found.persona, found);
  }

  /** The constancia as cached or as ARCA answers now; `persona: null` when ARCA has no such person. */
  async persona(
    represented: number,
    idPersona: number,
    refresh = false,
  ): Promise<{ persona: Persona | null; fetchedAt: Date; cached: boolean }> {
    const environment = this.config.afip.environment;
    if (!refresh) {
      const cached = await this.cache.read(environment, idPersona);
      if (cached && Date.now() - cached.fetchedAt.getTime() < this.config.afip.taxpayerCacheMs) {
        return { ...cached, cached: true };
      }
    }
    const key = `${environment}/${idPersona}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.ask(represented, idPersona).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return { ...(await pending), cached: false };
  }

  private async ask(
    represented: number,
    idPersona: number,
  ): Promise<{ persona: Persona | null; fetchedAt: Date }> {
    const fetchedAt = new Date();
    let persona: Persona | null;
    try {
      persona = await this.withTicket(represented, (auth) => this.registry.persona(auth, idPersona));
    } catch (error) {
      if (!(error instanceof PadronError) || error.kind !== 'not-found') throw refusal(error, idPersona);
      persona = null;
    }
    await this.cache.write(this.config.afip.environment, idPersona, { persona, fetchedAt });
    this.logger.log(
      `registry: ${idPersona} ${persona ? 'found' : 'unknown'} (asked for CUIT ${represented})`,
    );
    return { persona, fetchedAt };
  }

  /** With the represented CUIT's registry ticket, renewed once when ARCA refuses it. */
  private async withTicket<T>(
    represented: number,
    call: (auth: { token: string; sign: string; cuitRepresentada: number }) => Promise<T>,
  ): Promise<T> {
    const ticket = await this.tickets.get(String(represented), PADRON_SERVICE);
    const auth = (t: { token: string; sign: string }) => ({
      token: t.token,
      sign: t.sign,
      cuitRepresentada: represented,
    });
    try {
      return await call(auth(ticket));
    } catch (error) {
      if (!(error instanceof PadronError) || error.kind !== 'auth') throw error;
      return call(auth(await this.tickets.renew(String(represented), PADRON_SERVICE, ticket)));
    }
  }
}

/** A registry failure as the gateway answers it: nothing is guessed when ARCA cannot be asked. */
function refusal(error: unknown, idPersona: number): unknown {
  if (!(error instanceof PadronError)) return error;
  switch (error.kind) {
    case 'transient':
    case 'not-found':
      return new AppError(
        'AFIP_UNREACHABLE',
        `ARCA's taxpayer registry could not be asked about ${idPersona} (${error.message}); nothing was guessed, try again`,
        undefined,
        { cause: error, retryAfterSeconds: 10 },
      );
    case 'auth':
      return new AppError(
        'AFIP_AUTH_REFUSED',
        `ARCA's taxpayer registry refused the gateway's ticket (${error.message}): the certificate must be enabled ` +
          `for ${PADRON_SERVICE} ("Consulta Constancia de Inscripción") in ARCA's Administrador de Relaciones`,
        undefined,
        { cause: error },
      );
    case 'rejected':
      return new AppError(
        'AFIP_FAILED',
        `ARCA's taxpayer registry refused the request: ${error.message}`,
        undefined,
        {
          cause: error,
        },
      );
  }
}
