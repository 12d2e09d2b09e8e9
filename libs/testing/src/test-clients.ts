import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseConnection, PrismaService, Sql } from '#libs/database';
import { MIGRATIONS_DIR, type TestDatabase } from './test-database.js';

/** Prisma and `Sql` on a test database, built as the gateway builds them; `close()` ends their pools. */
export async function testClients(
  db: TestDatabase,
  pool: { size?: number; waitMs?: number } = {},
): Promise<{ prisma: PrismaService; sql: Sql; close: () => Promise<void> }> {
  const connection = await DatabaseConnection.open({
    url: db.url,
    dataDir: mkdtempSync(join(tmpdir(), 'test-clients-')),
    embeddedPort: 1,
    poolSize: pool.size,
    poolWaitMs: pool.waitMs,
    migrationsDir: MIGRATIONS_DIR,
  });
  const prisma = new PrismaService(connection);
  const sql = new Sql(prisma, connection);
  const close = async () => {
    await sql.onModuleDestroy();
    await prisma.onModuleDestroy();
  };
  return { prisma, sql, close };
}
