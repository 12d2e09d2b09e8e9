import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '#libs/testing';

const DIST = join(import.meta.dirname, '..', '..', 'dist', 'apps', 'sandbox', 'src');

describe('the sandbox as a program (npm run sandbox, npm run sandbox:cert)', { timeout: 60_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'arca-sandbox-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes DIR/<cuit>.crt and DIR/<cuit>.key issued by the sandbox CA', () => {
    const out = join(dataDir, 'out');
    const printed = execFileSync(
      process.execPath,
      [join(DIST, 'cert-cli.js'), '--cuit', '20123456789', '--alias', 'caja1', '--out', out],
      {
        env: { ...process.env, DATA_DIR: dataDir },
        encoding: 'utf8',
      },
    );
    expect(printed).toContain(`wrote ${join(out, '20123456789.crt')}`);
    const verified = execFileSync(
      'openssl',
      ['verify', '-CAfile', join(dataDir, 'sandbox', 'sandbox-ca.crt'), join(out, '20123456789.crt')],
      {
        encoding: 'utf8',
      },
    );
    expect(verified).toContain(': OK');
    expect(() =>
      execFileSync(process.execPath, [join(DIST, 'cert-cli.js'), '--cuit', '123'], { stdio: 'pipe' }),
    ).toThrow(/usage: npm run sandbox:cert/);
  });

  it('cert:request writes a private key (0600) and a CSR for ARCA, and will not overwrite a key', () => {
    const cli = join(
      import.meta.dirname,
      '..',
      '..',
      'dist',
      'apps',
      'api',
      'src',
      'cli',
      'cert-request.cli.js',
    );
    const out = join(dataDir, 'request');
    const args = [
      cli,
      '--cuit',
      '20123456789',
      '--org',
      'Mi Empresa SA',
      '--alias',
      'pos-gateway',
      '--out',
      out,
    ];
    const printed = execFileSync(process.execPath, args, { encoding: 'utf8' });
    expect(printed).toContain(
      `wrote ${join(out, '20123456789.key')} (private key: keep it here, never send it)`,
    );
    expect(statSync(join(out, '20123456789.key')).mode & 0o777).toBe(0o600);
    const subject = execFileSync(
      'openssl',
      ['req', '-in', join(out, '20123456789.csr'), '-noout', '-subject', '-nameopt', 'compat'],
      { encoding: 'utf8' },
    );
    expect(subject).toBe('subject=/C=AR/O=Mi Empresa SA/CN=pos-gateway/serialNumber=CUIT 20123456789\n');
    expect(() => execFileSync(process.execPath, args, { stdio: 'pipe' })).toThrow(
      /exists: a new request would replace the key/,
    );
  });

  it('runs alone on SANDBOX_PORT with the faults of SANDBOX_FAULTS', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(DIST, 'main.js')], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        SANDBOX_PORT: String(port),
        SANDBOX_FAULTS: '[{"service":"wsfe","operation":"FEDummy","kind":"http503","count":1}]',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on(
          'data',
          (chunk: Buffer) => chunk.toString().includes('ARCA sandbox listening') && resolve(),
        );
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const dummy = () =>
        fetch(`http://127.0.0.1:${port}/wsfev1/service.asmx`, {
          method: 'POST',
          headers: { 'content-type': 'text/xml', SOAPAction: '"http://ar.gov.afip.dif.FEV1/FEDummy"' },
          body: '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>',
        });
      expect((await dummy()).status).toBe(503);
      expect((await dummy()).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses SANDBOX_FAULTS it cannot read, naming the problem', () => {
    expect(() =>
      execFileSync(process.execPath, [join(DIST, 'main.js')], {
        env: { ...process.env, DATA_DIR: dataDir, SANDBOX_FAULTS: '[{"service":"wsfe","kind":"boom"}]' },
        stdio: 'pipe',
      }),
    ).toThrow(/SANDBOX_FAULTS must be a JSON array of fault rules: kind must be one of/);
  });
});
