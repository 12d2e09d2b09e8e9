import { childElements, type Element, escapeText, parseXml } from './xml.js';

const XSD = 'http://www.w3.org/2001/XMLSchema';
const WSDL = 'http://schemas.xmlsoap.org/wsdl/';
// dateTime is read and written as its text (ARCA's registry: `2021-06-20T14:38:12.163-03:00`).
const SCALARS = new Set(['string', 'int', 'long', 'short', 'double', 'boolean', 'dateTime']);

export interface FieldSpec {
  name: string;
  /** Local name of an XML Schema scalar (`int`, `string`...) or of a complex type of the document. */
  type: string;
  scalar: boolean;
  optional: boolean;
  repeated: boolean;
}

/** A value in the request cannot be read as its declared type (what .NET answers with HTTP 500). */
export class SchemaDecodeError extends Error {
  constructor(
    readonly field: string,
    readonly value: string,
    readonly expected: string,
  ) {
    super(`${field}: "${value.slice(0, 40)}" is not a valid ${expected}`);
    this.name = 'SchemaDecodeError';
  }
}

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  short: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  long: [-9223372036854775808n, 9223372036854775807n],
};

/**
 * Reads and writes the document/literal messages a WSDL describes, driven by its schema: field order, types,
 * optional and repeated elements. Requests decode to plain objects (a type whose only field repeats, like
 * ARCA's `ArrayOfAlicIva`, decodes to an array); results encode in the schema's element order. With
 * `elementFormDefault="qualified"` (WSFEv1, WSAA) children are in the target namespace and others are ignored, as
 * ARCA's ASMX service ignores unqualified elements; with `unqualified` (the registry's CXF services) only the
 * operation's wrapper is namespaced and its children have none.
 */
export class SchemaCodec {
  private constructor(
    readonly namespace: string,
    private readonly types: Map<string, FieldSpec[]>,
    /** Children of the wrapper are in `namespace` (qualified) or in no namespace. */
    readonly qualified = true,
  ) {}

  private get childNamespace(): string | null {
    return this.qualified ? this.namespace : null;
  }

  static fromWsdl(wsdl: string): SchemaCodec {
    const root = parseXml(wsdl);
    const types = new Map<string, FieldSpec[]>();
    const pending = new Map<string, { base?: string; fields: FieldSpec[] }>();
    let namespace = '';
    let qualified: boolean | undefined;
    for (const typesNode of childElements(root, WSDL, 'types')) {
      for (const schema of childElements(typesNode, XSD, 'schema')) {
        namespace ||= schema.getAttribute('targetNamespace') ?? '';
        qualified ??= schema.getAttribute('elementFormDefault') === 'qualified';
        for (const element of childElements(schema, XSD, 'element')) {
          const inline = childElements(element, XSD, 'complexType')[0];
          if (inline) pending.set(element.getAttribute('name') ?? '', readComplexType(inline));
        }
        for (const type of childElements(schema, XSD, 'complexType')) {
          pending.set(type.getAttribute('name') ?? '', readComplexType(type));
        }
      }
    }
    const resolve = (name: string, seen: Set<string>): FieldSpec[] => {
      const done = types.get(name);
      if (done) return done;
      const spec = pending.get(name);
      if (!spec || seen.has(name)) throw new Error(`schema type ${name} is missing or circular`);
      seen.add(name);
      const fields = [...(spec.base ? resolve(spec.base, seen) : []), ...spec.fields];
      types.set(name, fields);
      return fields;
    };
    for (const name of pending.keys()) resolve(name, new Set());
    return new SchemaCodec(namespace, types, qualified ?? true);
  }

  hasType(name: string): boolean {
    return this.types.has(name);
  }

  fields(typeName: string): FieldSpec[] {
    const fields = this.types.get(typeName);
    if (!fields) throw new Error(`unknown schema type ${typeName}`);
    return fields;
  }

  /** The type of a field inside `typeName` (e.g. the result type of an operation's response element). */
  fieldType(typeName: string, field: string): string {
    const spec = this.fields(typeName).find((candidate) => candidate.name === field);
    if (!spec) throw new Error(`${typeName} has no field ${field}`);
    return spec.type;
  }

  /**
   * Reads `element` as `typeName`. With `emptyLists`, a list field (`ArrayOf...`) that is absent reads as `[]`, so
   * callers never test for undefined lists.
   */
  decode(
    element: Element,
    typeName: string,
    options: { emptyLists?: boolean } = {},
    path = typeName,
  ): unknown {
    const fields = this.fields(typeName);
    const list = this.listItem(typeName);
    if (list) {
      return childElements(element, this.childNamespace, list.name).map((item, index) =>
        this.decodeValue(item, list, `${path}[${index}]`, options),
      );
    }
    const result: Record<string, unknown> = {};
    for (const field of fields) {
      const matches = childElements(element, this.childNamespace, field.name);
      if (matches.length === 0) {
        if (field.scalar && !field.optional && field.type !== 'string') result[field.name] = 0;
        else if (options.emptyLists && !field.scalar && this.listItem(field.type)) result[field.name] = [];
        continue;
      }
      result[field.name] = field.repeated
        ? matches.map((match, index) =>
            this.decodeValue(match, field, `${path}.${field.name}[${index}]`, options),
          )
        : this.decodeValue(matches[0] as Element, field, `${path}.${field.name}`, options);
    }
    return result;
  }

