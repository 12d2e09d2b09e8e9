// `npm run cert:request -- --cuit 20123456789 --org "Mi Empresa SA" --alias pos-gateway [--out DIR]`
// Writes DIR/<cuit>.key (mode 0600, never leaves your machine) and DIR/<cuit>.csr to upload to ARCA. When ARCA
// issues the certificate, save it as DIR/<cuit>.crt: that directory is AFIP_CERTS_DIR. No openssl needed.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCertificationRequest } from '#libs/pki';

const { values } = parseArgs({
  options: {
    cuit: { type: 'string' },
    org: { type: 'string' },
    alias: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
  },
  strict: true,
});
if (!values.cuit || !/^\d{11}$/.test(values.cuit) || !values.org || !values.alias) {
  console.error(
    'usage: npm run cert:request -- --cuit <11 digits> --org "<organization>" --alias <alias> [--out DIR] [--force]',
  );
  process.exit(2);
}
const out = resolve(values.out ?? 'certs');
const keyFile = join(out, `${values.cuit}.key`);
const csrFile = join(out, `${values.cuit}.csr`);
if (existsSync(keyFile) && !values.force) {
  console.error(
    `${keyFile} exists: a new request would replace the key of a certificate you may already use (add --force)`,
  );
  process.exit(1);
}
const { csrPem, privateKeyPem } = await createCertificationRequest({
  cuit: values.cuit,
  organization: values.org,
  alias: values.alias,
});
mkdirSync(out, { recursive: true });
writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
chmodSync(keyFile, 0o600);
writeFileSync(csrFile, csrPem);
console.log(
  `wrote ${keyFile} (private key: keep it here, never send it)\nwrote ${csrFile}\n` +
    `next: upload ${values.cuit}.csr to ARCA (homologation: WSASS "Nuevo Certificado"; production: "Administración de ` +
    `Certificados Digitales"), authorize alias "${values.alias}" for service wsfe, and save the certificate as ${join(out, `${values.cuit}.crt`)}`,
);
