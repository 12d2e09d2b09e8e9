import { createSocket } from 'node:dgram';

export interface NtpClockOptions {
  /** `host` or `host:port` (default port 123). */
  server: string;
  timeoutMs?: number;
  /** How long a measured offset is trusted before it is measured again. Default 10 min. */
  refreshMs?: number;
  log?: { warn(message: string): void; info?(message: string): void };
  /** The clock being corrected; the system clock unless a test says otherwise. */
  systemNow?: () => number;
}

// Seconds between the NTP era (1900) and the Unix epoch (1970).
const NTP_EPOCH_OFFSET = 2_208_988_800;

/**
 * The time WSAA judges a TRA by: the system clock corrected by an SNTP measurement against `server`
 * (ARCA's manual names time.afip.gov.ar). A failed measurement never fails a caller: the clock keeps its last
 * offset (the system clock at first) and logs a warning.
 */
export class NtpClock {
  private offsetMs = 0;
  private measuredAt = Number.NEGATIVE_INFINITY;
  private inFlight?: Promise<void>;
  private readonly systemNow: () => number;

  constructor(private readonly options: NtpClockOptions) {
    this.systemNow = options.systemNow ?? Date.now;
  }

  /** The corrected time now. Starts a new measurement in the background when the last one is stale. */
  now(): Date {
    if (this.systemNow() - this.measuredAt > (this.options.refreshMs ?? 600_000)) void this.sync();
    return new Date(this.systemNow() + this.offsetMs);
  }

  /** Measures the offset now (deduplicated while one is running). */
  sync(): Promise<void> {
    this.inFlight ??= this.measure().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  get offset(): number {
    return this.offsetMs;
  }

  private async measure(): Promise<void> {
    try {
      this.offsetMs = await sntpOffset(this.options.server, this.options.timeoutMs ?? 1500, this.systemNow);
      this.options.log?.info?.(`clock offset against ${this.options.server}: ${this.offsetMs} ms`);
    } catch (error) {
      this.options.log?.warn(
        `NTP server ${this.options.server} did not answer (${error instanceof Error ? error.message : String(error)}): ` +
          `using the system clock${this.offsetMs ? ` with the last offset, ${this.offsetMs} ms` : ''}`,
      );
    } finally {
      this.measuredAt = this.systemNow();
    }
  }
}

/** One SNTP v4 exchange (RFC 4330): offset = ((t2 - t1) + (t3 - t4)) / 2, in milliseconds. */
export function sntpOffset(
  server: string,
  timeoutMs: number,
  systemNow: () => number = Date.now,
): Promise<number> {
  const [host, port] = server.includes(':')
    ? [server.slice(0, server.lastIndexOf(':')), Number(server.slice(server.lastIndexOf(':') + 1))]
    : [server, 123];
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const packet = Buffer.alloc(48);
    packet[0] = (0 << 6) | (4 << 3) | 3; // no leap warning, version 4, client mode
    const t1 = systemNow();
    const timer = setTimeout(() => finish(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    let finished = false;
    // The timeout, a send error (DNS) and the socket's own error can all fire: only the first one counts, and
    // closing the socket twice would throw.
    const finish = (error?: Error, offset?: number) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(offset as number);
    };
    socket.once('error', (error) => finish(error));
    socket.once('message', (message) => {
      const t4 = systemNow();
      if (message.length < 48 || ((message[0] as number) & 0x07) !== 4)
        return finish(new Error('not an SNTP server answer'));
      const t2 = readTimestamp(message, 32);
      const t3 = readTimestamp(message, 40);
      finish(undefined, Math.round((t2 - t1 + (t3 - t4)) / 2));
    });
    socket.send(packet, port, host, (error) => error && finish(error));
  });
}

function readTimestamp(buffer: Buffer, offset: number): number {
  const seconds = buffer.readUInt32BE(offset);
  const fraction = buffer.readUInt32BE(offset + 4);
  return (seconds - NTP_EPOCH_OFFSET) * 1000 + Math.round((fraction / 2 ** 32) * 1000);
}

/** Writes an NTP timestamp (for tests' local responders). */
export function writeNtpTimestamp(buffer: Buffer, offset: number, ms: number): void {
  const seconds = Math.floor(ms / 1000) + NTP_EPOCH_OFFSET;
  buffer.writeUInt32BE(seconds >>> 0, offset);
  buffer.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32) >>> 0, offset + 4);
}
