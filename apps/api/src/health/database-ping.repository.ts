import { Injectable } from '@nestjs/common';
import { PrismaService } from '#libs/database';

/** The readiness probe's one question to the database: does it answer? */
@Injectable()
export class DatabasePingRepository {
  constructor(private readonly prisma: PrismaService) {}

  ping(): Promise<void> {
    return this.prisma.ping();
  }
}
