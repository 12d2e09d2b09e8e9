/**
 * The sandbox's notion of "now": the system clock shifted by an offset that tests and integrators can set
 * (`POST /__sandbox/clock`), e.g. to replay 2021 recordings or to reach a ticket's expiry without waiting.
 */
export class SandboxClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  set(now: Date): void {
    this.offsetMs = now.getTime() - Date.now();
  }

  shift(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }

  get offset(): number {
    return this.offsetMs;
  }
}
