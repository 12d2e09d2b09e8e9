import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import type { StoreChange, VoucherStore, VoucherStoreSnapshot } from './voucher-store.js';

/**
 * Keeps a VoucherStore in an append-only log, one JSON change per line: read at start, appended (at most every
 * `delayMs`, asynchronously, only the new lines) after changes, and flushed on close. A change costs its own line,
 * not a rewrite of everything the sandbox ever issued. The log is compacted to one snapshot line when it is read
 * and holds more lines than the store has vouchers (a reset, seeds), once per start.
 *
 * A file written by the earlier StateFile (one JSON snapshot) is read as a snapshot and rewritten as a log.
 */
export class StateLog {
  private pending: string[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly delayMs = 100,
  ) {}

  /** Replays the log into `store` (which reports nothing while it loads); compacts a log that has grown. */
  load(store: VoucherStore): void {
    if (!existsSync(this.path)) return;
    const text = readFileSync(this.path, 'utf8');
    let lines = 0;
    // Rewritten as a clean log: the earlier format, or a last line cut short by a crash mid-append (appending after
    // it would glue the next change to the fragment).
    let rewrite = false;
    if (text.startsWith('{"lanes"')) {
      store.apply({ op: 'snapshot', snapshot: JSON.parse(text) as VoucherStoreSnapshot });
      rewrite = true;
    } else {
      for (const line of text.split('\n')) {
        if (line.length === 0) continue;
        try {
          store.apply(JSON.parse(line) as StoreChange);
        } catch {
          // Everything before the damaged line stands.
          rewrite = true;
          break;
        }
        lines += 1;
      }
    }
    if (rewrite || lines > store.size + 1) this.compact(store);
  }

  /** Queues `change` for the next append. */
  changed(change: StoreChange): void {
    this.pending.push(JSON.stringify(change));
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const lines = this.take();
      this.writing = this.writing.then(() => appendFile(this.path, lines)).catch(() => undefined);
    }, this.delayMs);
  }

  /** Waits for the append in flight, then writes what is still queued (on close). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    if (this.pending.length > 0) appendFileSync(this.path, this.take());
  }

  private take(): string {
    const lines = `${this.pending.join('\n')}\n`;
    this.pending = [];
    return lines;
  }

  private compact(store: VoucherStore): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ op: 'snapshot', snapshot: store.snapshot() })}\n`);
    renameSync(temporary, this.path);
  }
}
