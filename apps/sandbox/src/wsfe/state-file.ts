import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { VoucherStore, VoucherStoreSnapshot } from './voucher-store.js';

/**
 * Keeps a VoucherStore in a JSON file: read at start, written (atomically, at most every `delayMs`) after
 * changes, and flushed on close. The embedded sandbox uses it so that a gateway restart in sandbox mode keeps
 * ARCA's numbering, as the real ARCA would.
 */
export class StateFile {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly path: string,
    private readonly delayMs = 100,
  ) {}

  load(store: VoucherStore): void {
    if (!existsSync(this.path)) return;
    store.restore(JSON.parse(readFileSync(this.path, 'utf8')) as VoucherStoreSnapshot);
  }

  /** Schedules a write of `store`'s current contents. */
  changed(store: VoucherStore): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.write(store);
    }, this.delayMs);
  }

  flush(store: VoucherStore): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.write(store);
  }

  private write(store: VoucherStore): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(store.snapshot()));
    renameSync(temporary, this.path);
  }
}
