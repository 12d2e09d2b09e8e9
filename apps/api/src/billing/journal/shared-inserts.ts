/** The rows one statement inserts at most: 50 journal rows are 500 parameters. */
export const MAX_SHARED_ROWS = 50;

/**
 * Rows that arrive in the same turn of the event loop, inserted by one statement: under load a turn serves dozens of
 * requests, and one INSERT of ten rows costs PostgreSQL and the gateway a quarter of what ten INSERTs cost (0.18
 * against 0.67 ms of PostgreSQL's CPU per row, 0.05 against 0.47 ms of the client's, measured on this machine). A
 * lone row waits one `setImmediate`. `insert` gets up to MAX_SHARED_ROWS rows and answers which it inserted.
 *
 * A statement that fails for a row's data or constraints (SQLSTATE class 22 or 23: a value PostgreSQL refuses, an
 * API key deleted meanwhile) is tried again row by row, so each row fails alone; any other failure (no connection,
 * the server gone) is every row's, as each row's own INSERT would have met it.
 */
export class SharedInserts<Row> {
  private waiting: { row: Row; resolve: (inserted: boolean) => void; reject: (error: unknown) => void }[] =
    [];

  constructor(private readonly insert: (rows: Row[]) => Promise<Set<Row>>) {}

  /** Resolves true when the row was inserted, false when the statement left it out (ON CONFLICT DO NOTHING). */
  add(row: Row): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.flush());
      this.waiting.push({ row, resolve, reject });
    });
  }

  private flush(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (let from = 0; from < waiting.length; from += MAX_SHARED_ROWS) {
      void this.run(waiting.slice(from, from + MAX_SHARED_ROWS));
    }
  }

  private async run(group: typeof this.waiting): Promise<void> {
    try {
      const inserted = await this.insert(group.map((entry) => entry.row));
      for (const entry of group) entry.resolve(inserted.has(entry.row));
    } catch (error) {
      if (group.length === 1 || !rowsFault(error)) {
        for (const entry of group) entry.reject(error);
        return;
      }
      await Promise.all(group.map((entry) => this.run([entry])));
    }
  }
}

/** A failure one of the rows could have caused alone: a data exception or an integrity constraint. */
function rowsFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
