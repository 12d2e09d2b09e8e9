import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, isAbsolute, join } from 'node:path';
import { parseYyyymmdd } from '#libs/afip-wsfe';

// `<cuit>.issuer.json` beside the CUIT's certificate in AFIP_CERTS_DIR: what a printed invoice shows of its issuer
// and ARCA's registry does not hold (gross income number, activity start), and what overrides the registry.
//
// {
//   "name": "PEREZ JUAN",                          optional: the registry's name otherwise
//   "address": "Av. Corrientes 1234, CABA",        optional: the registry's fiscal address otherwise
//   "ivaCondition": "IVA Responsable Inscripto",   optional: from the registry's taxes otherwise
//   "grossIncome": "901-123456-7",                 required: the Ingresos Brutos number, or "Exento"
//   "activityStart": "2020-03-01",                 required: Inicio de actividades (yyyy-mm-dd or yyyymmdd)
//   "logo": "20123456789.logo.png"                 optional: PNG or JPEG beside the file, at most 512 KB
// }

export interface IssuerProfile {
  name?: string;
  address?: string;
  ivaCondition?: string;
  grossIncome: string;
  /** yyyymmdd. */
  activityStart: string;
  logo?: Buffer;
}

const FILE = /^(\d{11})\.issuer\.json$/;
const KEYS = new Set(['name', 'address', 'ivaCondition', 'grossIncome', 'activityStart', 'logo']);
const MAX_LOGO_BYTES = 512 * 1024;

export class IssuerProfileError extends Error {
  override readonly name = 'IssuerProfileError';
}

/** Every profile in `dir`, by CUIT; a file that breaks a rule throws, naming the file, the field and the rule. */
export function readIssuerProfiles(dir: string): Map<string, IssuerProfile> {
  const profiles = new Map<string, IssuerProfile>();
  if (!existsSync(dir)) return profiles;
  for (const entry of readdirSync(dir)) {
    const cuit = FILE.exec(entry)?.[1];
    if (cuit) profiles.set(cuit, readIssuerProfile(dir, entry));
  }
  return profiles;
}

export function readIssuerProfile(dir: string, file: string): IssuerProfile {
  const fail = (field: string, rule: string): never => {
    throw new IssuerProfileError(`${join(dir, file)}: ${field} ${rule}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  } catch (error) {
    return fail('the file', `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return fail('the file', 'must hold a JSON object');
  const data = raw as Record<string, unknown>;
  for (const key of Object.keys(data))
    if (!KEYS.has(key)) fail(key, `is not a known field (${[...KEYS].join(', ')})`);
  const text = (field: string, max: number, required: boolean): string | undefined => {
    const value = data[field];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || value.trim().length === 0 || value.length > max)
      fail(field, `must be a non-empty string of at most ${max} characters`);
    return (value as string).trim();
  };
  const start = text('activityStart', 10, true)!.replaceAll('-', '');
  if (!/^\d{8}$/.test(start) || !parseYyyymmdd(start)) fail('activityStart', 'must be a date, yyyy-mm-dd');
  const name = text('name', 200, false);
  const address = text('address', 300, false);
  const ivaCondition = text('ivaCondition', 100, false);
  const logoFile = text('logo', 200, false);
  return {
    ...(name ? { name } : {}),
    ...(address ? { address } : {}),
    ...(ivaCondition ? { ivaCondition } : {}),
    grossIncome: text('grossIncome', 40, true)!,
    activityStart: start,
    ...(logoFile ? { logo: readLogo(dir, logoFile, fail) } : {}),
  };
}

function readLogo(dir: string, file: string, fail: (field: string, rule: string) => never): Buffer {
  if (isAbsolute(file) || file.includes('..') || file.includes('/') || file.includes('\\'))
    fail('logo', 'must name a file in the same directory');
  if (!['.png', '.jpg', '.jpeg'].includes(extname(file).toLowerCase()))
    fail('logo', 'must be a .png or .jpg file');
  const path = join(dir, file);
  if (!existsSync(path)) fail('logo', `names ${file}, which does not exist`);
  if (statSync(path).size > MAX_LOGO_BYTES) fail('logo', `must be at most ${MAX_LOGO_BYTES / 1024} KB`);
  const bytes = readFileSync(path);
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  if (!png && !jpeg) fail('logo', 'is neither a PNG nor a JPEG image');
  return bytes;
}
