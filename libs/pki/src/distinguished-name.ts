import * as asn1js from 'asn1js';
import { AttributeTypeAndValue, RelativeDistinguishedNames } from 'pkijs';

const OIDS = { C: '2.5.4.6', O: '2.5.4.10', CN: '2.5.4.3', SERIALNUMBER: '2.5.4.5' } as const;
const NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(OIDS).map(([name, oid]) => [oid, name]),
);
export type NameAttribute = keyof typeof OIDS;

/**
 * A name with one attribute per RDN, in the given (encoding) order. pkijs would put every attribute of a new
 * name into a single multi-valued RDN (`CN=a+serialNumber=b`), so the DER is built here and parsed back.
 */
export function buildName(attributes: [NameAttribute, string][]): RelativeDistinguishedNames {
  const rdns = attributes.map(([name, value]) => {
    const attribute = new AttributeTypeAndValue({
      type: OIDS[name],
      // Country and serialNumber are PrintableString in X.520; the rest UTF8String.
      value:
        name === 'C' || name === 'SERIALNUMBER'
          ? new asn1js.PrintableString({ value })
          : new asn1js.Utf8String({ value }),
    });
    return new asn1js.Set({ value: [attribute.toSchema()] });
  });
  return RelativeDistinguishedNames.fromBER(new asn1js.Sequence({ value: rdns }).toBER(false));
}

/** A name as ARCA prints it (Java's X500Principal order, last RDN first): `SERIALNUMBER=CUIT 20123456789, CN=pos1`. */
export function formatName(name: RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((entry) => `${NAMES[entry.type] ?? entry.type}=${String(entry.value.valueBlock.value)}`)
    .reverse()
    .join(', ');
}

export function nameAttribute(
  name: RelativeDistinguishedNames,
  attribute: NameAttribute,
): string | undefined {
  const entry = name.typesAndValues.find((candidate) => candidate.type === OIDS[attribute]);
  return entry ? String(entry.value.valueBlock.value) : undefined;
}

/** The CUIT of a certificate subject in ARCA's format (`serialNumber=CUIT nnnnnnnnnnn`). */
export function cuitOfName(name: RelativeDistinguishedNames): string | undefined {
  return /^CUIT (\d{11})$/.exec(nameAttribute(name, 'SERIALNUMBER') ?? '')?.[1];
}