  /**
   * `<name xmlns=...>...</name>` for `value` of `typeName`; the namespace only when asked (the outermost element):
   * a default namespace when children are qualified, else the wrapper's own prefix (`prefix`, default `tns`).
   */
  encode(
    name: string,
    typeName: string,
    value: unknown,
    options: { xmlns?: boolean; prefix?: string } = {},
  ): string {
    const prefix = options.prefix ?? 'tns';
    const tag = options.xmlns && !this.qualified ? `${prefix}:${name}` : name;
    const attributes = !options.xmlns
      ? ''
      : this.qualified
        ? ` xmlns="${this.namespace}"`
        : ` xmlns:${prefix}="${this.namespace}"`;
    const inner = this.encodeContent(typeName, value);
    return inner === '' ? `<${tag}${attributes} />` : `<${tag}${attributes}>${inner}</${tag}>`;
  }

  private encodeContent(typeName: string, value: unknown): string {
    const list = this.listItem(typeName);
    if (list) {
      return (Array.isArray(value) ? value : []).map((item) => this.encodeField(list, item)).join('');
    }
    const record = (value ?? {}) as Record<string, unknown>;
    return this.fields(typeName)
      .map((field) => {
        const fieldValue = record[field.name];
        if (field.repeated && Array.isArray(fieldValue))
          return fieldValue.map((item) => this.encodeField(field, item)).join('');
        return this.encodeField(field, fieldValue);
      })
      .join('');
  }

  private encodeField(field: FieldSpec, value: unknown): string {
    if (value === undefined || value === null) {
      // .NET always writes value types; absent reference types are omitted.
      return field.scalar && !field.optional && field.type !== 'string'
        ? `<${field.name}>0</${field.name}>`
        : '';
    }
    if (!field.scalar) return this.encode(field.name, field.type, value);
    const text = typeof value === 'number' ? formatNumber(value) : escapeText(String(value));
    return text === '' ? `<${field.name} />` : `<${field.name}>${text}</${field.name}>`;
  }

  private decodeValue(
    element: Element,
    field: FieldSpec,
    path: string,
    options: { emptyLists?: boolean } = {},
  ): unknown {
    if (!field.scalar) return this.decode(element, field.type, options, path);
    const text = element.textContent ?? '';
    switch (field.type) {
      case 'string':
      case 'dateTime':
        return text;
      case 'double': {
        const trimmed = text.trim();
        if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed))
          throw new SchemaDecodeError(path, text, 'double');
        return Number(trimmed);
      }
      case 'boolean':
        if (!/^\s*(true|false|1|0)\s*$/.test(text)) throw new SchemaDecodeError(path, text, 'boolean');
        return /true|1/.test(text);
      default: {
        const trimmed = text.trim();
        const range = INTEGER_RANGES[field.type] as [bigint, bigint];
        if (!/^[+-]?\d{1,20}$/.test(trimmed)) throw new SchemaDecodeError(path, text, field.type);
        const parsed = BigInt(trimmed);
        if (parsed < range[0] || parsed > range[1]) throw new SchemaDecodeError(path, text, field.type);
        return Number(parsed);
      }
    }
  }

  /** The repeated field of an `ArrayOfX` type, which then reads and writes as a plain array. */
  private listItem(typeName: string): FieldSpec | undefined {
    const fields = this.fields(typeName);
    const only = fields[0];
    return fields.length === 1 && only?.repeated && typeName.startsWith('ArrayOf') ? only : undefined;
  }
}

function readComplexType(type: Element): { base?: string; fields: FieldSpec[] } {
  const content = childElements(type, XSD, 'complexContent')[0];
  const extension = content ? childElements(content, XSD, 'extension')[0] : undefined;
  const holder = extension ?? type;
  const sequence = childElements(holder, XSD, 'sequence')[0];
  const fields = (sequence ? childElements(sequence, XSD, 'element') : []).map((element) => {
    const type = (element.getAttribute('type') ?? 'string').split(':').pop() as string;
    return {
      name: element.getAttribute('name') ?? '',
      type,
      scalar: SCALARS.has(type),
      optional: element.getAttribute('minOccurs') === '0',
      repeated: element.getAttribute('maxOccurs') === 'unbounded',
    };
  });
  const base = extension?.getAttribute('base')?.split(':').pop();
  return base ? { base, fields } : { fields };
}

/** Numbers as .NET writes doubles: no trailing zeros (`122`, `101.202`), no exponent for amounts. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toFixed(0);
  return String(Number(value.toPrecision(15)));
}
