/**
 * API keys as read from `api_key`, kept so a request does not pay a database round trip to be authenticated (about
 * 0.7 ms of CPU per request on the bench's machine). Kept only while the replica hears of every change to the
 * table (`live`: its LISTEN connection is up): any change empties it, so a revoked key stops on every replica as
 * soon as the notification arrives, and an entry is read again after `maxAgeMs` whatever happens. A lookup that
 * started before a change does not store what it read. Only keys found are kept: an unknown key always costs a
 * lookup (and counts against the refusal limit), so guessing cannot fill the memory. Requests that miss the same
 * key at once share one lookup (400 sales of one terminal fleet arriving together made 37-48 identical lookups,
 * each waiting 20-190 ms for a connection and a busy database); one that comes after a change never joins a
 * lookup started before it.
 */
export class ApiKeyCache<T extends object> {
  private readonly entries = new Map<string, { value: T; at: number }>();
  /** Lookups in flight since the last change, by hash. */
  private loading = new Map<string, Promise<T | undefined>>();
  private changes = 0;
  private live = false;
  private waiting: Array<() => void> = [];

  constructor(
    /** How long an entry is used; 0 turns the cache off (every request reads the table). */
    readonly maxAgeMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Changes heard so far: pass it to `changedSince` to wait for the notification of a change one commits. */
  get generation(): number {
    return this.changes;
  }

  async read(hash: string, load: (hash: string) => Promise<T | undefined>): Promise<T | undefined> {
    if (!this.live || this.maxAgeMs === 0) return load(hash);
    const kept = this.entries.get(hash);
    if (kept && this.now() - kept.at < this.maxAgeMs) return kept.value;
    const shared = this.loading.get(hash);
    if (shared) return shared;
    const before = this.changes;
    const loading = this.loading;
    const loaded = load(hash)
      .then((value) => {
        if (!value) return value;
        // Frozen whether kept or not: the requests that shared the lookup share the object.
        const frozen = deepFreeze(value);
        if (this.live && before === this.changes) {
          if (this.entries.size >= this.maxEntries) this.entries.clear();
          this.entries.set(hash, { value: frozen, at: this.now() });
        }
        return frozen;
      })
      .finally(() => loading.delete(hash));
    loading.set(hash, loaded);
    return loaded;
  }

  /** A change to `api_key` was committed (here or on another replica): forget every entry. */
  changed(): void {
    this.changes += 1;
    this.entries.clear();
    this.loading = new Map();
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  /** The replica hears every change from now on. What it kept before may be stale: forgotten. */
  listening(): void {
    this.changed();
    this.live = true;
  }

  /** The replica may miss changes: every request reads the table until `listening`. */
  lost(): void {
    this.live = false;
    this.changed();
  }

  /**
   * Resolves true once a change was heard after `generation` (at once if one already was), false after
   * `timeoutMs` or at once when the cache is not in use (nothing to wait for).
   */
  changedSince(generation: number, timeoutMs: number): Promise<boolean> {
    if (this.changes > generation) return Promise.resolve(true);
    if (!this.live || this.maxAgeMs === 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((item) => item !== wake);
        resolve(false);
      }, timeoutMs);
      this.waiting.push(wake);
    });
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const field of Object.values(value)) {
    if (field !== null && typeof field === 'object' && !Object.isFrozen(field)) deepFreeze(field as object);
  }
  return Object.freeze(value);
}
