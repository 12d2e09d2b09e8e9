import { resolve } from 'node:path';
import { ConfigError, type Env, EnvReader } from './env-readers.js';

export const AFIP_ENVIRONMENTS = ['sandbox', 'homologation', 'production'] as const;
export type AfipEnvironment = (typeof AFIP_ENVIRONMENTS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// PROTOCOL.md section 1: ARCA's endpoints per environment.
const AFIP_URLS: Record<Exclude<AfipEnvironment, 'sandbox'>, { wsaa: string; wsfe: string }> = {
  homologation: {
    wsaa: 'https://wsaahomo.afip.gov.ar/ws/services/LoginCms',
    wsfe: 'https://wswhomo.afip.gov.ar/wsfev1/service.asmx',
  },
  production: {
    wsaa: 'https://wsaa.afip.gov.ar/ws/services/LoginCms',
    wsfe: 'https://servicios1.afip.gov.ar/wsfev1/service.asmx',
  },
};

export interface HttpConfig {
  host: string;
  port: number;
}

export interface DatabaseConfig {
  /** Absent: the gateway runs an embedded PostgreSQL with its data in `dataDir`. */
  url?: string;
  dataDir: string;
  embeddedPort: number;
}

export interface AfipConfig {
  environment: AfipEnvironment;
  wsaaUrl: string;
  wsfeUrl: string;
  certsDir: string;
  ntpServer: string;
  /** How long a WSFEv1 call may go unanswered before its outcome is called unknown. */
  wsfeTimeoutMs: number;
}

export interface SandboxConfig {
  port: number;
  /** True when the gateway hosts the sandbox itself: AFIP_ENV=sandbox and no URL points elsewhere. */
  inProcess: boolean;
}

export interface SecurityConfig {
  adminApiKey?: string;
  /** 32 bytes for AES-256-GCM. */
  ticketEncryptionKey?: Buffer;
  /** Requests per minute and API key, per replica; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** When set, GET /metrics needs it as a bearer token; when absent, /metrics is public. */
  metricsToken?: string;
}

export interface LoggingConfig {
  level: LogLevel;
  pretty: boolean;
}

/** The whole configuration, parsed and validated once at boot. Nothing else reads `process.env`. */
export class AppConfig {
  constructor(
    readonly http: HttpConfig,
    readonly database: DatabaseConfig,
    readonly afip: AfipConfig,
    readonly sandbox: SandboxConfig,
    readonly security: SecurityConfig,
    readonly logging: LoggingConfig,
  ) {}
}

export function loadConfig(env: Env, options: { stdoutIsTty?: boolean } = {}): AppConfig {
  const read = new EnvReader(env);
  const http: HttpConfig = {
    host: read.string('HOST', '0.0.0.0'),
    port: read.integer('PORT', 8080, 1, 65535),
  };
  const dataDir = resolve(read.string('DATA_DIR', '.data'));
  const database: DatabaseConfig = {
    url: read.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir,
    embeddedPort: read.integer('EMBEDDED_DB_PORT', 54329, 1, 65535),
  };
  const environment = read.oneOf('AFIP_ENV', AFIP_ENVIRONMENTS, 'sandbox');
  const sandboxPort = read.integer('SANDBOX_PORT', 8081, 1, 65535);
  const wsaaOverride = read.url('AFIP_WSAA_URL', ['http:', 'https:']);
  const wsfeOverride = read.url('AFIP_WSFE_URL', ['http:', 'https:']);
  const defaults =
    environment === 'sandbox'
      ? {
          wsaa: `http://127.0.0.1:${sandboxPort}/ws/services/LoginCms`,
          wsfe: `http://127.0.0.1:${sandboxPort}/wsfev1/service.asmx`,
        }
      : AFIP_URLS[environment];
  const afip: AfipConfig = {
    environment,
    wsaaUrl: wsaaOverride ?? defaults.wsaa,
    wsfeUrl: wsfeOverride ?? defaults.wsfe,
    certsDir: resolve(
      read.string('AFIP_CERTS_DIR', environment === 'sandbox' ? `${dataDir}/certs` : 'certs'),
    ),
    ntpServer: read.string('NTP_SERVER', 'time.afip.gov.ar'),
    wsfeTimeoutMs: read.integer('AFIP_TIMEOUT_MS', 30_000, 500, 300_000),
  };
  const sandbox: SandboxConfig = {
    port: sandboxPort,
    inProcess: environment === 'sandbox' && !wsaaOverride && !wsfeOverride,
  };
  const adminApiKey = read.secret('ADMIN_API_KEY', 'at least 32 characters', (value) => value.length >= 32);
  const encryptionKey = read.secret(
    'TICKET_ENCRYPTION_KEY',
    '32 bytes as 64 hex digits or 44 base64 characters',
    (value) => parseKey(value) !== undefined,
  );
  if (environment !== 'sandbox') {
    read.require('TICKET_ENCRYPTION_KEY', `when AFIP_ENV=${environment} (tickets are encrypted at rest)`);
  }
  const security: SecurityConfig = {
    adminApiKey,
    ticketEncryptionKey: encryptionKey === undefined ? undefined : parseKey(encryptionKey),
    rateLimitPerMinute: read.integer('RATE_LIMIT_PER_MINUTE', 3000, 0, 1_000_000),
    metricsToken: read.secret('METRICS_TOKEN', 'at least 16 characters', (value) => value.length >= 16),
  };
  const logging: LoggingConfig = {
    level: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    pretty:
      read.oneOf('LOG_FORMAT', ['json', 'pretty'], options.stdoutIsTty ? 'pretty' : 'json') === 'pretty',
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return new AppConfig(http, database, afip, sandbox, security, logging);
}

function parseKey(value: string): Buffer | undefined {
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  return key.length === 32 && (value.length === 64 || value.length === 44) ? key : undefined;
}
