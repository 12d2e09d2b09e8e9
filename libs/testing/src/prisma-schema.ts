import type { SchemaModel, TableModel } from './schema-model.js';

const SCALARS: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  Float: 'double precision',
  DateTime: 'timestamp(3)',
  Decimal: 'numeric(65,30)',
  Json: 'jsonb',
  Bytes: 'bytea',
};

/**
 * Reads the subset of Prisma's schema language this project uses into a `SchemaModel`: models with `@map`,
 * `@@map`, `@id`, `@unique`, `@db.*` native types, lists, optional fields, `@@unique`, `@@index`, relations.
 * An attribute it does not understand is an error, so the drift test cannot silently ignore part of the schema.
 */
export function parsePrismaSchema(source: string): SchemaModel {
  const text = source.replace(/^\s*\/\/.*$/gm, '').replace(/\s\/\/.*$/gm, '');
  const blocks = [...text.matchAll(/^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm)];
  const enums: SchemaModel['enums'] = {};
  const models = new Map<string, string[]>();
  for (const [, kind, name, body] of blocks) {
    const lines = (body ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (kind === 'enum') enums[name as string] = lines.map((line) => line.split(/\s+/)[0] as string);
    else models.set(name as string, lines);
  }
  const tableNames = new Map(
    [...models].map(([name, lines]) => [name, mapName(lines.join('\n'), '@@map') ?? name]),
  );
  const tables: SchemaModel['tables'] = {};
  for (const [model, lines] of models) {
    tables[tableNames.get(model) as string] = parseModel(model, lines, enums, tableNames);
  }
  return { enums, tables };
}

function parseModel(
  model: string,
  lines: string[],
  enums: SchemaModel['enums'],
  tableNames: Map<string, string>,
): TableModel {
  const table: TableModel = { columns: {}, primaryKey: [], constraints: [] };
  const columnOf = new Map<string, string>();
  const blockAttributes: string[] = [];
  for (const line of lines) {
    if (line.startsWith('@@')) {
      blockAttributes.push(line);
      continue;
    }
    const match = /^(\w+)\s+(\w+)(\[\]|\?)?\s*(.*)$/.exec(line);
    if (!match) throw new Error(`${model}: cannot read field line "${line}"`);
    const [, field, type, modifier, attributes = ''] = match as unknown as [
      string,
      string,
      string,
      string | undefined,
      string,
    ];
    if (tableNames.has(type)) {
      const relation = /@relation\(fields:\s*\[([^\]]+)\],\s*references:\s*\[([^\]]+)\]/.exec(attributes);
      if (relation) {
        const fields = list(relation[1] as string);
        const references = list(relation[2] as string);
        table.constraints.push(
          `fk(${fields.map((name) => columnOf.get(name) ?? name)})->${tableNames.get(type)}(${references})`,
        );
      }
      continue;
    }
    const column = mapName(attributes, '@map') ?? field;
    columnOf.set(field, column);
    const base = nativeType(attributes) ?? (type in enums ? type : SCALARS[type]);
    if (!base) throw new Error(`${model}.${field}: unknown type ${type}`);
    table.columns[column] = {
      type: modifier === '[]' ? `${base}[]` : base,
      nullable: modifier !== undefined,
    };
    checkAttributes(model, field, attributes);
    if (/(^|\s)@id(\s|$)/.test(attributes)) table.primaryKey = [column];
    if (/(^|\s)@unique(\s|$)/.test(attributes)) table.constraints.push(`unique(${column})`);
  }
  for (const attribute of blockAttributes) {
    const match = /^@@(\w+)(?:\(\[([^\]]+)\]\)|\("[^"]+"\))$/.exec(attribute);
    if (!match) throw new Error(`${model}: cannot read "${attribute}"`);
    const [, name, fields] = match;
    const columns = list(fields ?? '').map((field) => columnOf.get(field) ?? field);
    if (name === 'unique') table.constraints.push(`unique(${columns})`);
    else if (name === 'index') table.constraints.push(`index(${columns})`);
    else if (name === 'id') table.primaryKey = columns;
    else if (name !== 'map') throw new Error(`${model}: unsupported ${attribute}`);
  }
  table.constraints.sort();
  return table;
}

function checkAttributes(model: string, field: string, attributes: string): void {
  const known = /^@(id|unique|map|default|updatedAt|db\.\w+)$/;
  for (const [, name] of attributes.matchAll(/(@[\w.]+)/g)) {
    if (!known.test(name as string)) throw new Error(`${model}.${field}: unsupported attribute ${name}`);
  }
}

function nativeType(attributes: string): string | undefined {
  const match = /@db\.(\w+)(?:\(([^)]*)\))?/.exec(attributes);
  if (!match) return undefined;
  const [, name, args] = match;
  const params = (args ?? '').replace(/\s/g, '');
  switch (name) {
    case 'VarChar':
      return `varchar(${params})`;
    case 'Char':
      return `char(${params})`;
    case 'Uuid':
      return 'uuid';
    case 'Text':
      return 'text';
    case 'Timestamptz':
      return `timestamptz(${params || 6})`;
    case 'Timestamp':
      return `timestamp(${params || 6})`;
    case 'Decimal':
      return `numeric(${params})`;
    default:
      throw new Error(`unsupported native type @db.${name}`);
  }
}

function mapName(text: string, attribute: '@map' | '@@map'): string | undefined {
  const pattern = attribute === '@map' ? /(?<!@)@map\("([^"]+)"\)/ : /@@map\("([^"]+)"\)/;
  return pattern.exec(text)?.[1];
}

function list(fields: string): string[] {
  return fields
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
}
