import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { DatabaseConnection } from './database-connection.js';
import { PrismaClient } from './generated/prisma/client.js';

/**
 * A pool's connections never end the process when the server drops them. An idle connection the server closed (a
 * restart, pg_terminate_backend) leaves the pool by itself; without a listener, pg rethrows its error. One can also be
 * dropped while no statement runs on it and no pool listener is attached: checked out between statements, or on its
 * way out after an error (pg_terminate_backend sends its FATAL message, then the socket closes). Every connection
 * keeps a listener for its whole life; the statement running or the next one fails as it should.
 */
export function watchPool(pool: pg.Pool, logger: Logger): void {
  pool.on('error', (error) => logger.warn(`an idle database connection was closed: ${error.message}`));
  pool.on('connect', (client) => client.on('error', () => undefined));
}

/** A pool's size, connections in use, and callers waiting for one. */
export interface PoolUsage {
  size: number;
  busy: number;
  waiting: number;
}

export function usageOf(pool: pg.Pool): PoolUsage {
  return { size: pool.options.max ?? 10, busy: pool.totalCount - pool.idleCount, waiting: pool.waitingCount };
}

/** The Prisma client on the `pg` driver adapter (no native engine). Only repositories inject it. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  private readonly pool: pg.Pool;

  constructor(connection: DatabaseConnection) {
    const pool = new pg.Pool({
      connectionString: connection.url,
      max: connection.pool.size,
      connectionTimeoutMillis: connection.pool.waitMs,
    });
    super({ adapter: new PrismaPg(pool) });
    watchPool(pool, new Logger('Database'));
    this.pool = pool;
  }

  /** The `pg` pool under the client: `Sql` runs its statements on it (libs/database only). */
  connections(): pg.Pool {
    return this.pool;
  }

  /** The connection pool right now: its size, connections in use, and queries waiting for one. */
  poolUsage(): PoolUsage {
    return usageOf(this.pool);
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
    await this.pool.end().catch(() => undefined);
  }

  /** Readiness probe: a round trip to the server. */
  async ping(): Promise<void> {
    await this.$queryRaw`SELECT 1`;
  }
}
