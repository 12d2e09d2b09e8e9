import { resolve } from 'node:path';
import { ConfigError, type Env, EnvReader } from './env-readers.js';

export const AFIP_ENVIRONMENTS = ['sandbox', 'homologation', 'production'] as const;
export type AfipEnvironment = (typeof AFIP_ENVIRONMENTS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// PROTOCOL.md section 1: ARCA's endpoints per environment.
// PADRON.md section 2: the registry's (ws_sr_constancia_inscripcion).
const AFIP_URLS: Record<
  Exclude<AfipEnvironment, 'sandbox'>,
  { wsaa: string; wsfe: string; padron: string }
> = {
  homologation: {
    wsaa: 'https://wsaahomo.afip.gov.ar/ws/services/LoginCms',
    wsfe: 'https://wswhomo.afip.gov.ar/wsfev1/service.asmx',
    padron: 'https://awshomo.afip.gov.ar/sr-padron/webservices/personaServiceA5',
  },
  production: {
    wsaa: 'https://wsaa.afip.gov.ar/ws/services/LoginCms',
    wsfe: 'https://servicios1.afip.gov.ar/wsfev1/service.asmx',
    padron: 'https://aws.afip.gov.ar/sr-padron/webservices/personaServiceA5',
  },
};
const SANDBOX_PADRON_PATH = '/sr-padron/webservices/personaServiceA5';

export interface HttpConfig {
  host: string;
  port: number;
  /**
   * Express's `trust proxy`: which proxies' X-Forwarded-For to believe for the client address (refusal limits,
   * logs). Absent: none, the address is the TCP peer's.
   */
  trustProxy?: string | number;
}

export interface MetricsConfig {
  /** When set, GET /metrics needs it as a bearer token. */
  token?: string;
  /** When set, /metrics is served only on this port (the management listener), not on the API's. */
  port?: number;
  /** The management listener's address: loopback unless configured otherwise. */
  host: string;
}

export interface DatabaseConfig {
  /** Absent: the gateway runs an embedded PostgreSQL with its data in `dataDir`. */
  url?: string;
  dataDir: string;
  embeddedPort: number;
  /** Connections in the pool (DATABASE_POOL_SIZE). */
  poolSize: number;
  /** How long a query may wait for a free connection (DATABASE_POOL_WAIT_MS); past it, a 503. */
  poolWaitMs: number;
}

export interface AfipConfig {
  environment: AfipEnvironment;
  wsaaUrl: string;
  wsfeUrl: string;
  certsDir: string;
  ntpServer: string;
  /** How long a WSFEv1 call may go unanswered before its outcome is called unknown. */
  wsfeTimeoutMs: number;
  /** How long WSFEv1's open circuit fails calls at once before one probes ARCA (AFIP_CIRCUIT_HALF_OPEN_MS). */
  circuitHalfOpenMs: number;
  /** ARCA's taxpayer registry (ws_sr_constancia_inscripcion); in the sandbox, beside WSFEv1. */
  padronUrl: string;
  /** How long a registry answer is trusted (TAXPAYER_CACHE_HOURS). */
  taxpayerCacheMs: number;
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
  /** Refused requests (401, 403) per minute and client address, per replica; 0 turns the limit off. */
  refusalLimitPerMinute: number;
  /**
   * Numbering lanes one CUIT may hold at once in a replica (LANES_PER_CUIT); default three quarters of the lane
   * slots (DATABASE_POOL_SIZE - 2), so one tenant uses idle capacity but never all of it.
   */
  lanesPerCuit?: number;
  /** POST /v1/invoices in flight per API key and per CUIT in a replica; past it, 503 at once. */
  inflightPerKey: number;
  inflightPerCuit: number;
  /**
   * Bulk sales (more than ten vouchers) of one CUIT worked on at once in a replica (BULK_PER_CUIT); the rest wait
   * their turn in order, at most BULK_WAIT_MS, so one tenant's large bodies never take all of the process's time.
   */
  bulkPerCuit: number;
  bulkWaitMs: number;
  /**
   * How long a replica uses an API key it read (API_KEY_CACHE_MS), while it hears of every change to the keys
   * (LISTEN); 0: every request reads the key from the database.
   */
  apiKeyCacheMs: number;
}

/** CAEA contingency (RG 5782): sales go on, under a CAEA obtained in advance, while ARCA cannot authorize. */
export interface ContingencyConfig {
  /** CAEA_CONTINGENCY=off: no CAEA is requested and a sale ARCA cannot take is a 503, as before. */
  enabled: boolean;
  /**
   * CAEA_POINTS_OF_SALE: explicit pairs `cuit/caePtoVta=caeaPtoVta`, comma-separated. A CUIT without pairs whose
   * ARCA lists exactly one CAEA point of sale uses it for all of its CAE points of sale.
   */
  pairs: Map<string, number>;
  /** How often CAEAs and points of sale are checked (CAEA_CHECK_INTERVAL_MS, default 1 hour). */
  checkIntervalMs: number;
  /** How often unreported contingency vouchers are reported (CAEA_REPORT_INTERVAL_MS, default 1 minute). */
  reportIntervalMs: number;
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
    readonly metrics: MetricsConfig,
    readonly contingency: ContingencyConfig,
  ) {}
}

