import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { EmbeddedPostgres } from '#libs/database';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's own PostgreSQL, on its `postgres` database. */
    postgresAdminUrl: string;
  }
}

/** One real PostgreSQL per test run, in a temporary directory on a free port; each spec makes its own database. */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'arca-test-pg-'));
  const server = await EmbeddedPostgres.start({ dataDir, port: await freePort(), database: 'arca_test' });
  project.provide('postgresAdminUrl', server.adminUrl);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
