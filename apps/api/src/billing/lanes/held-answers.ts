import { inTurns } from './in-turns.js';

/** How long a call's answers wait, at most, for the lane's next call to leave for ARCA. */
export const HOLD_ANSWERS_MS = 80;

/**
 * A lane's answers to its last call, stored and committed, held while the lane's next call gets ready (its lock,
 * numbers and SENT write) and handed back in turns (`inTurns`) once that call leaves for ARCA, when no call
 * follows, or after HOLD_ANSWERS_MS. Handing back 200 answers, and taking in the sales their clients send next,
 * keeps the event loop busy for a few hundred ms: done while the next call gets ready, it delays that call by as
 * much; done while the call is at ARCA, it delays no call.
 */
export class HeldAnswers {
  private pending?: () => void;

  /** Holds `answers` (after handing back any still held). */
  hold(answers: (() => void)[], maxMs = HOLD_ANSWERS_MS): void {
    this.release();
    const deliver = () => {
      if (this.pending !== deliver) return;
      this.pending = undefined;
      clearTimeout(timer);
      inTurns(answers);
    };
    const timer = setTimeout(deliver, maxMs);
    this.pending = deliver;
  }

  /** Hands back the answers held, if any. */
  release(): void {
    this.pending?.();
  }
}
