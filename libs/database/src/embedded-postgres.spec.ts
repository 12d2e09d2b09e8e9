import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, isProcessAlive } from '#libs/testing';
import { EmbeddedPostgres } from './embedded-postgres.js';

async function count(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE IF NOT EXISTS kept (n int)');
    await client.query('INSERT INTO kept VALUES (1)');
    return (await client.query('SELECT count(*)::int AS n FROM kept')).rows[0].n;
  } finally {
    await client.end();
  }
}

describe('EmbeddedPostgres', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'arca-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('initialises once, keeps data across restarts and leaves no server behind when stopped', async () => {
    const port = await freePort();
    const first = await EmbeddedPostgres.start({ dataDir, port, database: 'arca' });
    expect(await count(first.url)).toBe(1);
    const pid = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    await first.stop();
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await EmbeddedPostgres.start({ dataDir, port, database: 'arca' });
    expect(await count(second.url)).toBe(2);
    await second.stop();
  });

  it('adopts a server left running by a process that died, then stops it', async () => {
    const port = await freePort();
    const orphaned = await EmbeddedPostgres.start({ dataDir, port, database: 'arca' });
    const pid = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    // A second owner on the same directory stands for the gateway restarted after a SIGKILL.
    const messages: string[] = [];
    const adopter = await EmbeddedPostgres.start({
      dataDir,
      port,
      database: 'arca',
      log: (m) => messages.push(m),
    });
    expect(messages.some((message) => message.includes(`adopting PostgreSQL pid ${pid}`))).toBe(true);
    expect(await count(adopter.url)).toBe(3);
    await adopter.stop();
    expect(isProcessAlive(pid)).toBe(false);
    await orphaned.stop();
  });

  it('says what failed when the port is taken by something else', async () => {
    const other = mkdtempSync(join(tmpdir(), 'arca-embedded-'));
    const blocker = (await import('node:net')).createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(EmbeddedPostgres.start({ dataDir: other, port, database: 'arca' })).rejects.toThrow(
        /embedded PostgreSQL exited at start-up .*could not (bind|create listen socket)/s,
      );
    } finally {
      blocker.close();
      rmSync(other, { recursive: true, force: true });
    }
  });
});
