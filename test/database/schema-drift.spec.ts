import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '#libs/testing';
import { readDatabaseSchema } from '../../libs/testing/src/database-schema.js';
import { parsePrismaSchema } from '../../libs/testing/src/prisma-schema.js';
import { diffSchemas } from '../../libs/testing/src/schema-model.js';

const SCHEMA = readFileSync(join(import.meta.dirname, '..', '..', 'prisma', 'schema.prisma'), 'utf8');
// Written by hand in the migration SQL because Prisma's schema cannot express a partial index.
const SQL_ONLY_INDEXES = ['invoice_authorized_number_key', 'invoice_rejected_order_idx'];

describe('schema.prisma and prisma/migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
  });
  afterAll(() => db.drop());

  it('describe the same tables, columns, keys, indexes and enums', async () => {
    const actual = await readDatabaseSchema(db.url, SQL_ONLY_INDEXES);
    expect(diffSchemas(parsePrismaSchema(SCHEMA), actual)).toEqual([]);
  });

  it('report a field added to schema.prisma without a migration', async () => {
    const drifted = SCHEMA.replace(
      '  revokedAt DateTime?',
      '  lastUsedAt DateTime? @map("last_used_at") @db.Timestamptz(3)\n  revokedAt DateTime?',
    );
    const problems = diffSchemas(
      parsePrismaSchema(drifted),
      await readDatabaseSchema(db.url, SQL_ONLY_INDEXES),
    );
    expect(problems).toEqual(['column of api_key last_used_at is in schema.prisma but not in the database']);
  });

  it('report a column type, nullability or index changed by SQL alone', async () => {
    await db.query(
      'ALTER TABLE invoice ALTER COLUMN mon_id TYPE varchar(4), ALTER COLUMN cae_fch_vto SET NOT NULL',
    );
    await db.query('CREATE INDEX invoice_mon_id_idx ON invoice (mon_id)');
    const problems = diffSchemas(
      parsePrismaSchema(SCHEMA),
      await readDatabaseSchema(db.url, SQL_ONLY_INDEXES),
    );
    expect(problems).toEqual([
      'invoice.mon_id: schema.prisma says varchar(3), database has varchar(4)',
      'invoice.cae_fch_vto: schema.prisma says NULL, database disagrees',
      'invoice: schema.prisma lacks index(mon_id)',
    ]);
  });

  it('refuse to read a schema attribute the drift check does not understand', () => {
    expect(() =>
      parsePrismaSchema(SCHEMA.replace('@@map("invoice")', '@@fulltext([cae])\n  @@map("invoice")')),
    ).toThrow(/unsupported @@fulltext/);
  });
});
