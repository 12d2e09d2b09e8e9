import { appendFileSync } from 'node:fs';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  freePort,
  startTestSandbox,
  type TestDatabase,
  type TestSandbox,
} from '#libs/testing';

const MAIN = join(import.meta.dirname, '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');

/**
 * One fault scenario's world, all real: the sandbox (in this process, faults through its control API), a
 * PostgreSQL database, and the gateway built in dist/ as a child process, which can be killed with SIGKILL and
 * started again on the same port.
 */
export class FaultWorld {
  readonly adminKey = `faults-${Math.random().toString(36).slice(2)}-0123456789abcdefghijklmnop`;
  sandbox!: TestSandbox;
  db!: TestDatabase;
  private dataDir!: string;
  private port!: number;
  private child?: ChildProcess;
  /** The gateway's last log lines, printed when a scenario fails. */
  readonly tail: string[] = [];

  constructor(private readonly env: Record<string, string>) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.dataDir = mkdtempSync(join(tmpdir(), 'arca-faults-'));
    mkdirSync(join(this.dataDir, 'sandbox'), { recursive: true });
    this.sandbox = await startTestSandbox({
      stateDir: join(this.dataDir, 'sandbox'),
      log: () => undefined,
      // The suite runs on the real date, which may be a fortnight's first day: ARCA takes CAEA reports the next.
      caeaReportsOnFirstDay: true,
    });
    this.db = await createTestDatabase();
    this.port = await freePort();
    await this.startGateway();
  }

  async startGateway(): Promise<void> {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(this.port),
        HOST: '127.0.0.1',
        DATA_DIR: this.dataDir,
        DATABASE_URL: this.db.url,
        AFIP_ENV: 'sandbox',
        AFIP_WSAA_URL: this.sandbox.wsaaUrl,
        AFIP_WSFE_URL: this.sandbox.wsfeUrl,
        NTP_SERVER: '127.0.0.1:9',
        ADMIN_API_KEY: this.adminKey,
        RATE_LIMIT_PER_MINUTE: '0',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      const read = (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          // FAULT_LOG=<file>: every line of every gateway the suite starts, to read a failure whole.
          if (process.env.FAULT_LOG) appendFileSync(process.env.FAULT_LOG, line + '\n');
          this.tail.push(line.slice(0, 400));
          if (this.tail.length > 300) this.tail.shift();
          if (line.includes('arca-gateway ready')) resolve();
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code, signal) =>
        reject(new Error(`gateway exited (${code ?? signal}) before ready`)),
      );
    });
  }

  /** SIGKILL: no shutdown hook runs, in-flight requests die with the process. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async fault(rule: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${this.sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    });
    if (!response.ok) throw new Error(`fault not accepted: ${await response.text()}`);
  }

  async clearFaults(): Promise<void> {
    await fetch(`${this.sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await this.sandbox?.stop();
    await this.db?.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
