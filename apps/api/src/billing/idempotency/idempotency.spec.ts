import { describe, expect, it } from 'vitest';
import { decide } from './idempotency.js';

const row = (state: string, httpStatus: number | null = null, code?: string) =>
  ({ state, requestHash: 'h', httpStatus, responseBody: code ? { code } : null }) as Parameters<
    typeof decide
  >[0];

describe('what a request with a used Idempotency-Key does', () => {
  it('refuses another body whatever the first became', () => {
    for (const state of ['PENDING', 'SENT', 'AUTHORIZED', 'REJECTED', 'UNKNOWN', 'FAILED'])
      expect(decide(row(state, 201), 'other')).toBe('mismatch');
  });

  it('replays final answers and refusals for good, runs again what never reached ARCA', () => {
    expect(decide(row('AUTHORIZED', 201), 'h')).toBe('replay');
    expect(decide(row('REJECTED', 422), 'h')).toBe('replay');
    expect(decide(row('REJECTED', 409), 'h')).toBe('replay');
    expect(decide(row('FAILED', 409), 'h')).toBe('replay');
    expect(decide(row('FAILED', 400), 'h')).toBe('replay');
    expect(decide(row('FAILED', 503), 'h')).toBe('take-over');
    expect(decide(row('FAILED', 502), 'h')).toBe('take-over');
    expect(decide(row('PENDING'), 'h')).toBe('take-over');
  });

  it('runs again a sale refused because its lane was stopped, once an admin may have resumed it', () => {
    expect(decide(row('FAILED', 409, 'LANE_DIVERGED'), 'h')).toBe('take-over');
    expect(decide(row('FAILED', 409, 'CONFLICT'), 'h')).toBe('replay');
  });

  it("runs again a sale refused for its lane's date: the date may have come, or the retry allows the advance", () => {
    expect(decide(row('FAILED', 409, 'LANE_DATE_BLOCKED'), 'h')).toBe('take-over');
    expect(decide(row('FAILED', 409, 'DATE_ADVANCE_NOT_ALLOWED'), 'h')).toBe('take-over');
  });

  it('has the lane settle what was sent and not answered', () => {
    expect(decide(row('SENT'), 'h')).toBe('settle');
    expect(decide(row('UNKNOWN', 504), 'h')).toBe('settle');
  });
});
