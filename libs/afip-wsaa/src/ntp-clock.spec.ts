import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startNtpResponder } from '#libs/testing';
import { NtpClock } from './ntp-clock.js';

const TWENTY_MINUTES = 20 * 60_000;

describe('NtpClock', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  it('corrects a system clock 20 minutes fast by what the NTP server says', async () => {
    const ntp = await startNtpResponder();
    closers.push(ntp.close);
    const clock = new NtpClock({ server: ntp.address, systemNow: () => Date.now() + TWENTY_MINUTES });
    await clock.sync();
    expect(clock.offset).toBeGreaterThan(-TWENTY_MINUTES - 1000);
    expect(clock.offset).toBeLessThan(-TWENTY_MINUTES + 1000);
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1000);
  });

  it('falls back to the system clock with a warning when the server does not answer', async () => {
    const warnings: string[] = [];
    const server = `127.0.0.1:${await freePort()}`;
    const clock = new NtpClock({
      server,
      timeoutMs: 200,
      log: { warn: (message) => warnings.push(message) },
    });
    await clock.sync();
    expect(clock.offset).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(`^NTP server ${server} did not answer .*: using the system clock$`),
    );
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(50);
  });

  it('keeps the last good offset when a later measurement fails', async () => {
    const ntp = await startNtpResponder(() => Date.now() + 5000);
    const clock = new NtpClock({
      server: ntp.address,
      timeoutMs: 200,
      refreshMs: 0,
      log: { warn: () => undefined },
    });
    await clock.sync();
    await ntp.close();
    await clock.sync();
    expect(clock.offset).toBeGreaterThan(4000);
  });
});
