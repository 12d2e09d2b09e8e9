/** A waiter that did not get a slot before its deadline: nothing ran for it. */
export class SlotTimeout extends Error {
  constructor(tenant: string, waitedMs: number) {
    super(`no numbering lane slot for ${tenant} within ${Math.round(waitedMs)} ms`);
    this.name = 'SlotTimeout';
  }
}

interface Waiter {
  resolve: () => void;
  timer: NodeJS.Timeout;
}

/**
 * The replica's lane slots (each holds a database connection for a whole ARCA call), shared fairly between tenants:
 * at most `slots` holders at once, at most `perTenant` of them for one tenant (so one tenant may use the idle
 * capacity but never all of it), and when a slot frees the tenants waiting for one take turns (round robin), not
 * first come first served. Within a tenant, first come first served. A waiter past its deadline leaves with
 * `SlotTimeout`.
 */
export class FairSlots {
  private held = 0;
  private readonly heldBy = new Map<string, number>();
  /** Tenants with waiters, in turn order: the first is served next, then goes to the back. */
  private readonly waiting = new Map<string, Waiter[]>();

  constructor(
    readonly slots: number,
    readonly perTenant: number,
  ) {}

  async run<T>(tenant: string, waitMs: number, work: () => Promise<T>): Promise<T> {
    await this.acquire(tenant, waitMs);
    try {
      return await work();
    } finally {
      this.release(tenant);
    }
  }

  /** Whether `tenant` would wait for a slot if it asked for one now. */
  wouldWait(tenant: string): boolean {
    return !(this.held < this.slots && this.mayHold(tenant) && !this.waiting.has(tenant));
  }

  /** Holders and waiters per tenant, as its spec observes them (readiness shows the lanes, not these slots). */
  usage(): { tenant: string; holding: number; waiting: number }[] {
    const tenants = new Set([...this.heldBy.keys(), ...this.waiting.keys()]);
    return [...tenants].map((tenant) => ({
      tenant,
      holding: this.heldBy.get(tenant) ?? 0,
      waiting: this.waiting.get(tenant)?.length ?? 0,
    }));
  }

  private acquire(tenant: string, waitMs: number): Promise<void> {
    if (!this.wouldWait(tenant)) {
      this.take(tenant);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(
          () => {
            const queue = this.waiting.get(tenant) ?? [];
            const index = queue.indexOf(waiter);
            if (index >= 0) queue.splice(index, 1);
            if (queue.length === 0) this.waiting.delete(tenant);
            reject(new SlotTimeout(tenant, performance.now() - started));
          },
          Math.max(0, waitMs),
        ),
      };
      const queue = this.waiting.get(tenant);
      if (queue) queue.push(waiter);
      else this.waiting.set(tenant, [waiter]);
    });
  }

  private release(tenant: string): void {
    this.held -= 1;
    const holding = (this.heldBy.get(tenant) ?? 1) - 1;
    if (holding === 0) this.heldBy.delete(tenant);
    else this.heldBy.set(tenant, holding);
    this.dispatch();
  }

  /** Gives free slots to waiting tenants in turn, skipping those at their cap. */
  private dispatch(): void {
    while (this.held < this.slots) {
      const tenant = [...this.waiting.keys()].find((candidate) => this.mayHold(candidate));
      if (tenant === undefined) return;
      const queue = this.waiting.get(tenant)!;
      const waiter = queue.shift()!;
      // To the back of the turn order (or out of it).
      this.waiting.delete(tenant);
      if (queue.length > 0) this.waiting.set(tenant, queue);
      clearTimeout(waiter.timer);
      this.take(tenant);
      waiter.resolve();
    }
  }

  private mayHold(tenant: string): boolean {
    return (this.heldBy.get(tenant) ?? 0) < this.perTenant;
  }

  private take(tenant: string): void {
    this.held += 1;
    this.heldBy.set(tenant, (this.heldBy.get(tenant) ?? 0) + 1);
  }
}