export function loadConfig(env: Env, options: { stdoutIsTty?: boolean } = {}): AppConfig {
  const read = new EnvReader(env);
  const http: HttpConfig = {
    host: read.string('HOST', '0.0.0.0'),
    port: read.integer('PORT', 8080, 1, 65535),
    trustProxy: trustProxyOf(read.raw('TRUST_PROXY')),
  };
  const dataDir = resolve(read.string('DATA_DIR', '.data'));
  const database: DatabaseConfig = {
    url: read.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir,
    embeddedPort: read.integer('EMBEDDED_DB_PORT', 54329, 1, 65535),
    poolSize: read.integer('DATABASE_POOL_SIZE', 10, 2, 500),
    poolWaitMs: read.integer('DATABASE_POOL_WAIT_MS', 10_000, 100, 120_000),
  };
  const environment = read.oneOf('AFIP_ENV', AFIP_ENVIRONMENTS, 'sandbox');
  const sandboxPort = read.integer('SANDBOX_PORT', 8081, 1, 65535);
  const wsaaOverride = read.url('AFIP_WSAA_URL', ['http:', 'https:']);
  const wsfeOverride = read.url('AFIP_WSFE_URL', ['http:', 'https:']);
  const padronOverride = read.url('AFIP_PADRON_URL', ['http:', 'https:']);
  const sandboxWsfe = wsfeOverride ?? `http://127.0.0.1:${sandboxPort}/wsfev1/service.asmx`;
  const defaults =
    environment === 'sandbox'
      ? {
          wsaa: `http://127.0.0.1:${sandboxPort}/ws/services/LoginCms`,
          wsfe: sandboxWsfe,
          // The sandbox serves the registry on ARCA's path, beside its WSFEv1.
          padron: new URL(SANDBOX_PADRON_PATH, sandboxWsfe).href,
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
    circuitHalfOpenMs: read.integer('AFIP_CIRCUIT_HALF_OPEN_MS', 30_000, 100, 600_000),
    padronUrl: padronOverride ?? defaults.padron,
    taxpayerCacheMs: read.integer('TAXPAYER_CACHE_HOURS', 24, 0, 24 * 31) * 3_600_000,
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
    refusalLimitPerMinute: read.integer('REFUSAL_LIMIT_PER_MINUTE', 60, 0, 1_000_000),
    lanesPerCuit: read.optionalInteger('LANES_PER_CUIT', 1, 498),
    inflightPerKey: read.integer('INFLIGHT_PER_KEY', 500, 1, 1_000_000),
    inflightPerCuit: read.integer('INFLIGHT_PER_CUIT', 2000, 1, 1_000_000),
    bulkPerCuit: read.integer('BULK_PER_CUIT', 2, 1, 1000),
    bulkWaitMs: read.integer('BULK_WAIT_MS', 20_000, 1, 600_000),
    apiKeyCacheMs: read.integer('API_KEY_CACHE_MS', 5_000, 0, 3_600_000),
  };
  const metrics: MetricsConfig = {
    token: read.secret('METRICS_TOKEN', 'at least 16 characters', (value) => value.length >= 16),
    port: read.optionalInteger('METRICS_PORT', 1, 65535),
    host: read.string('METRICS_HOST', '127.0.0.1'),
  };
  if (environment !== 'sandbox' && metrics.token === undefined && metrics.port === undefined) {
    read.problems.push(
      `METRICS_TOKEN or METRICS_PORT is required when AFIP_ENV=${environment}: /metrics names every CUIT the ` +
        'gateway serves, so it is never public outside the sandbox (a bearer token, or a management port bound ' +
        'to 127.0.0.1 unless METRICS_HOST says otherwise)',
    );
  }
  const logging: LoggingConfig = {
    level: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    pretty:
      read.oneOf('LOG_FORMAT', ['json', 'pretty'], options.stdoutIsTty ? 'pretty' : 'json') === 'pretty',
  };
  const contingency: ContingencyConfig = {
    enabled: read.oneOf('CAEA_CONTINGENCY', ['on', 'off'], 'on') === 'on',
    pairs: contingencyPairs(read.raw('CAEA_POINTS_OF_SALE'), read.problems),
    checkIntervalMs: read.integer('CAEA_CHECK_INTERVAL_MS', 3_600_000, 500, 86_400_000),
    reportIntervalMs: read.integer('CAEA_REPORT_INTERVAL_MS', 60_000, 500, 86_400_000),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return new AppConfig(http, database, afip, sandbox, security, logging, metrics, contingency);
}

/** CAEA_POINTS_OF_SALE, e.g. `20123456789/1=900,20123456789/2=900`: key `cuit/caePtoVta`, value the CAEA one. */
function contingencyPairs(value: string | undefined, problems: string[]): Map<string, number> {
  const pairs = new Map<string, number>();
  for (const item of (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^(\d{11})\/(\d{1,5})=(\d{1,5})$/.exec(item);
    if (!match) {
      problems.push(
        `CAEA_POINTS_OF_SALE: "${item}" is not cuit/caePtoVta=caeaPtoVta (e.g. 20123456789/1=900)`,
      );
      continue;
    }
    pairs.set(`${Number(match[1])}/${Number(match[2])}`, Number(match[3]));
  }
  return pairs;
}

/** TRUST_PROXY as Express takes it: a hop count, or addresses and subnets (`loopback`, `10.0.0.0/8`, ...). */
function trustProxyOf(value: string | undefined): string | number | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

function parseKey(value: string): Buffer | undefined {
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  return key.length === 32 && (value.length === 64 || value.length === 44) ? key : undefined;
}
