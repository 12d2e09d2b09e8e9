import { Injectable } from '@nestjs/common';
import { inlined, PrismaService, sendWithNext, Sql, type SqlRunner } from '#libs/database';
import { AuditEntryRepository } from '../../audit/audit-entry.repository.js';

export interface LaneKey {
  environment: string;
  cuit: number;
  ptoVta: number;
  cbteTipo: number;
}

export interface LaneState {
  lastNumber: number;
  lastFch?: string;
  /** False after any doubt: the next use asks ARCA before numbering. */
  synced: boolean;
}

/** A lane found with ARCA's numbering behind the gateway's records: it numbers nothing until resynced. */
export interface Divergence {
  arcaLast: number;
  gatewayLast: number;
  since: Date;
}

/**
 * A lane held by this caller: its state and writes, all in the transaction that holds the lane's lock, so the
 * lane's number and the vouchers numbered with it commit together. Only repositories use `client`.
 */
export class LaneSession {
  /** The transaction's statements; any of them ends the use of `opened`. */
  readonly client: SqlRunner;

  constructor(
    readonly key: LaneKey,
    client: SqlRunner,
    private readonly audit: AuditEntryRepository,
    /**
     * The lane's row and doubt as read with its lock (null: no row yet): what the first `state` answers, as long as
     * nothing else ran in the transaction since (a journal write may change the doubt, a save the row).
     */
    private opened?: LaneStateRow | null,
  ) {
    this.client = {
      query: (text, values) => {
        this.opened = undefined;
        return client.query(text, values);
      },
      ...(client.withNext && {
        withNext: (text: string, values?: readonly unknown[]) => {
          this.opened = undefined;
          client.withNext!(text, values);
        },
      }),
    };
  }

  /**
   * The lane's state and whether any of its vouchers is in doubt (SENT or UNKNOWN: sent, answer not stored), in
   * one round trip (none the first time: read with the lane's lock); undefined for a lane never used. A crash
   * between a call and its commit leaves the lane row as it was (synced) and its vouchers SENT, so `inDoubt` is
   * read from the journal, not trusted to the row.
   */
  async state(): Promise<(LaneState & { divergence?: Divergence; inDoubt: boolean }) | undefined> {
    const opened = this.opened;
    this.opened = undefined;
    const row =
      opened !== undefined
        ? (opened ?? undefined)
        : (await this.client.query<LaneStateRow>(laneStateSql(LANE_ROW_WHERE), laneValues(this.key)))[0];
    if (!row) return undefined;
    const divergence =
      row.diverged_at && row.arca_last_number !== null
        ? {
            arcaLast: Number(row.arca_last_number),
            gatewayLast: Number(row.last_number),
            since: row.diverged_at,
          }
        : undefined;
    return {
      lastNumber: Number(row.last_number),
      lastFch: row.last_fch ?? undefined,
      synced: row.synced,
      divergence,
      inDoubt: row.in_doubt,
    };
  }

  async save(state: LaneState): Promise<void> {
    await this.write({
      lastNumber: BigInt(state.lastNumber),
      lastFch: state.lastFch ?? null,
      synced: state.synced,
    });
  }

  /**
   * The lane's row, created on first use. Fields left undefined keep their value (a new row: its column default);
   * null clears one.
   */
  private async write(data: {
    lastNumber: bigint;
    lastFch?: string | null;
    synced: boolean;
    arcaLastNumber?: bigint;
    divergedAt?: Date | null;
  }): Promise<void> {
    const { environment, cuit, ptoVta, cbteTipo } = this.key;
    const given = (value: unknown) => value !== undefined;
    // Nobody reads its answer: it goes with the transaction's next statement (at the end of a call, its COMMIT).
    await sendWithNext(
      this.client,
      `INSERT INTO numbering_lane (environment, cuit, pto_vta, cbte_tipo, last_number, last_fch, synced,
                                   arca_last_number, diverged_at, updated_at)
       VALUES ($1, $2::bigint, $3, $4, $5::bigint, $6, $7, $8::bigint, $9::timestamptz, now())
       ON CONFLICT (environment, cuit, pto_vta, cbte_tipo) DO UPDATE SET
         last_number = EXCLUDED.last_number,
         last_fch = CASE WHEN $10 THEN EXCLUDED.last_fch ELSE numbering_lane.last_fch END,
         synced = EXCLUDED.synced,
         arca_last_number = CASE WHEN $11 THEN EXCLUDED.arca_last_number ELSE numbering_lane.arca_last_number END,
         diverged_at = CASE WHEN $12 THEN EXCLUDED.diverged_at ELSE numbering_lane.diverged_at END,
         updated_at = now()`,
      [
        environment,
        cuit,
        ptoVta,
        cbteTipo,
        data.lastNumber,
        data.lastFch ?? null,
        data.synced,
        data.arcaLastNumber ?? null,
        data.divergedAt?.toISOString() ?? null,
        given(data.lastFch),
        given(data.arcaLastNumber),
        given(data.divergedAt),
      ],
    );
  }

