import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService } from '#libs/database';

export interface LaneKey {
  environment: string;
  cuit: number;
  ptoVta: number;
  cbteTipo: number;
}

export interface LaneState {
  lastNumber: number;
  lastFch?: string;
  /** False after any doubt: the next use asks ARCA before numbering. */
  synced: boolean;
}

/**
 * A lane held by this caller: its state and writes, all in the transaction that holds the lane's lock, so the
 * lane's number and the vouchers numbered with it commit together. Only repositories use `client`.
 */
export class LaneSession {
  constructor(
    readonly key: LaneKey,
    readonly client: Prisma.TransactionClient,
  ) {}

  async state(): Promise<LaneState | undefined> {
    const row = await this.client.numberingLane.findUnique({
      where: { environment_cuit_ptoVta_cbteTipo: where(this.key) },
    });
    return row
      ? { lastNumber: Number(row.lastNumber), lastFch: row.lastFch ?? undefined, synced: row.synced }
      : undefined;
  }

  async save(state: LaneState): Promise<void> {
    const data = {
      lastNumber: BigInt(state.lastNumber),
      lastFch: state.lastFch ?? null,
      synced: state.synced,
    };
    await this.client.numberingLane.upsert({
      where: { environment_cuit_ptoVta_cbteTipo: where(this.key) },
      create: { ...where(this.key), ...data },
      update: data,
    });
  }
}

/**
 * Numbering lanes: one holder at a time per (environment, cuit, ptoVta, cbteTipo) across every replica, through
 * a transaction-scoped Postgres advisory lock. A crashed holder's lock dies with its connection.
 */
@Injectable()
export class NumberingLaneRepository {
  constructor(private readonly prisma: PrismaService) {}

  withLane<T>(key: LaneKey, waitMs: number, work: (session: LaneSession) => Promise<T>): Promise<T> {
    const lock = `lane:${key.environment}:${key.cuit}:${key.ptoVta}:${key.cbteTipo}`;
    return this.prisma.$transaction(
      async (tx) => {
        // Bounded wait, in the same round trip: a request queued behind a stuck lane fails instead of hanging its
        // client. The timeout stays for the transaction; the only other lock it takes is the lane's own row.
        const timeout = `${Math.max(1, Math.round(waitMs))}ms`;
        await tx.$executeRaw`SELECT set_config('lock_timeout', ${timeout}, true), pg_advisory_xact_lock(hashtextextended(${lock}, 0))`;
        return work(new LaneSession(key, tx));
      },
      { timeout: 10 * 60_000, maxWait: waitMs },
    );
  }

  /** The lane if nobody holds it right now (the periodic reconciliation); undefined, at once, when somebody does. */
  tryLane<T>(key: LaneKey, work: (session: LaneSession) => Promise<T>): Promise<{ value: T } | undefined> {
    const lock = `lane:${key.environment}:${key.cuit}:${key.ptoVta}:${key.cbteTipo}`;
    return this.prisma.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRaw<
          { held: boolean }[]
        >`SELECT pg_try_advisory_xact_lock(hashtextextended(${lock}, 0)) AS held`;
        return row?.held ? { value: await work(new LaneSession(key, tx)) } : undefined;
      },
      { timeout: 10 * 60_000 },
    );
  }
}

function where(key: LaneKey) {
  return { environment: key.environment, cuit: BigInt(key.cuit), ptoVta: key.ptoVta, cbteTipo: key.cbteTipo };
}
