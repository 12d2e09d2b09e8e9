import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { DatabaseConnection } from './database-connection.js';
import type { Prisma } from './generated/prisma/client.js';
import { type PoolUsage, PrismaService, usageOf, watchPool } from './prisma.service.js';

/**
 * Somewhere SQL runs: the pool (each statement committed on its own), or one transaction's connection. Values are
 * `$n` parameters; rows come back as `pg` gives them (int8 and numeric as strings, timestamptz as Date, jsonb
 * parsed), so callers convert with Number()/String(), which also reads Prisma's bigint and Decimal.
 */
export interface SqlRunner {
  query<T = Record<string, unknown>>(statement: Statement, values?: readonly unknown[]): Promise<T[]>;
  /**
   * A statement whose rows nobody reads (a write, a lock), held and sent with the transaction's next statement, or
   * with its COMMIT, in the same round trip; its failure fails that statement or the commit. Only a `Sql`
   * transaction has it: elsewhere, `sendWithNext` runs the statement at once.
   */
  withNext?(text: string, values?: readonly unknown[]): void;
}

/**
 * A statement PostgreSQL parses and plans once per connection, then only binds and runs (pg's named prepared
 * statements): for the hot path's fixed texts, whose parse and plan cost PostgreSQL more than running them (a
 * sequential sale's three: 1.2 ms of its ~5 ms in PostgreSQL, measured with log_min_duration_statement = 0).
 */
export interface Prepared {
  readonly name: string;
  readonly text: string;
}

/** SQL text, or a `Prepared` statement. */
export type Statement = string | Prepared;

const preparedTexts = new Map<string, string>();

/**
 * A named statement, declared once (at module load). pg refuses a name reused with another text on a connection
 * that prepared the first, so two texts under one name fail here, at start-up, instead.
 */
export function prepared(name: string, text: string): Prepared {
  const known = preparedTexts.get(name);
  if (known !== undefined && known !== text) throw new Error(`prepared statement ${name} declared twice`);
  preparedTexts.set(name, text);
  return Object.freeze({ name, text });
}

/** The text of a statement. */
function textOf(statement: Statement): string {
  return typeof statement === 'string' ? statement : statement.text;
}

/** A statement as pg's query takes it: its text, or (prepared) its name with its text. */
function pgQuery(statement: Statement, values: readonly unknown[]): pg.QueryConfig {
  return typeof statement === 'string'
    ? { text: statement, values: values as unknown[] }
    : { name: statement.name, text: statement.text, values: values as unknown[] };
}

/** `runner.withNext` where the runner holds statements, else the statement at once. */
export async function sendWithNext(
  runner: SqlRunner,
  text: string,
  values: readonly unknown[] = [],
): Promise<void> {
  if (runner.withNext) runner.withNext(text, values);
  else await runner.query(text, values);
}

/**
 * Which pool a statement runs on. `requests`: the pool Prisma's adapter also uses, shared by everything a request
 * does. `lanes`: the numbering lanes' own (their transactions and the SENT write before each ARCA call), so a lane's
 * critical path never queues behind hundreds of new requests' statements (under load that queue took 65-210 ms
 * of a 200-voucher batch's ~350 ms outside ARCA). It has DATABASE_POOL_SIZE connections too; a replica holds at most that minus 2 lanes.
 */
export type PoolName = 'requests' | 'lanes';

/**
 * SQL on `pg` directly, for the paths where Prisma's client costs more than the statement (the invoice's hot path:
 * a raw query through Prisma 7 takes several times the CPU of the same query on `pg`). Transactions hold one pooled
 * connection from BEGIN to COMMIT. Only repositories inject it.
 */
@Injectable()
export class Sql implements SqlRunner, OnModuleDestroy {
  private readonly lanes: pg.Pool;

  constructor(
    private readonly prisma: PrismaService,
    connection: DatabaseConnection,
  ) {
    this.lanes = new pg.Pool({
      connectionString: connection.url,
      max: connection.pool.size,
      connectionTimeoutMillis: connection.pool.waitMs,
    });
    watchPool(this.lanes, new Logger('Database'));
  }

  /** The lanes' pool right now: its size, connections in use, and lanes or SENT writes waiting for one. */
  lanesUsage(): PoolUsage {
    return usageOf(this.lanes);
  }

  async onModuleDestroy(): Promise<void> {
    await this.lanes.end().catch(() => undefined);
  }

  async query<T = Record<string, unknown>>(
    statement: Statement,
    values: readonly unknown[] = [],
    on: PoolName = 'requests',
  ): Promise<T[]> {
    const result = await this.pool(on).query(pgQuery(statement, values));
    return result.rows as T[];
  }