  /**
   * ARCA's last number is below what the gateway recorded as authorized: the lane stops, with a `lane.diverged`
   * entry. Its last number stays the gateway's, so nothing is renumbered over the gateway's own vouchers.
   */
  async diverge(arcaLast: number, gatewayLast: number, actor: string): Promise<Divergence> {
    const since = new Date();
    await this.write({
      lastNumber: BigInt(gatewayLast),
      synced: false,
      arcaLastNumber: BigInt(arcaLast),
      divergedAt: since,
    });
    await this.audit.append(this.client, {
      kind: 'lane.diverged',
      actor,
      subject: laneSubject(this.key),
      cuit: String(this.key.cuit),
      payload: { ...laneFields(this.key), arcaLast, gatewayLast },
    });
    return { arcaLast, gatewayLast, since };
  }

  /**
   * An admin accepted ARCA's numbering: the lane numbers from ARCA's last number again, with a `lane.resynced`
   * entry naming who did it, both numbers and how many of the gateway's vouchers were superseded.
   */
  async resync(
    arcaLast: number,
    change: { gatewayLast: number; superseded: number; actor: string },
  ): Promise<void> {
    await this.write({
      lastNumber: BigInt(arcaLast),
      lastFch: null,
      synced: true,
      arcaLastNumber: BigInt(arcaLast),
      divergedAt: null,
    });
    await this.audit.append(this.client, {
      kind: 'lane.resynced',
      actor: change.actor,
      subject: laneSubject(this.key),
      cuit: String(this.key.cuit),
      payload: {
        ...laneFields(this.key),
        arcaLast,
        gatewayLast: change.gatewayLast,
        superseded: change.superseded,
      },
    });
  }
}

/** The audit subject of a lane: `lane/<environment>/<cuit>/<ptoVta>/<cbteTipo>`. */
export function laneSubject(key: LaneKey): string {
  return `lane/${key.environment}/${key.cuit}/${key.ptoVta}/${key.cbteTipo}`;
}

/** A lane as logs and metrics name it: `<cuit>/<ptoVta>/<cbteTipo>`. */
export function laneName(key: LaneKey): string {
  return `${key.cuit}/${key.ptoVta}/${key.cbteTipo}`;
}

function laneFields(key: LaneKey) {
  return { environment: key.environment, ptoVta: key.ptoVta, cbteTipo: key.cbteTipo };
}

/**
 * Numbering lanes: one holder at a time per (environment, cuit, ptoVta, cbteTipo) across every replica, through
 * a transaction-scoped Postgres advisory lock. A crashed holder's lock dies with its connection.
 */
