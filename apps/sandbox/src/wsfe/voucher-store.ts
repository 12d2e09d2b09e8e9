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

export interface CaeaWithoutMovement {
  cuit: number;
  caea: string;
  ptoVta: number;
  fchProceso: string;
}

const laneKey = (cuit: number, ptoVta: number, cbteTipo: number) => `${cuit}/${ptoVta}/${cbteTipo}`;

/** Everything the store holds, as plain JSON (for SandboxOptions.stateFile). */
export interface VoucherStoreSnapshot {
  lanes: [string, { last: number; lastFch: string }][];
  vouchers: StoredVoucher[];
  caeas: StoredCaea[];
  withoutMovement: CaeaWithoutMovement[];
}

/** The sandbox's memory of what it authorized: numbering per (CUIT, PtoVta, CbteTipo), vouchers, CAEAs. */
export class VoucherStore {
  private readonly lanes = new Map<string, { last: number; lastFch: string }>();
  private readonly vouchers: StoredVoucher[] = [];
  private readonly caeas: StoredCaea[] = [];
  private readonly withoutMovement: CaeaWithoutMovement[] = [];

  /** Called after every change, e.g. to persist the store. */
  constructor(private readonly onChange: () => void = () => undefined) {}

  lastNumber(cuit: number, ptoVta: number, cbteTipo: number): number {
    return this.lanes.get(laneKey(cuit, ptoVta, cbteTipo))?.last ?? 0;
  }

  lastDate(cuit: number, ptoVta: number, cbteTipo: number): string | undefined {
    return this.lanes.get(laneKey(cuit, ptoVta, cbteTipo))?.lastFch || undefined;
  }

  /** Pretends `lastNumber` vouchers were already authorized (replays, or a POS moving from another system). */
  seed(cuit: number, ptoVta: number, cbteTipo: number, lastNumber: number, lastFch = ''): void {
    this.lanes.set(laneKey(cuit, ptoVta, cbteTipo), { last: lastNumber, lastFch });
    this.onChange();
  }

  record(voucher: StoredVoucher): void {
    this.vouchers.push(voucher);
    this.lanes.set(laneKey(voucher.cuit, voucher.ptoVta, voucher.cbteTipo), {
      last: voucher.cbteHasta,
      lastFch: voucher.cbteFch,
    });
    this.onChange();
  }

  find(cuit: number, ptoVta: number, cbteTipo: number, cbteNro: number): StoredVoucher | undefined {
    return this.vouchers.find(
      (v) =>
        v.cuit === cuit &&
        v.ptoVta === ptoVta &&
        v.cbteTipo === cbteTipo &&
        cbteNro >= v.cbteDesde &&
        cbteNro <= v.cbteHasta,
    );
  }

  pointsOfSale(cuit: number): number[] {
    return [...new Set(this.vouchers.filter((v) => v.cuit === cuit).map((v) => v.ptoVta))].sort(
      (a, b) => a - b,
    );
  }

  all(): readonly StoredVoucher[] {
    return this.vouchers;
  }

  addCaea(caea: StoredCaea): void {
    this.caeas.push(caea);
    this.onChange();
  }

  findCaea(cuit: number, periodo: number, orden: number): StoredCaea | undefined {
    return this.caeas.find((c) => c.cuit === cuit && c.periodo === periodo && c.orden === orden);
  }

  caeaByCode(cuit: number, caea: string): StoredCaea | undefined {
    return this.caeas.find((c) => c.cuit === cuit && c.caea === caea);
  }

  addWithoutMovement(entry: CaeaWithoutMovement): void {
    this.withoutMovement.push(entry);
    this.onChange();
  }

  withoutMovementFor(cuit: number, caea: string, ptoVta: number): CaeaWithoutMovement[] {
    return this.withoutMovement.filter(
      (e) => e.cuit === cuit && e.caea === caea && (ptoVta === 0 || e.ptoVta === ptoVta),
    );
  }

  reset(): void {
    this.lanes.clear();
    this.vouchers.length = 0;
    this.caeas.length = 0;
    this.withoutMovement.length = 0;
    this.onChange();
  }

  snapshot(): VoucherStoreSnapshot {
    return {
      lanes: [...this.lanes],
      vouchers: this.vouchers,
      caeas: this.caeas,
      withoutMovement: this.withoutMovement,
    };
  }

  restore(snapshot: VoucherStoreSnapshot): void {
    for (const [key, lane] of snapshot.lanes) this.lanes.set(key, lane);
    this.vouchers.push(...snapshot.vouchers);
    this.caeas.push(...snapshot.caeas);
    this.withoutMovement.push(...snapshot.withoutMovement);
  }
}
