/**
 * The shape of a PostgreSQL schema reduced to what drift can break: tables, column types and nullability,
 * primary keys, unique and plain indexes, foreign keys, enums. Built from schema.prisma (`prisma-schema.ts`)
 * and from a live database (`database-schema.ts`), then compared.
 */
export interface SchemaModel {
  enums: Record<string, string[]>;
  tables: Record<string, TableModel>;
}

export interface TableModel {
  /** column -> normalised type, e.g. `varchar(100)`, `timestamptz(3)`, `bigint[]`, an enum's name. */
  columns: Record<string, { type: string; nullable: boolean }>;
  primaryKey: string[];
  /** Sorted descriptions: `unique(a,b)`, `index(a,b)`, `fk(a)->t(b)`. */
  constraints: string[];
}

export function diffSchemas(expected: SchemaModel, actual: SchemaModel): string[] {
  const problems: string[] = [];
  compareKeys('enum', expected.enums, actual.enums, problems, (name, want, got) => {
    if (want.join(',') !== got.join(','))
      problems.push(`enum ${name}: schema.prisma has [${want}], database has [${got}]`);
  });
  compareKeys('table', expected.tables, actual.tables, problems, (table, want, got) => {
    compareKeys(`column of ${table}`, want.columns, got.columns, problems, (column, a, b) => {
      if (a.type !== b.type)
        problems.push(`${table}.${column}: schema.prisma says ${a.type}, database has ${b.type}`);
      if (a.nullable !== b.nullable) {
        problems.push(
          `${table}.${column}: schema.prisma says ${a.nullable ? 'NULL' : 'NOT NULL'}, database disagrees`,
        );
      }
    });
    if (want.primaryKey.join(',') !== got.primaryKey.join(',')) {
      problems.push(
        `${table}: primary key (${want.primaryKey}) in schema.prisma, (${got.primaryKey}) in database`,
      );
    }
    for (const item of want.constraints)
      if (!got.constraints.includes(item)) problems.push(`${table}: database lacks ${item}`);
    for (const item of got.constraints)
      if (!want.constraints.includes(item)) problems.push(`${table}: schema.prisma lacks ${item}`);
  });
  return problems;
}

function compareKeys<T>(
  what: string,
  expected: Record<string, T>,
  actual: Record<string, T>,
  problems: string[],
  both: (name: string, expected: T, actual: T) => void,
): void {
  for (const name of Object.keys(expected)) {
    if (!(name in actual)) problems.push(`${what} ${name} is in schema.prisma but not in the database`);
    else both(name, expected[name] as T, actual[name] as T);
  }
  for (const name of Object.keys(actual)) {
    if (!(name in expected)) problems.push(`${what} ${name} is in the database but not in schema.prisma`);
  }
}
