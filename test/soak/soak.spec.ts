import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/soak/run.mjs';

// The short soak CI runs: mixed and hostile traffic, ARCA faults and racing retries, against two replicas of the
// built gateway on one database, with the sandbox as its own process: no crash, no 500, no sale lost, duplicated or
// left unresolved, and no process over 1 GB.
const MINUTES = Number(process.env.SOAK_MINUTES ?? 3);

describe('soak', () => {
  it(`runs ${MINUTES} minutes with no crash, no 500, nothing lost or duplicated`, async () => {
    const lines: string[] = [];
    const { summary, failures, targets } = await runSoak({
      minutes: MINUTES,
      replicas: 2,
      sandbox: 'standalone',
      log: (line) => lines.push(line),
    });
    console.log(
      [...lines.filter((_, index) => index % 6 === 0), JSON.stringify(summary, null, 1)].join('\n'),
    );
    // Lag and memory slope are this machine's targets (printed, judged by `npm run soak`), not a timed test.
    if (targets.length > 0) console.log(`targets missed: ${targets.join('; ')}`);
    expect(failures).toEqual([]);
    expect(summary.ledger.authorized).toBeGreaterThan(100);
    expect(summary.ledger.lost).toBe(0);
    expect(summary.ledger.duplicatedNumbers).toBe(0);
    expect(summary.exits).toEqual([]);
    for (const process of summary.memory) expect(process.maxRssMb).toBeLessThan(1024);
  });
});
