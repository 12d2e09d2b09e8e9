import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { applyMigrations } from './migrations.js';

export interface DatabaseOptions {
  /** An existing server. When absent the gateway runs its own embedded PostgreSQL under `dataDir`. */
  url?: string;
  dataDir: string;
  embeddedPort: number;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** How long a query waits for a free connection before it fails (default 10 s): saturation, never a hang. */
  poolWaitMs?: number;
  /** `prisma/migrations` of the project. */
  migrationsDir: string;
}

/** The database the gateway talks to: opened once at start-up with its migrations applied, closed at shutdown. */
export class DatabaseConnection implements OnApplicationShutdown {
  private static readonly logger = new Logger('Database');

  private constructor(
    readonly url: string,
    readonly embedded: EmbeddedPostgres | undefined,
    readonly pool: { size: number; waitMs: number },
  ) {}

  static async open(options: DatabaseOptions): Promise<DatabaseConnection> {
    const log = (message: string) => DatabaseConnection.logger.log(message);
    let embedded: EmbeddedPostgres | undefined;
    let url = options.url;
    if (!url) {
      embedded = await EmbeddedPostgres.start({
        dataDir: options.dataDir,
        port: options.embeddedPort,
        database: 'arca_gateway',
        log,
      });
      url = embedded.url;
      log(`embedded PostgreSQL listening on 127.0.0.1:${embedded.port}, data in ${options.dataDir}`);
    }
    try {
      const report = await applyMigrations(url, options.migrationsDir, log);
      log(
        `schema up to date (${report.applied.length} migration(s) applied now, ${report.alreadyApplied} before)`,
      );
    } catch (error) {
      await embedded?.stop();
      throw error;
    }
    return new DatabaseConnection(url, embedded, {
      size: options.poolSize ?? 10,
      waitMs: options.poolWaitMs ?? 10_000,
    });
  }

  /** Runs after every module's onModuleDestroy, so Prisma has disconnected before the server stops. */
  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
  }
}
