/** What a key's scope limits: the CUITs it acts for and, for a pos key, its points of sale. */
export type ScopeKind = 'cuit' | 'ptoVta';

const FIELDS = new WeakMap<object, Map<string, ScopeKind>>();

/**
 * Marks a DTO property whose value the handler acts on as a CUIT or a point of sale: the scope pipe checks it
 * against the caller's key after validation, on the very value the handler receives.
 */
export function ScopeField(kind: ScopeKind): PropertyDecorator {
  return (target, property) => {
    const fields = FIELDS.get(target) ?? new Map<string, ScopeKind>();
    fields.set(String(property), kind);
    FIELDS.set(target, fields);
  };
}

export interface ScopeValue {
  kind: ScopeKind;
  /** The value as a canonical decimal string. */
  value: string;
  /** Where it sits in the argument, e.g. `Auth.Cuit`. */
  field: string;
}

/** How deep scope fields may sit inside a DTO (CreateInvoiceDto's PtoVta is at depth 3). */
const MAX_DEPTH = 6;

/** Every marked value inside a validated DTO instance, walking nested DTOs and arrays of them. */
export function scopeValuesOf(root: unknown): ScopeValue[] {
  const found: ScopeValue[] = [];
  const walk = (value: unknown, field: string, depth: number): void => {
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${field}.${index}`, depth + 1));
      return;
    }
    const prototype = Object.getPrototypeOf(value) as object | null;
    // Plain objects are not DTOs: validation already refused or ignored them.
    if (!prototype || prototype === Object.prototype) return;
    const marked = fieldsOf(prototype);
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const path = field ? `${field}.${key}` : key;
      const kind = marked.get(key);
      if (kind && item !== undefined && item !== null) {
        found.push({ kind, value: canonicalNumber(item) ?? String(item as string), field: path });
      } else {
        walk(item, path, depth + 1);
      }
    }
  };
  walk(root, '', 0);
  return found;
}

function fieldsOf(prototype: object): Map<string, ScopeKind> {
  const all = new Map<string, ScopeKind>();
  // Inherited fields too (VoucherParamsDto extends LaneQueryDto extends CuitQueryDto).
  for (let level: object | null = prototype; level && level !== Object.prototype;) {
    for (const [key, kind] of FIELDS.get(level) ?? []) if (!all.has(key)) all.set(key, kind);
    level = Object.getPrototypeOf(level) as object | null;
  }
  return all;
}

/**
 * A CUIT or point of sale as a canonical decimal string ("020" and 20 are both "20"), or undefined when the value
 * is not a whole number at all (validation refuses it).
 */
export function canonicalNumber(raw: unknown): string | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? String(raw) : undefined;
  if (typeof raw === 'bigint') return raw >= 0n ? raw.toString() : undefined;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  return /^\d{1,20}$/.test(text) ? BigInt(text).toString() : undefined;
}
