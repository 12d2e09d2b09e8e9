// `npm run sandbox:cert -- --cuit 20123456789 [--alias NAME] [--out DIR]`: a certificate and key for a CUIT,
// issued by the sandbox CA (DATA_DIR/sandbox), written as DIR/<cuit>.crt and DIR/<cuit>.key (PEM).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DevCa } from '#libs/pki';

const { values } = parseArgs({
  options: { cuit: { type: 'string' }, alias: { type: 'string' }, out: { type: 'string' } },
  strict: true,
});
if (!values.cuit || !/^\d{11}$/.test(values.cuit)) {
  console.error('usage: npm run sandbox:cert -- --cuit <11 digits> [--alias NAME] [--out DIR]');
  process.exit(2);
}
const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const out = resolve(values.out ?? join(dataDir, 'certs'));
const ca = await DevCa.loadOrCreate(join(dataDir, 'sandbox'));
const { certFile, keyFile } = await ca.writeCuitCertificate(out, { cuit: values.cuit, alias: values.alias });
console.log(`wrote ${certFile}\nwrote ${keyFile}\nissued by the sandbox CA in ${join(dataDir, 'sandbox')}`);
