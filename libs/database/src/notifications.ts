import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { DatabaseConnection } from './database-connection.js';

/** What a subscriber hears about one channel. */
export interface ChannelListener {
  /** A NOTIFY on the channel (committed by any replica, or by hand). */
  notified(payload: string): void;
  /** LISTEN is in place: every notification from now on arrives, until `lost`. */
  listening(): void;
  /** The connection is gone: notifications may be missed until `listening` is called again. */
  lost(): void;
}

const RETRY_MS = [250, 1_000, 5_000];

/**
 * One connection per replica that LISTENs on PostgreSQL channels, opened on the first subscription. When it is
 * lost, subscribers hear `lost` at once and `listening` once a new connection has LISTENed again (tried after
 * 0.25, 1, then every 5 s), so a subscriber can tell when a notification may have been missed.
 */
@Injectable()
export class DatabaseNotifications implements OnModuleDestroy {
  private readonly logger = new Logger('Database');
  private readonly listeners = new Map<string, ChannelListener[]>();
  private client: pg.Client | undefined;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly connection: DatabaseConnection) {}

  subscribe(channel: string, listener: ChannelListener): void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    const known = this.listeners.get(channel);
    if (known) known.push(listener);
    else this.listeners.set(channel, [listener]);
    const client = this.client;
    // A LISTEN that fails ends the connection, and the reconnection listens on every channel.
    if (client) this.listen(client, [channel]).catch(() => client.end().catch(() => undefined));
    else if (!this.retry) void this.open();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async open(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connection.url, keepAlive: true });
    let gone = false;
    const drop = (reason: string) => {
      if (gone) return;
      gone = true;
      if (this.client === client) this.client = undefined;
      void client.end().catch(() => undefined);
      for (const listeners of this.listeners.values()) for (const listener of listeners) listener.lost();
      if (this.closed) return;
      const delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)]!;
      this.failures += 1;
      this.logger.warn(`notifications: ${reason}; connecting again in ${delay} ms`);
      this.retry = setTimeout(() => {
        this.retry = undefined;
        void this.open();
      }, delay);
    };
    client.on('error', (error) => drop(error.message));
    client.on('end', () => drop('connection ended'));
    client.on('notification', (message) => {
      for (const listener of this.listeners.get(message.channel) ?? [])
        listener.notified(message.payload ?? '');
    });
    try {
      await client.connect();
      if (this.closed) {
        gone = true;
        await client.end();
        return;
      }
      this.client = client;
      await this.listen(client, [...this.listeners.keys()]);
      this.failures = 0;
    } catch (error) {
      drop((error as Error).message);
    }
  }

  private async listen(client: pg.Client, channels: string[]): Promise<void> {
    for (const channel of channels) {
      await client.query(`LISTEN ${channel}`);
      for (const listener of this.listeners.get(channel) ?? []) listener.listening();
    }
  }
}
