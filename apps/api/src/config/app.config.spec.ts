import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './app.config.js';
import { ConfigError } from './env-readers.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('starts a fresh clone on the sandbox with the embedded database', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(8080);
    expect(config.database.url).toBeUndefined();
    expect(config.database.dataDir).toMatch(/\.data$/);
    expect(config.afip.environment).toBe('sandbox');
    expect(config.afip.wsaaUrl).toBe('http://127.0.0.1:8081/ws/services/LoginCms');
    expect(config.afip.wsfeUrl).toBe('http://127.0.0.1:8081/wsfev1/service.asmx');
    expect(config.sandbox.inProcess).toBe(true);
    expect(config.logging).toEqual({ level: 'info', pretty: false });
  });

  it.each([
    ['abc', 'PORT must be an integer from 1 to 65535 (got "abc")'],
    ['0', 'PORT must be an integer from 1 to 65535 (got "0")'],
    ['70000', 'PORT must be an integer from 1 to 65535 (got "70000")'],
    ['80.5', 'PORT must be an integer from 1 to 65535 (got "80.5")'],
  ])('refuses PORT=%s naming the variable and the expected form', (port, message) => {
    expect(problemsOf({ PORT: port })).toEqual([message]);
  });

  it('refuses an unknown AFIP_ENV listing the accepted ones', () => {
    expect(problemsOf({ AFIP_ENV: 'prod' })).toEqual([
      'AFIP_ENV must be one of sandbox | homologation | production (got "prod")',
    ]);
  });

  it('reports every wrong variable at once, one line each', () => {
    const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', AFIP_WSFE_URL: 'ftp://example' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/^PORT .*\nAFIP_WSFE_URL .*\nLOG_LEVEL .*$/);
  });

  it('never echoes the password of a malformed DATABASE_URL', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'mysql://app:s3cr3t@db/arca' });
    expect(problem).toContain('DATABASE_URL must be a URL of the form postgres://... or postgresql://...');
    expect(problem).not.toContain('s3cr3t');
  });

  it("uses ARCA's homologation and production endpoints and requires the ticket key there", () => {
    expect(problemsOf({ AFIP_ENV: 'production', METRICS_PORT: '9464' })).toEqual([
      'TICKET_ENCRYPTION_KEY is required when AFIP_ENV=production (tickets are encrypted at rest)',
    ]);
    const key = 'a'.repeat(64);
    const homologation = loadConfig({
      AFIP_ENV: 'homologation',
      TICKET_ENCRYPTION_KEY: key,
      METRICS_TOKEN: 'x'.repeat(16),
    });
    expect(homologation.afip.wsaaUrl).toBe('https://wsaahomo.afip.gov.ar/ws/services/LoginCms');
    expect(homologation.afip.wsfeUrl).toBe('https://wswhomo.afip.gov.ar/wsfev1/service.asmx');
    expect(homologation.sandbox.inProcess).toBe(false);
    expect(homologation.security.ticketEncryptionKey).toEqual(Buffer.alloc(32, 0xaa));
    const production = loadConfig({
      AFIP_ENV: 'production',
      TICKET_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      METRICS_PORT: '9464',
    });
    expect(production.afip.wsfeUrl).toBe('https://servicios1.afip.gov.ar/wsfev1/service.asmx');
    expect(production.metrics).toEqual({ port: 9464, host: '127.0.0.1', token: undefined });
  });

  it('never serves /metrics publicly outside the sandbox: a token or a management port is required', () => {
    const key = 'a'.repeat(64);
    const [problem, ...rest] = problemsOf({ AFIP_ENV: 'homologation', TICKET_ENCRYPTION_KEY: key });
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^METRICS_TOKEN or METRICS_PORT is required when AFIP_ENV=homologation/);
    expect(problemsOf({ AFIP_ENV: 'homologation', TICKET_ENCRYPTION_KEY: key, METRICS_PORT: '0' })).toEqual([
      'METRICS_PORT must be an integer from 1 to 65535 (got "0")',
    ]);
    expect(loadConfig({}).metrics).toEqual({ host: '127.0.0.1', port: undefined, token: undefined });
  });

  it('accepts only 32-byte ticket keys and long admin and metrics keys', () => {
    expect(problemsOf({ METRICS_TOKEN: 'scrape' })).toEqual([
      'METRICS_TOKEN must be at least 16 characters (got "6 characters")',
    ]);
    expect(problemsOf({ TICKET_ENCRYPTION_KEY: 'abcd' })).toEqual([
      'TICKET_ENCRYPTION_KEY must be 32 bytes as 64 hex digits or 44 base64 characters (got "4 characters")',
    ]);
    expect(problemsOf({ ADMIN_API_KEY: 'short' })).toEqual([
      'ADMIN_API_KEY must be at least 32 characters (got "5 characters")',
    ]);
  });

  it('leaves the in-process sandbox when a URL points elsewhere', () => {
    const config = loadConfig({ AFIP_WSFE_URL: 'http://sandbox.internal:8081/wsfev1/service.asmx' });
    expect(config.sandbox.inProcess).toBe(false);
    expect(config.afip.wsaaUrl).toBe('http://127.0.0.1:8081/ws/services/LoginCms');
  });

  it('logs pretty only in a terminal unless LOG_FORMAT says otherwise', () => {
    expect(loadConfig({}, { stdoutIsTty: true }).logging.pretty).toBe(true);
    expect(loadConfig({ LOG_FORMAT: 'json' }, { stdoutIsTty: true }).logging.pretty).toBe(false);
  });

  it('reads no variable that .env.example does not document', () => {
    const read = new Set<string>();
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_target, name) => {
        read.add(String(name));
        return undefined;
      },
    });
    loadConfig(env);
    const example = readFileSync(join(import.meta.dirname, '..', '..', '..', '..', '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
    expect([...read].filter((name) => !documented.has(name))).toEqual([]);
    expect(read.size).toBeGreaterThanOrEqual(15);
  });
});
