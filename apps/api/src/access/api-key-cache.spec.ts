import { describe, expect, it } from 'vitest';
import { ApiKeyCache } from './api-key-cache.js';

interface Key {
  id: string;
  cuits: string[];
}

/** A table of keys that counts its reads; `hold` makes the next read wait until `release`. */
function table() {
  const rows = new Map<string, Key>([['h1', { id: 'k1', cuits: ['20123456789'] }]]);
  let reads = 0;
  let held: (() => void) | undefined;
  let holdNext = false;
  return {
    rows,
    get reads() {
      return reads;
    },
    hold() {
      holdNext = true;
    },
    release() {
      held?.();
    },
    load: async (hash: string): Promise<Key | undefined> => {
      reads += 1;
      const row = rows.get(hash);
      const copy = row && { ...row, cuits: [...row.cuits] };
      if (holdNext) {
        holdNext = false;
        await new Promise<void>((resolve) => (held = resolve));
      }
      return copy;
    },
  };
}

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ApiKeyCache', () => {
  it('reads the table on every request until it hears every change', async () => {
    const keys = table();
    const cache = new ApiKeyCache<Key>(5_000);
    await cache.read('h1', keys.load);
    await cache.read('h1', keys.load);
    expect(keys.reads).toBe(2);
    cache.listening();
    await cache.read('h1', keys.load);
    await cache.read('h1', keys.load);
    expect(keys.reads).toBe(3);
  });

  it('forgets everything on a change, and reads again after maxAgeMs', async () => {
    const keys = table();
    const time = clock();
    const cache = new ApiKeyCache<Key>(5_000, 100, time.now);
    cache.listening();
    expect((await cache.read('h1', keys.load))?.id).toBe('k1');
    keys.rows.set('h1', { id: 'k1-revoked', cuits: [] });
    expect((await cache.read('h1', keys.load))?.id).toBe('k1');
    cache.changed();
    expect((await cache.read('h1', keys.load))?.id).toBe('k1-revoked');
    keys.rows.set('h1', { id: 'k1-again', cuits: [] });
    time.advance(4_999);
    expect((await cache.read('h1', keys.load))?.id).toBe('k1-revoked');
    time.advance(1);
    expect((await cache.read('h1', keys.load))?.id).toBe('k1-again');
  });

  it('stops keeping keys once the connection is lost, and forgets what it kept', async () => {
    const keys = table();
    const cache = new ApiKeyCache<Key>(5_000);
    cache.listening();
    await cache.read('h1', keys.load);
    cache.lost();
    await cache.read('h1', keys.load);
    await cache.read('h1', keys.load);
    expect(keys.reads).toBe(3);
  });

  it('neither keeps nor shares with later requests what a read started before a change returns', async () => {
    const keys = table();
    const cache = new ApiKeyCache<Key>(5_000);
    cache.listening();
    keys.hold();
    const stale = cache.read('h1', keys.load);
    await Promise.resolve();
    keys.rows.set('h1', { id: 'k1-revoked', cuits: [] });
    cache.changed();
    // Comes after the change while the stale lookup is still out: reads the table itself.
    const fresh = cache.read('h1', keys.load);
    keys.release();
    expect((await stale)?.id).toBe('k1');
    expect((await fresh)?.id).toBe('k1-revoked');
    // What is kept is the fresh read, not the stale one that finished after it.
    expect((await cache.read('h1', keys.load))?.id).toBe('k1-revoked');
    expect(keys.reads).toBe(2);
  });

  it('makes requests that miss one key at once share its lookup, and fail together', async () => {
    const keys = table();
    const cache = new ApiKeyCache<Key>(5_000);
    cache.listening();
    keys.hold();
    const reads = [cache.read('h1', keys.load), cache.read('h1', keys.load), cache.read('h2', keys.load)];
    keys.release();
    const [first, second, other] = await Promise.all(reads);
    expect(first?.id).toBe('k1');
    expect(second).toBe(first);
    expect(other).toBeUndefined();
    expect(keys.reads).toBe(2);
    // A failed lookup fails every request that shared it, and the next one reads again.
    const failing = async (): Promise<Key | undefined> => {
      await Promise.resolve();
      throw new Error('database down');
    };
    const failed = [cache.read('h3', failing), cache.read('h3', failing)];
    await expect(Promise.all(failed)).rejects.toThrow('database down');
    await expect(failed[1]).rejects.toThrow('database down');
    expect(await cache.read('h3', keys.load)).toBeUndefined();
    expect(keys.reads).toBe(3);
  });

  it('never keeps an unknown key, and hands out frozen copies', async () => {
    const keys = table();
    const cache = new ApiKeyCache<Key>(5_000);
    cache.listening();
    expect(await cache.read('nope', keys.load)).toBeUndefined();
    expect(await cache.read('nope', keys.load)).toBeUndefined();
    expect(keys.reads).toBe(2);
    const key = (await cache.read('h1', keys.load))!;
    expect(() => key.cuits.push('1')).toThrow(TypeError);
  });

  it('is off at 0: every request reads the table', async () => {
    const keys = table();
    const cache = new ApiKeyCache<Key>(0);
    cache.listening();
    await cache.read('h1', keys.load);
    await cache.read('h1', keys.load);
    expect(keys.reads).toBe(2);
    expect(await cache.changedSince(cache.generation, 1_000)).toBe(false);
  });

  it('tells a revocation when its change was heard back, or that it was not', async () => {
    const cache = new ApiKeyCache<Key>(5_000);
    cache.listening();
    const before = cache.generation;
    const heard = cache.changedSince(before, 1_000);
    cache.changed();
    expect(await heard).toBe(true);
    expect(await cache.changedSince(before, 1_000)).toBe(true);
    expect(await cache.changedSince(cache.generation, 10)).toBe(false);
  });
});
