import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, MIGRATIONS_DIR, type TestDatabase } from '#libs/testing';
import { applyMigrations, readMigrations } from './migrations.js';

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'arca-migrations-'));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describe('applyMigrations', () => {
  const databases: TestDatabase[] = [];
  const database = async () => {
    const db = await createTestDatabase();
    databases.push(db);
    return db;
  };
  afterEach(async () => {
    await Promise.all(databases.splice(0).map((db) => db.drop()));
  });

  it('applies the project migrations and records them as prisma migrate deploy does', async () => {
    const db = await database();
    const report = await applyMigrations(db.url, MIGRATIONS_DIR);
    const expected = readMigrations(MIGRATIONS_DIR);
    expect(report.applied).toEqual(expected.map((migration) => migration.name));
    const rows = await db.query(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at, logs, applied_steps_count,
              length(id) AS id_length
         FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.rows).toEqual(
      expected.map((migration) => ({
        migration_name: migration.name,
        checksum: migration.checksum,
        finished: true,
        rolled_back_at: null,
        logs: null,
        applied_steps_count: 1,
        id_length: 36,
      })),
    );
  });

  it('applies nothing the second time and keeps the data', async () => {
    const db = await database();
    await applyMigrations(db.url, MIGRATIONS_DIR);
    await db.query(
      `INSERT INTO api_key (id, name, key_hash, key_prefix, role) VALUES (gen_random_uuid(), 'k', repeat('a', 64), 'ak_', 'pos')`,
    );
    const again = await applyMigrations(db.url, MIGRATIONS_DIR);
    expect(again).toEqual({ applied: [], alreadyApplied: readMigrations(MIGRATIONS_DIR).length });
    expect((await db.query('SELECT count(*)::int AS n FROM api_key')).rows[0]).toEqual({ n: 1 });
  });

  it('lets replicas starting together migrate once (the advisory lock serialises them)', async () => {
    const db = await database();
    const reports = await Promise.all([1, 2, 3].map(() => applyMigrations(db.url, MIGRATIONS_DIR)));
    expect(reports.map((report) => report.applied.length).sort()).toEqual([
      0,
      0,
      readMigrations(MIGRATIONS_DIR).length,
    ]);
    expect((await db.query('SELECT count(*)::int AS n FROM _prisma_migrations')).rows[0]).toEqual({
      n: readMigrations(MIGRATIONS_DIR).length,
    });
  });

  it('records a failing migration with its log, rolls it back and refuses later starts until resolved', async () => {
    const db = await database();
    const dir = migrationsDir({
      '20260101000000_ok': 'CREATE TABLE a (id int);',
      '20260102000000_bad': 'CREATE TABLE b (id int); SELECT * FROM missing_table;',
    });
    await expect(applyMigrations(db.url, dir)).rejects.toThrow(/20260102000000_bad failed: .*missing_table/);
    const rows = await db.query(
      `SELECT migration_name, finished_at IS NULL AS failed, logs FROM _prisma_migrations ORDER BY 1`,
    );
    expect(rows.rows.map((row) => [row.migration_name, row.failed])).toEqual([
      ['20260101000000_ok', false],
      ['20260102000000_bad', true],
    ]);
    expect(rows.rows[1]?.logs).toMatch(/missing_table/);
    expect((await db.query(`SELECT to_regclass('b') AS b`)).rows[0]).toEqual({ b: null });
    await expect(applyMigrations(db.url, dir)).rejects.toThrow(
      /20260102000000_bad failed earlier and is not resolved/,
    );
  });

  it('warns when an applied migration was edited afterwards', async () => {
    const db = await database();
    await applyMigrations(db.url, migrationsDir({ '20260101000000_a': 'CREATE TABLE a (id int);' }));
    const messages: string[] = [];
    await applyMigrations(db.url, migrationsDir({ '20260101000000_a': 'CREATE TABLE a (id bigint);' }), (m) =>
      messages.push(m),
    );
    expect(messages).toEqual(['migration 20260101000000_a was modified after it was applied']);
  });
});
