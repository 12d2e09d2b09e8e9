import { describe, expect, it } from 'vitest';
import { FairSlots, SlotTimeout } from './fair-slots.js';

/** A holder that keeps its slot until released. */
function holder() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release };
}

describe('FairSlots', () => {
  it('never lets one tenant hold every slot, and serves waiting tenants in turn, not in arrival order', async () => {
    const slots = new FairSlots(2, 1);
    const order: string[] = [];
    const a1 = holder();
    const running = [slots.run('A', 1000, () => (order.push('A1'), a1.done))];
    // A second A waits (A is at its cap) though a slot is free; B takes it.
    running.push(slots.run('A', 1000, async () => void order.push('A2')));
    const b1 = holder();
    running.push(slots.run('B', 1000, () => (order.push('B1'), b1.done)));
    running.push(slots.run('B', 1000, async () => void order.push('B2')));
    running.push(slots.run('C', 1000, async () => void order.push('C1')));
    await Promise.resolve();
    expect(order).toEqual(['A1', 'B1']);
    a1.release();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // A's slot freed: A2 was first in line, then B2 is at its cap... C gets its turn before B's second.
    b1.release();
    await Promise.all(running);
    expect(order.slice(0, 2)).toEqual(['A1', 'B1']);
    expect(order.indexOf('C1')).toBeLessThan(order.indexOf('B2'));
    expect(slots.usage()).toEqual([]);
  });

  it('lets a lone tenant use the idle capacity up to its cap', async () => {
    const slots = new FairSlots(4, 3);
    let peak = 0;
    let now = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        slots.run('A', 1000, async () => {
          now += 1;
          peak = Math.max(peak, now);
          await new Promise((resolve) => setTimeout(resolve, 2));
          now -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('gives up on a waiter at its deadline, with nothing run for it', async () => {
    const slots = new FairSlots(1, 1);
    const first = holder();
    const running = slots.run('A', 1000, () => first.done);
    let ran = false;
    const late = await slots
      .run('B', 20, async () => {
        ran = true;
      })
      .catch((error: unknown) => error);
    expect(late).toBeInstanceOf(SlotTimeout);
    expect(ran).toBe(false);
    first.release();
    await running;
    expect(slots.usage()).toEqual([]);
  });
});
