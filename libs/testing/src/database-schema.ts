import pg from 'pg';
import type { SchemaModel, TableModel } from './schema-model.js';

const ALIASES: Record<string, string> = {
  int4: 'integer',
  int8: 'bigint',
  bool: 'boolean',
  float8: 'double precision',
};

/**
 * Reads a live database's public schema into a `SchemaModel`. `ignoreIndexes` names objects written by hand in
 * the migrations because Prisma's schema cannot express them (partial indexes); they are checked elsewhere.
 */
export async function readDatabaseSchema(url: string, ignoreIndexes: string[] = []): Promise<SchemaModel> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables: SchemaModel['tables'] = {};
    const table = (name: string): TableModel =>
      (tables[name] ??= { columns: {}, primaryKey: [], constraints: [] });
    const columns = await client.query(
      `SELECT table_name, column_name, is_nullable, data_type, udt_name, character_maximum_length,
              numeric_precision, numeric_scale, datetime_precision
         FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
        ORDER BY table_name, ordinal_position`,
    );
    for (const row of columns.rows) {
      table(row.table_name).columns[row.column_name] = {
        type: typeOf(row),
        nullable: row.is_nullable === 'YES',
      };
    }
    const indexes = await client.query(
      `SELECT t.relname AS table_name, i.relname AS index_name, x.indisunique, x.indisprimary,
              x.indpred IS NOT NULL AS partial,
              array_agg(a.attname::text ORDER BY k.ord) AS columns
         FROM pg_index x
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE t.relname <> '_prisma_migrations'
        GROUP BY t.relname, i.relname, x.indisunique, x.indisprimary, x.indpred`,
    );
    for (const row of indexes.rows) {
      if (ignoreIndexes.includes(row.index_name)) continue;
      const target = table(row.table_name);
      if (row.partial) target.constraints.push(`partial index ${row.index_name}`);
      else if (row.indisprimary) target.primaryKey = row.columns;
      else target.constraints.push(`${row.indisunique ? 'unique' : 'index'}(${row.columns})`);
    }
    const foreignKeys = await client.query(
      `SELECT c.conrelid::regclass::text AS table_name, c.confrelid::regclass::text AS ref_table,
              (SELECT array_agg(attname::text ORDER BY ord) FROM unnest(c.conkey) WITH ORDINALITY k(n, ord)
                 JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k.n) AS columns,
              (SELECT array_agg(attname::text ORDER BY ord) FROM unnest(c.confkey) WITH ORDINALITY k(n, ord)
                 JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k.n) AS ref_columns
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace AND n.nspname = 'public'
        WHERE c.contype = 'f'`,
    );
    for (const row of foreignKeys.rows) {
      table(unquote(row.table_name)).constraints.push(
        `fk(${row.columns})->${unquote(row.ref_table)}(${row.ref_columns})`,
      );
    }
    for (const model of Object.values(tables)) model.constraints.sort();
    const enumRows = await client.query(
      `SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const enums = Object.fromEntries(enumRows.rows.map((row) => [row.typname, row.labels as string[]]));
    return { enums, tables };
  } finally {
    await client.end();
  }
}

function typeOf(row: Record<string, string | number | null>): string {
  if (row.data_type === 'ARRAY') return `${scalar(String(row.udt_name).slice(1), row)}[]`;
  return scalar(String(row.udt_name), row);
}

function scalar(udt: string, row: Record<string, string | number | null>): string {
  switch (udt) {
    case 'varchar':
      return `varchar(${row.character_maximum_length})`;
    case 'bpchar':
      return `char(${row.character_maximum_length})`;
    case 'numeric':
      return `numeric(${row.numeric_precision},${row.numeric_scale})`;
    case 'timestamptz':
    case 'timestamp':
      return `${udt}(${row.datetime_precision})`;
    default:
      return ALIASES[udt] ?? udt;
  }
}

function unquote(name: string): string {
  return name.replace(/^"|"$/g, '');
}
