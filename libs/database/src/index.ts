export { DatabaseConnection, type DatabaseOptions } from './database-connection.js';
export { DatabaseModule } from './database.module.js';
export { EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres.js';
export { Prisma } from './generated/prisma/client.js';
export { applyMigrations, readMigrations, type MigrationFile } from './migrations.js';
export { type ChannelListener, DatabaseNotifications } from './notifications.js';
export { PrismaService } from './prisma.service.js';
export {
  inlined,
  prepared,
  type Prepared,
  prismaRunner,
  sendWithNext,
  Sql,
  type SqlRunner,
  type Statement,
} from './sql.js';
