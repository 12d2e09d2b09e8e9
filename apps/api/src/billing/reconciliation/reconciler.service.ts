import { Injectable, Logger } from '@nestjs/common';
import { WsfeClient } from '#libs/afip-wsfe';
import { BillingMetrics } from '../billing.metrics.js';
import { InvoiceJournalRepository, type JournalRow } from '../journal/invoice-journal.repository.js';
import { isNumberingRefusal, splitResult } from '../lanes/batch-plan.js';
import { type LaneSession, laneName } from '../lanes/numbering-lane.repository.js';
import { type KnownRecords, lookUpAtOnce } from './record-lookups.js';
import { RowSettler, type Settlement, type Who } from './row-settler.service.js';
import { WsfeCalls } from '../wsfe-calls.service.js';

export type { Settlement } from './row-settler.service.js';

/** FECompConsultar calls at once when a call ARCA processed lost its answer. */
const LOOKUPS_AT_ONCE = 8;

/**
 * Settles the vouchers of calls whose FECAESolicitar left but whose answer did not come back (journal SENT or
 * UNKNOWN), inside their lane: ARCA's last number first, then each row as `RowSettler` does, or the rows ARCA never
 * got again together.
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger('Reconciler');

  constructor(
    private readonly wsfe: WsfeClient,
    private readonly calls: WsfeCalls,
    private readonly journal: InvoiceJournalRepository,
    private readonly rows: RowSettler,
    private readonly metrics: BillingMetrics,
  ) {}

  /**
   * Every voucher in doubt of the lane, as `settleCall` settles a call's (a lane in doubt numbers nothing, so they
   * are its last numbers); the first ARCA cannot be asked about, which blocks the lane, or undefined.
   */
  async settleLane(session: LaneSession, who: Who): Promise<JournalRow | undefined> {
    const lane = laneName(session.key);
    const rows = await this.journal.inDoubt(session.key, session);
    const settled = await this.settleCall(session, rows, () => who);
    const blocking = inNumberOrder(rows).find((row) => settled.get(row.id) === 'blocked');
    if (blocking) this.metrics.laneBlocked(lane);
    else this.metrics.laneClear(lane);
    return blocking;
  }

  /**
   * The rows of one call whose answer was lost. ARCA's last number says how far ARCA got: the rows up to it are
   * settled one by one, as `RowSettler.settle` does (FECompConsultar: this sale's voucher, or another's); ARCA has
   * recorded nothing after it, so when every row up to it was ARCA's own and the rest follow on from it, the rest go
   * again together, as they were sent, in one FECAESolicitar, instead of a FECompConsultar and a FECAESolicitar each. A
   * first call still in flight at ARCA cannot make a duplicate of them: ARCA's numbering refuses one of the two
   * (10016), and then they are settled one by one. Each row's settlement.
   */
  async settleCall(
    session: LaneSession,
    rows: JournalRow[],
    whoOf: (row: JournalRow) => Who,
  ): Promise<Map<string, Settlement>> {
    const settled = new Map<string, Settlement>();
    if (rows.length === 0) return settled;
    // One by one, in order; once ARCA cannot be asked, the rest wait too (each would be another failed call).
    let blocked = false;
    const oneByOne = async (list: JournalRow[], known?: KnownRecords) => {
      for (const row of list) {
        const settlement = blocked ? 'blocked' : await this.rows.settle(session, row, whoOf(row), known);
        blocked ||= settlement === 'blocked';
        settled.set(row.id, settlement);
      }
    };
    const { key } = session;
    const ordered = inNumberOrder(rows);
    const arcaLast = await this.calls
      .run(key.cuit, (auth) => this.wsfe.lastAuthorized(auth, key.ptoVta, key.cbteTipo))
      .catch(() => undefined);
    if (arcaLast === undefined) {
      await oneByOne(ordered);
      return settled;
    }
    const reached = ordered.filter((row) => firstOf(row) <= arcaLast);
    const beyond = ordered.filter((row) => firstOf(row) > arcaLast);
    // ARCA processed these: what it recorded under their numbers is asked several at a time.
    const known =
      reached.length > 1
        ? await lookUpAtOnce(
            (cbteNro) =>
              this.calls.run(key.cuit, (auth) => this.wsfe.consult(auth, key.cbteTipo, key.ptoVta, cbteNro)),
            reached.flatMap((row) => (row.sentRequest ?? []).map((detail) => detail.CbteDesde)),
            LOOKUPS_AT_ONCE,
          )
        : undefined;
    await oneByOne(reached, known);
    if (beyond.length === 0) return settled;
    if (!reached.every((row) => settled.get(row.id) === 'authorized') || !followsOn(beyond, arcaLast)) {
      await oneByOne(beyond);
      return settled;
    }
    const started = performance.now();
    const sizes = beyond.map((row) => row.sentRequest!.length);
    const sent = beyond.flatMap((row) => row.sentRequest!);
    const result = await this.calls
      .run(key.cuit, (auth) =>
        this.wsfe.authorize(auth, {
          FeCabReq: { CantReg: sent.length, PtoVta: key.ptoVta, CbteTipo: key.cbteTipo },
          FeDetReq: sent,
        }),
      )
      .catch(() => undefined);
    const where = `${laneName(key)} #${sent[0]!.CbteDesde}-${sent.at(-1)!.CbteHasta}`;
    if (!result || isNumberingRefusal(result) || result.FeDetResp.length !== sent.length) {
      this.logger.warn(
        `reconciling ${where}: ARCA's last number is ${arcaLast}, but sending them again together ` +
          `${result ? 'was refused for its numbering' : 'failed'}: settled one by one`,
      );
      await oneByOne(beyond);
      return settled;
    }
    const parts = splitResult(result, sizes);
    const notProcessed: JournalRow[] = [];
    for (const [index, row] of beyond.entries()) {
      const part = parts[index]!;
      if (part.kind === 'not-processed') {
        notProcessed.push(row);
        continue;
      }
      const doubt = { session, row, sent: row.sentRequest!, who: whoOf(row), started };
      await this.rows.store(doubt, part.result, false, 'resent');
      settled.set(row.id, 'resent');
      this.metrics.reconciled('resent');
    }
    this.logger.log(
      `reconciled ${where} (${beyond.length} journal rows): ARCA's last number was ${arcaLast}, so ARCA had ` +
        `none of them: sent again together, as sent, ARCA answered` +
        (notProcessed.length > 0 ? `; ${notProcessed.length} not processed after a rejection` : ''),
    );
    const state = await session.state();
    await session.save({ lastNumber: state?.lastNumber ?? 0, lastFch: state?.lastFch, synced: false });
    await oneByOne(notProcessed);
    return settled;
  }
}

function firstOf(row: JournalRow): number {
  return row.sentRequest?.[0]?.CbteDesde ?? 0;
}

function inNumberOrder(rows: JournalRow[]): JournalRow[] {
  return [...rows].sort((a, b) => firstOf(a) - firstOf(b));
}

/** The rows' vouchers, in order, numbered on from `last` without a gap. */
function followsOn(rows: JournalRow[], last: number): boolean {
  let next = last + 1;
  for (const row of rows) {
    for (const detail of row.sentRequest ?? []) {
      if (detail.CbteDesde !== next) return false;
      next = detail.CbteHasta + 1;
    }
    if (!row.sentRequest?.length) return false;
  }
  return true;
}
