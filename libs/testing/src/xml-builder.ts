/**
 * Plain object -> XML elements, for writing test requests readably: keys become elements in order, arrays
 * repeat the element, `undefined` is left out. `{ Iva: { AlicIva: [a, b] } }` gives `<Iva><AlicIva>..</AlicIva>
 * <AlicIva>..</AlicIva></Iva>`.
 */
export function toXml(value: Record<string, unknown>): string {
  return Object.entries(value)
    .map(([name, item]) => element(name, item))
    .join('');
}

function element(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join('');
  if (value !== null && typeof value === 'object')
    return `<${name}>${toXml(value as Record<string, unknown>)}</${name}>`;
  return `<${name}>${String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${name}>`;
}