  /**
   * `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. A
   * connection not handed out within `maxWaitMs` fails the call before anything ran, as a saturation (503).
   */
  async transaction<T>(
    work: (tx: SqlRunner, opening: Record<string, unknown>[][]) => Promise<T>,
    options: {
      maxWaitMs?: number;
      on?: PoolName;
      /**
       * Statements sent with BEGIN in the same round trip, built once the connection is had (so a deadline can use
       * what is left of it): without parameters, values written in by `inlined`. `work` gets their rows.
       */
      opening?: () => string[];
    } = {},
  ): Promise<T> {
    const client = await this.connect(this.pool(options.on ?? 'requests'), options.maxWaitMs);
    let broken = false;
    // The pool listens for errors only on idle connections: one dropped while checked out (the server restarted,
    // pg_terminate_backend) would otherwise be an uncaught 'error' that ends the process. The statement running
    // or the next one fails instead, and the connection leaves the pool.
    const dropped = () => {
      broken = true;
    };
    client.on('error', dropped);
    try {
      const opening = options.opening?.() ?? [];
      // One simple query: BEGIN and the opening statements travel and run together.
      const begun = await client.query(['BEGIN', ...opening].join(';\n'));
      const results = Array.isArray(begun) ? (begun as pg.QueryResult[]) : [begun];
      const runner = new TransactionRunner(client);
      const value = await work(
        runner,
        results.slice(1).map((result) => result.rows as Record<string, unknown>[]),
      );
      // The statements held for the next one go with COMMIT.
      await runner.query('COMMIT');
      return value;
    } catch (error) {
      // A connection that cannot even roll back is dropped from the pool, not handed to the next caller.
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      // A dropped connection keeps the listener: it may still report its end after leaving the pool.
      if (!broken) client.off('error', dropped);
      client.release(broken || undefined);
    }
  }

  private pool(name: PoolName): pg.Pool {
    return name === 'lanes' ? this.lanes : this.prisma.connections();
  }

  private connect(pool: pg.Pool, maxWaitMs: number | undefined): Promise<pg.PoolClient> {
    const pending = pool.connect();
    if (maxWaitMs === undefined) return pending;
    return new Promise((resolve, reject) => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        // Worded as the saturation check (common/saturation.ts) recognizes it: a 503, nothing ran.
        reject(
          new Error(
            `Unable to start a transaction in the given time: no database connection within ${Math.round(maxWaitMs)} ms`,
          ),
        );
      }, maxWaitMs);
      pending.then(
        (client) => {
          clearTimeout(timer);
          if (late) client.release();
          else resolve(client);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error as Error);
        },
      );
    });
  }
}

/**
 * A `Sql` transaction's statements: those held by `withNext` are written in as literals and go in front of the
 * next statement, as one simple query when it has no parameters (one round trip), else as one of their own first.
 */
class TransactionRunner implements SqlRunner {
  private held: string[] = [];

  constructor(private readonly client: pg.PoolClient) {}

  withNext(text: string, values: readonly unknown[] = []): void {
    this.held.push(inlined(text, values));
  }

  async query<T>(statement: Statement, values: readonly unknown[] = []): Promise<T[]> {
    const held = this.held;
    this.held = [];
    if (held.length > 0 && values.length === 0) {
      const joined = [...held, textOf(statement)].join(';\n');
      const results = (await this.client.query(joined)) as unknown as pg.QueryResult[];
      return results.at(-1)!.rows as T[];
    }
    if (held.length > 0) await this.client.query(held.join(';\n'));
    return (await this.client.query(pgQuery(statement, values))).rows as T[];
  }
}

/**
 * A string literal as pg.escapeLiteral writes it (quotes doubled; with a backslash, an E'' literal with backslashes
 * doubled, right whatever standard_conforming_strings says), by native replaces: pg's loop adds a character at a
 * time, several ms on a batch's audit payloads.
 */
function quoted(text: string): string {
  const doubled = text.replaceAll("'", "''");
  return text.includes('\\') ? ` E'${doubled.replaceAll('\\', '\\\\')}'` : `'${doubled}'`;
}

/**
 * A statement with its `$n` parameters written in as literals, as pg sends them (text, typed by the statement):
 * strings quoted as PostgreSQL's own quoting does, numbers, bigints and booleans as their text, null and
 * undefined as NULL. Other values (dates, arrays, objects) are refused: the caller converts them first.
 */
export function inlined(text: string, values: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, digits: string) => {
    const index = Number(digits) - 1;
    if (index >= values.length) throw new Error(`no value for $${digits}`);
    const value = values[index];
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'string') return quoted(value);
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
      return quoted(String(value));
    throw new Error(`no SQL literal for $${digits}, a ${typeof value}: convert it to a string first`);
  });
}

/** A Prisma transaction as a `SqlRunner`, for SQL shared by both kinds of transaction (the audit trail's). */
export function prismaRunner(tx: Prisma.TransactionClient): SqlRunner {
  return {
    query: <T>(statement: Statement, values: readonly unknown[] = []) =>
      tx.$queryRawUnsafe<T[]>(textOf(statement), ...(values as unknown[])),
  };
}
