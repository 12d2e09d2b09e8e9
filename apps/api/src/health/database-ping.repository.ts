import { Injectable } from '@nestjs/common';
import { PrismaService, Sql } from '#libs/database';

/** The readiness probe's one question to the database: does it answer? */
@Injectable()
export class DatabasePingRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sql: Sql,
  ) {}

  ping(): Promise<void> {
    return this.prisma.ping();
  }

  /** The connection pool's size, connections in use and queries waiting (readiness, /metrics). */
  poolUsage(): { size: number; busy: number; waiting: number } {
    return this.prisma.poolUsage();
  }

  /** The same for the numbering lanes' own pool. */
  lanesPoolUsage(): { size: number; busy: number; waiting: number } {
    return this.sql.lanesUsage();
  }
}