@Injectable()
export class NumberingLaneRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sql: Sql,
    private readonly audit: AuditEntryRepository,
  ) {}

  /**
   * `work` holding the lane, in one transaction on `pg` directly (the hot path: Prisma's client costs more than
   * these statements). The wait for a connection and then for the lane's lock share `waitMs`.
   */
  withLane<T>(key: LaneKey, waitMs: number, work: (session: LaneSession) => Promise<T>): Promise<T> {
    const started = performance.now();
    // BEGIN, the lane's lock and the lane's row travel in one round trip (under load each round trip waits its turn
    // on a busy event loop). The lock's wait is bounded: a request queued behind a stuck lane fails instead of
    // hanging its client. Only the lane's lock waits that little: the timeout goes back to LANE_LOCKS_TIMEOUT right
    // after, so storing ARCA's answer later in this transaction (the chain lock, journal rows) is never cancelled by
    // what was left of a queued request's deadline. (A target list is evaluated left to right.)
    const opening = () => {
      const timeout = `${Math.max(1, Math.round(waitMs - (performance.now() - started)))}ms`;
      return [
        inlined(
          `SELECT set_config('lock_timeout', $1, true), pg_advisory_xact_lock(hashtextextended($2, 0)),
                  set_config('lock_timeout', $3, true)`,
          [timeout, laneLock(key), LANE_LOCKS_TIMEOUT],
        ),
        inlined(laneStateSql(LANE_ROW_WHERE), laneValues(key)),
      ];
    };
    return this.sql.transaction(
      (tx, [, lane]) =>
        work(
          new LaneSession(key, tx, this.audit, (lane?.[0] as unknown as LaneStateRow | undefined) ?? null),
        ),
      { maxWaitMs: waitMs, on: 'lanes', opening },
    );
  }

  /** The lanes of an environment, optionally of some CUITs, in (cuit, ptoVta, cbteTipo) order. */
  async list(environment: string, cuits?: string[]): Promise<LaneView[]> {
    const rows = await this.prisma.$queryRaw<LaneRow[]>`
      SELECT l.environment, l.cuit, l.pto_vta, l.cbte_tipo, l.last_number, l.last_fch, l.synced,
             l.arca_last_number, l.diverged_at,
             (SELECT count(*) FROM invoice_request r
               WHERE r.cuit = l.cuit AND r.pto_vta = l.pto_vta AND r.cbte_tipo = l.cbte_tipo
                 AND r.state IN ('SENT', 'UNKNOWN') AND r.environment = l.environment) AS in_doubt
      FROM numbering_lane l
      WHERE l.environment = ${environment}
        AND (${cuits === undefined} OR l.cuit = ANY(${(cuits ?? []).map(BigInt)}::bigint[]))
      ORDER BY l.cuit, l.pto_vta, l.cbte_tipo`;
    return rows.map((row) => {
      const inDoubt = Number(row.in_doubt);
      const divergence =
        row.diverged_at && row.arca_last_number !== null
          ? {
              arcaLast: Number(row.arca_last_number),
              gatewayLast: Number(row.last_number),
              since: row.diverged_at.toISOString(),
            }
          : null;
      return {
        environment: row.environment,
        cuit: row.cuit.toString(),
        ptoVta: row.pto_vta,
        cbteTipo: row.cbte_tipo,
        lastNumber: Number(row.last_number),
        lastCbteFch: row.last_fch,
        state: divergence ? 'diverged' : inDoubt > 0 ? 'blocked' : row.synced ? 'synced' : 'unsynced',
        inDoubt,
        divergence,
      };
    });
  }

  /** How many lanes are diverged, across the cluster (for /metrics). */
  async countDiverged(): Promise<number> {
    return this.prisma.numberingLane.count({ where: { divergedAt: { not: null } } });
  }

  /** The lane if nobody holds it right now (the periodic reconciliation); undefined, at once, when somebody does. */
  tryLane<T>(key: LaneKey, work: (session: LaneSession) => Promise<T>): Promise<{ value: T } | undefined> {
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query<{ held: boolean }>(
        `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS held, set_config('lock_timeout', $2, true)`,
        [laneLock(key), LANE_LOCKS_TIMEOUT],
      );
      return row?.held ? { value: await work(new LaneSession(key, tx, this.audit)) } : undefined;
    });
  }
}

/** A lane as `GET /v1/lanes` lists it. */
export interface LaneView {
  environment: string;
  cuit: string;
  ptoVta: number;
  cbteTipo: number;
  lastNumber: number;
  lastCbteFch: string | null;
  state: 'synced' | 'unsynced' | 'diverged' | 'blocked';
  /** Vouchers of the lane sent to ARCA whose answer is not known yet. */
  inDoubt: number;
  /** When diverged: ARCA's last number, and since when. */
  divergence: { arcaLast: number; gatewayLast: number; since: string } | null;
}

interface LaneRow {
  environment: string;
  cuit: bigint;
  pto_vta: number;
  cbte_tipo: number;
  last_number: bigint;
  last_fch: string | null;
  synced: boolean;
  arca_last_number: bigint | null;
  diverged_at: Date | null;
  in_doubt: bigint;
}

/**
 * How long a lane's transaction waits for any lock after the lane's own: the audit chain's (held by each writer
 * for one commit) and journal rows. Long enough never to cancel the storing of an answer ARCA gave; short enough
 * that a stuck database shows as an error, not a hang.
 */
const LANE_LOCKS_TIMEOUT = '60s';

/** The lane's row as `LaneSession.state` reads it. */
interface LaneStateRow {
  last_number: string;
  last_fch: string | null;
  synced: boolean;
  arca_last_number: string | null;
  diverged_at: Date | null;
  in_doubt: boolean;
}

/** The lane's row (`numbering_lane l`), with `laneValues` as $1-$4. */
const LANE_ROW_WHERE = 'l.environment = $1 AND l.cuit = $2::bigint AND l.pto_vta = $3 AND l.cbte_tipo = $4';

/** A lane's key as the $1-$4 of the lane's WHERE clauses (here, and the invoices' LANE_WHERE). */
export function laneValues(key: LaneKey): unknown[] {
  return [key.environment, key.cuit, key.ptoVta, key.cbteTipo];
}

/** The lane's row and whether any of its vouchers is in doubt, for the lane `where` names. */
function laneStateSql(where: string): string {
  return `SELECT l.last_number, l.last_fch, l.synced, l.arca_last_number, l.diverged_at,
                 EXISTS (SELECT 1 FROM invoice_request r
                          WHERE r.cuit = l.cuit AND r.pto_vta = l.pto_vta AND r.cbte_tipo = l.cbte_tipo
                            AND r.state IN ('SENT', 'UNKNOWN') AND r.environment = l.environment) AS in_doubt
          FROM numbering_lane l
          WHERE ${where}`;
}

function laneLock(key: LaneKey): string {
  return `lane:${key.environment}:${key.cuit}:${key.ptoVta}:${key.cbteTipo}`;
}
