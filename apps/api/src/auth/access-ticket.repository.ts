import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error.js';
import { PrismaService } from '#libs/database';
import type { LoginTicket } from '#libs/afip-wsaa';
import { AuditEntryRepository, type AuditRecord } from '../audit/audit-entry.repository.js';
import { TicketCipher } from './ticket-cipher.js';

export interface StoredTicket extends LoginTicket {
  cuit: string;
  service: string;
  environment: string;
  obtainedBy: string;
}

export interface TicketStatus {
  cuit: string;
  service: string;
  environment: string;
  generationTime: Date;
  expirationTime: Date;
  obtainedBy: string;
}

/** The cluster's tickets in `access_ticket`: token and sign encrypted, one row per (CUIT, service, environment). */
@Injectable()
export class AccessTicketRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly cipher: TicketCipher,
    private readonly audit: AuditEntryRepository,
  ) {}

  async find(cuit: string, service: string, environment: string): Promise<StoredTicket | undefined> {
    const row = await this.prisma.accessTicket.findUnique({
      where: { cuit_service_environment: { cuit: BigInt(cuit), service, environment } },
    });
    if (!row) return undefined;
    let token: string;
    let sign: string;
    try {
      token = this.cipher.decrypt(row.tokenEnc);
      sign = this.cipher.decrypt(row.signEnc);
    } catch (error) {
      // Another replica stored it with another key: logging in again here would only undo the other's ticket.
      throw new AppError(
        'MISCONFIGURED',
        `the stored WSAA ticket of CUIT ${cuit} (${service}, ${environment}) cannot be decrypted: it was stored by a ` +
          `replica (${row.obtainedBy}) with another TICKET_ENCRYPTION_KEY; every replica must share one`,
        undefined,
        { cause: error },
      );
    }
    return {
      cuit,
      service,
      environment,
      token,
      sign,
      uniqueId: Number(row.uniqueId),
      generationTime: row.generationTime,
      expirationTime: row.expirationTime,
      source: '',
      destination: '',
      obtainedBy: row.obtainedBy,
    };
  }

  /** Stores the ticket and its audit entry in one transaction. */
  async save(ticket: StoredTicket, audit: AuditRecord): Promise<void> {
    const data = {
      tokenEnc: new Uint8Array(this.cipher.encrypt(ticket.token)),
      signEnc: new Uint8Array(this.cipher.encrypt(ticket.sign)),
      uniqueId: BigInt(ticket.uniqueId),
      generationTime: ticket.generationTime,
      expirationTime: ticket.expirationTime,
      obtainedBy: ticket.obtainedBy,
    };
    const key = { cuit: BigInt(ticket.cuit), service: ticket.service, environment: ticket.environment };
    await this.prisma.$transaction(async (tx) => {
      await tx.accessTicket.upsert({
        where: { cuit_service_environment: key },
        create: { ...key, ...data },
        update: data,
      });
      await this.audit.append(tx, audit);
    });
  }

  async list(environment: string): Promise<TicketStatus[]> {
    const rows = await this.prisma.accessTicket.findMany({
      where: { environment },
      orderBy: [{ cuit: 'asc' }, { service: 'asc' }],
    });
    return rows.map((row) => ({
      cuit: row.cuit.toString(),
      service: row.service,
      environment: row.environment,
      generationTime: row.generationTime,
      expirationTime: row.expirationTime,
      obtainedBy: row.obtainedBy,
    }));
  }

  /**
   * Runs `work` holding a transaction-scoped Postgres advisory lock on (CUIT, service, environment): one login at
   * a time for the whole cluster. The lock goes with the transaction, even if this process dies. The timeout
   * covers a login that waits out ARCA's alreadyAuthenticated window (AuthOptions, 11 minutes at most).
   */
  async withLoginLock<T>(
    cuit: string,
    service: string,
    environment: string,
    work: () => Promise<T>,
  ): Promise<T> {
    const key = `wsaa-login:${cuit}:${service}:${environment}`;
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
        return work();
      },
      { timeout: 15 * 60_000, maxWait: 30_000 },
    );
  }
}
