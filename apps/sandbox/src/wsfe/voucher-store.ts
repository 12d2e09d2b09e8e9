/** One authorized voucher (or range of B vouchers) as the sandbox keeps it. */
export interface StoredVoucher {
  cuit: number;
  ptoVta: number;
  cbteTipo: number;
  cbteDesde: number;
  cbteHasta: number;
  cbteFch: string;
  impTotal: number;
  /** The CAE, or the CAEA for vouchers reported with FECAEARegInformativo. */
  codAutorizacion: string;
  emisionTipo: 'CAE' | 'CAEA';
  fchVto: string;
  fchProceso: string;
  /** The FECAEDetRequest as received, returned by FECompConsultar. */
  detail: Record<string, unknown>;
  observaciones: { Code: number; Msg: string }[];
}

export interface StoredCaea {
  cuit: number;
  caea: string;
  periodo: number;
  orden: number;
  fchVigDesde: string;
  fchVigHasta: string;
  fchTopeInf: string;
  fchProceso: string;
}

/** A point of sale registered with its emission type (`POST /__sandbox/points-of-sale`). */
export interface RegisteredPoint {
  cuit: number;
  ptoVta: number;
  emisionTipo: 'CAE' | 'CAEA';
}

export interface CaeaWithoutMovement {
  cuit: number;
  caea: string;
  ptoVta: number;
  fchProceso: string;
}

const laneKey = (cuit: number, ptoVta: number, cbteTipo: number) => `${cuit}/${ptoVta}/${cbteTipo}`;

/** Everything the store holds, as plain JSON (a state log's compacted first line). */
export interface VoucherStoreSnapshot {
  lanes: [string, { last: number; lastFch: string }][];
  vouchers: StoredVoucher[];
  caeas: StoredCaea[];
  withoutMovement: CaeaWithoutMovement[];
  points?: RegisteredPoint[];
}

/** One change to the store, as a state log appends it: replaying the changes in order rebuilds the store. */
export type StoreChange =
  | { op: 'seed'; key: string; last: number; lastFch: string }
  | { op: 'record'; voucher: StoredVoucher }
  | { op: 'caea'; caea: StoredCaea }
  | { op: 'withoutMovement'; entry: CaeaWithoutMovement }
  | { op: 'point'; point: RegisteredPoint }
  | { op: 'reset' }
  | { op: 'snapshot'; snapshot: VoucherStoreSnapshot };

/** A voucher as held in memory: its request as JSON text, a fraction of the objects' size. */
interface Kept extends Omit<StoredVoucher, 'detail'> {
  detailJson: string;
}

function keep(voucher: StoredVoucher): Kept {
  const { detail, ...rest } = voucher;
  return { ...rest, detailJson: JSON.stringify(detail) };
}

function unkeep(kept: Kept): StoredVoucher {
  const { detailJson, ...rest } = kept;
  return { ...rest, detail: JSON.parse(detailJson) as Record<string, unknown> };
}

/** Vouchers held in memory by default: past it the oldest tenth is forgotten (their numbering is kept). */
export const MAX_VOUCHERS = 100_000;

/**
 * The sandbox's memory of what it authorized: numbering per (CUIT, PtoVta, CbteTipo), vouchers, CAEAs. Vouchers
 * are indexed by lane (in number order, as ARCA only takes the next number), so a lookup costs a binary search
 * in its lane, not a scan of everything ever issued. Memory is bounded: each voucher's request is kept as JSON
 * text, and past `maxVouchers` the oldest tenth is dropped, so FECompConsultar no longer finds them (ARCA would);
 * every lane's last number and date stay.
 */
export class VoucherStore {
  private readonly lanes = new Map<string, { last: number; lastFch: string }>();
  private readonly vouchers: Kept[] = [];
  private readonly byLane = new Map<string, Kept[]>();
  private readonly pointsByCuit = new Map<number, Set<number>>();
  private readonly caeas: StoredCaea[] = [];
  private readonly withoutMovement: CaeaWithoutMovement[] = [];
  /** Points of sale registered with an emission type; any other point of sale used is a CAE one. */
  private readonly registered = new Map<string, RegisteredPoint>();

  /** Called with every change, e.g. to append it to a state log. */
  constructor(
    private readonly onChange: (change: StoreChange) => void = () => undefined,
    private readonly maxVouchers = MAX_VOUCHERS,
  ) {}

  /** How many vouchers are held in memory. */
  get size(): number {
    return this.vouchers.length;
  }

  lastNumber(cuit: number, ptoVta: number, cbteTipo: number): number {
    return this.lanes.get(laneKey(cuit, ptoVta, cbteTipo))?.last ?? 0;
  }

  lastDate(cuit: number, ptoVta: number, cbteTipo: number): string | undefined {
    return this.lanes.get(laneKey(cuit, ptoVta, cbteTipo))?.lastFch || undefined;
  }

  /** Pretends `lastNumber` vouchers were already authorized (replays, or a POS moving from another system). */
  seed(cuit: number, ptoVta: number, cbteTipo: number, lastNumber: number, lastFch = ''): void {
    this.change({ op: 'seed', key: laneKey(cuit, ptoVta, cbteTipo), last: lastNumber, lastFch });
  }

  record(voucher: StoredVoucher): void {
    this.change({ op: 'record', voucher });
  }

