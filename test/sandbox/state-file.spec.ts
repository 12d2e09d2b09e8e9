import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callWsfe, login, startTestSandbox } from '#libs/testing';
import { facturaB, solicitar, today } from './wsfe-support.js';

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { op: string; snapshot?: { vouchers: unknown[] } });

describe('sandbox state log (what the embedded sandbox uses)', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'arca-sandbox-state-'));

  /** A sandbox started on `file`: its last number for (20123456789, ptoVta, 6), then stopped. */
  async function lastNumberOnRestart(file: string, ptoVta: number): Promise<number> {
    const sandbox = await startTestSandbox({ stateDir, stateFile: file });
    try {
      const credentials = await login(sandbox, '20123456789');
      const last = await callWsfe(
        sandbox,
        'FECompUltimoAutorizado',
        `<PtoVta>${ptoVta}</PtoVta><CbteTipo>6</CbteTipo>`,
        credentials,
      );
      return Number(/<CbteNro>(\d+)<\/CbteNro>/.exec(last.text)?.[1]);
    } finally {
      await sandbox.stop();
    }
  }

  const stateFile = join(stateDir, 'state.jsonl');
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('appends each change, remembers vouchers, numbering and tickets across a restart, and forgets them on reset', async () => {
    const first = await startTestSandbox({ stateDir, stateFile });
    const credentials = await login(first, '20123456789');
    const { outcome } = await solicitar(first, credentials, { PtoVta: 7, CbteTipo: 6 }, [
      facturaB(1, today(first)),
    ]);
    const cae = outcome.details[0]?.cae;
    expect(cae).toMatch(/^\d{14}$/);
    await solicitar(first, credentials, { PtoVta: 7, CbteTipo: 6 }, [facturaB(2, today(first))]);
    await first.stop();
    // One line per voucher: appended, never the whole store again.
    expect(lines(stateFile).map((line) => line.op)).toEqual(['record', 'record']);

    const second = await startTestSandbox({ stateDir, stateFile });
    try {
      // The first run's ticket is still good: its signing key lives in stateDir too.
      const last = await callWsfe(
        second,
        'FECompUltimoAutorizado',
        '<PtoVta>7</PtoVta><CbteTipo>6</CbteTipo>',
        credentials,
      );
      expect(last.text).toContain('<CbteNro>2</CbteNro>');
      const found = await callWsfe(
        second,
        'FECompConsultar',
        '<FeCompConsReq><CbteTipo>6</CbteTipo><CbteNro>1</CbteNro><PtoVta>7</PtoVta></FeCompConsReq>',
        credentials,
      );
      expect(found.text).toContain(`<CodAutorizacion>${cae}</CodAutorizacion>`);
      await fetch(`${second.url}/__sandbox/reset`, { method: 'POST' });
    } finally {
      await second.stop();
    }
    expect(lines(stateFile).map((line) => line.op)).toEqual(['record', 'record', 'reset']);

    // Read again, the log is compacted to what it holds: nothing.
    expect(await lastNumberOnRestart(stateFile, 7)).toBe(0);
    expect(lines(stateFile)).toEqual([
      expect.objectContaining({ op: 'snapshot', snapshot: expect.objectContaining({ vouchers: [] }) }),
    ]);
  });

  it('reads a state file of the earlier format (one JSON snapshot) and a log cut short by a crash', async () => {
    const legacy = join(stateDir, 'legacy.json');
    writeFileSync(
      legacy,
      JSON.stringify({
        lanes: [['20123456789/9/6', { last: 41, lastFch: '' }]],
        vouchers: [],
        caeas: [],
        withoutMovement: [],
      }),
    );
    expect(await lastNumberOnRestart(legacy, 9)).toBe(41);
    expect(lines(legacy)[0]).toMatchObject({ op: 'snapshot' });

    const cut = join(stateDir, 'cut.jsonl');
    writeFileSync(
      cut,
      `${JSON.stringify({ op: 'seed', key: '20123456789/9/6', last: 5, lastFch: '' })}\n{"op":"seed","ke`,
    );
    expect(await lastNumberOnRestart(cut, 9)).toBe(5);
    // The fragment is gone, so what is appended next stays readable.
    expect(lines(cut)).toEqual([expect.objectContaining({ op: 'snapshot' })]);
  });
});
