// Configuration for the Prisma CLI (generate; migrate deploy where Prisma's schema engine can be downloaded).
// The gateway itself never reads this file: it applies prisma/migrations at start-up (libs/database).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/arca_gateway' },
});