  find(cuit: number, ptoVta: number, cbteTipo: number, cbteNro: number): StoredVoucher | undefined {
    const lane = this.byLane.get(laneKey(cuit, ptoVta, cbteTipo));
    if (!lane) return undefined;
    // The last voucher whose range starts at or before cbteNro.
    let low = 0;
    let high = lane.length - 1;
    let found: Kept | undefined;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (lane[middle]!.cbteDesde <= cbteNro) {
        found = lane[middle];
        low = middle + 1;
      } else high = middle - 1;
    }
    return found && cbteNro <= found.cbteHasta ? unkeep(found) : undefined;
  }

  /** The CUIT's points of sale: those it issued on and those registered, in number order. */
  pointsOfSale(cuit: number): number[] {
    const registered = [...this.registered.values()].filter((point) => point.cuit === cuit);
    const numbers = new Set([
      ...(this.pointsByCuit.get(cuit) ?? []),
      ...registered.map((point) => point.ptoVta),
    ]);
    return [...numbers].sort((a, b) => a - b);
  }

  /** `CAEA` for a point of sale registered as a contingency one; every other point of sale is CAE. */
  emisionTipo(cuit: number, ptoVta: number): 'CAE' | 'CAEA' {
    return this.registered.get(`${cuit}/${ptoVta}`)?.emisionTipo ?? 'CAE';
  }

  registerPoint(point: RegisteredPoint): void {
    this.change({ op: 'point', point });
  }

  /** Whether any reported voucher of the CUIT on this point of sale carries this CAEA. */
  usedCaea(cuit: number, ptoVta: number, caea: string): boolean {
    for (const [key, lane] of this.byLane) {
      if (!key.startsWith(`${cuit}/${ptoVta}/`)) continue;
      if (lane.some((voucher) => voucher.codAutorizacion === caea)) return true;
    }
    return false;
  }

  /** Every voucher held, rebuilt from its JSON (the control API's state; a copy, not for hot paths). */
  all(): StoredVoucher[] {
    return this.vouchers.map(unkeep);
  }

  addCaea(caea: StoredCaea): void {
    this.change({ op: 'caea', caea });
  }

  findCaea(cuit: number, periodo: number, orden: number): StoredCaea | undefined {
    return this.caeas.find((c) => c.cuit === cuit && c.periodo === periodo && c.orden === orden);
  }

  caeaByCode(cuit: number, caea: string): StoredCaea | undefined {
    return this.caeas.find((c) => c.cuit === cuit && c.caea === caea);
  }

  addWithoutMovement(entry: CaeaWithoutMovement): void {
    this.change({ op: 'withoutMovement', entry });
  }

  withoutMovementFor(cuit: number, caea: string, ptoVta: number): CaeaWithoutMovement[] {
    return this.withoutMovement.filter(
      (e) => e.cuit === cuit && e.caea === caea && (ptoVta === 0 || e.ptoVta === ptoVta),
    );
  }

  reset(): void {
    this.change({ op: 'reset' });
  }

  snapshot(): VoucherStoreSnapshot {
    return {
      lanes: [...this.lanes],
      vouchers: this.all(),
      caeas: this.caeas,
      withoutMovement: this.withoutMovement,
      points: [...this.registered.values()],
    };
  }

  /** Applies a change read back from a state log, without reporting it again. */
  apply(change: StoreChange): void {
    switch (change.op) {
      case 'seed':
        this.lanes.set(change.key, { last: change.last, lastFch: change.lastFch });
        return;
      case 'record': {
        const voucher = keep(change.voucher);
        const key = laneKey(voucher.cuit, voucher.ptoVta, voucher.cbteTipo);
        this.vouchers.push(voucher);
        let lane = this.byLane.get(key);
        if (!lane) this.byLane.set(key, (lane = []));
        lane.push(voucher);
        let points = this.pointsByCuit.get(voucher.cuit);
        if (!points) this.pointsByCuit.set(voucher.cuit, (points = new Set()));
        points.add(voucher.ptoVta);
        this.lanes.set(key, { last: voucher.cbteHasta, lastFch: voucher.cbteFch });
        if (this.vouchers.length > this.maxVouchers) this.forgetOldest();
        return;
      }
      case 'caea':
        this.caeas.push(change.caea);
        return;
      case 'withoutMovement':
        this.withoutMovement.push(change.entry);
        return;
      case 'point':
        this.registered.set(`${change.point.cuit}/${change.point.ptoVta}`, change.point);
        return;
      case 'reset':
        this.lanes.clear();
        this.vouchers.length = 0;
        this.byLane.clear();
        this.pointsByCuit.clear();
        this.caeas.length = 0;
        this.withoutMovement.length = 0;
        this.registered.clear();
        return;
      case 'snapshot':
        this.apply({ op: 'reset' });
        for (const voucher of change.snapshot.vouchers) this.apply({ op: 'record', voucher });
        // The lanes as they were (a seed may have moved one past its vouchers).
        for (const [key, lane] of change.snapshot.lanes) this.lanes.set(key, lane);
        this.caeas.push(...change.snapshot.caeas);
        this.withoutMovement.push(...change.snapshot.withoutMovement);
        for (const point of change.snapshot.points ?? []) this.apply({ op: 'point', point });
        return;
    }
  }

  /** Drops the oldest tenth of the vouchers held; each is the first of its lane, which is in issue order too. */
  private forgetOldest(): void {
    for (const voucher of this.vouchers.splice(0, Math.ceil(this.maxVouchers / 10))) {
      const key = laneKey(voucher.cuit, voucher.ptoVta, voucher.cbteTipo);
      const lane = this.byLane.get(key)!;
      if (lane[0] === voucher) lane.shift();
      else lane.splice(lane.indexOf(voucher), 1);
      if (lane.length === 0) this.byLane.delete(key);
    }
  }

  private change(change: StoreChange): void {
    this.apply(change);
    this.onChange(change);
  }
}
