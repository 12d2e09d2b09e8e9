import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { DatabaseConnection } from './database-connection.js';
import { PrismaClient } from './generated/prisma/client.js';

/** The Prisma client on the `pg` driver adapter (no native engine). Only repositories inject it. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  constructor(connection: DatabaseConnection) {
    super({
      adapter: new PrismaPg({
        connectionString: connection.url,
        max: connection.pool.size,
        connectionTimeoutMillis: connection.pool.waitMs,
      }),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }

  /** Readiness probe: a round trip to the server. */
  async ping(): Promise<void> {
    await this.$queryRaw`SELECT 1`;
  }
}
