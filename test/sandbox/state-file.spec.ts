import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callWsfe, login, startTestSandbox } from '#libs/testing';
import { facturaB, solicitar, today } from './wsfe-support.js';

describe('sandbox state file (what the embedded sandbox uses)', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'arca-sandbox-state-'));
  const stateFile = join(stateDir, 'state.json');
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('remembers vouchers, numbering and tickets across a restart, and forgets them on reset', async () => {
    const first = await startTestSandbox({ stateDir, stateFile });
    const credentials = await login(first, '20123456789');
    const { outcome } = await solicitar(first, credentials, { PtoVta: 7, CbteTipo: 6 }, [
      facturaB(1, today(first)),
    ]);
    const cae = outcome.details[0]?.cae;
    expect(cae).toMatch(/^\d{14}$/);
    await first.stop();
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).vouchers).toHaveLength(1);

    const second = await startTestSandbox({ stateDir, stateFile });
    try {
      // The first run's ticket is still good: its signing key lives in stateDir too.
      const last = await callWsfe(
        second,
        'FECompUltimoAutorizado',
        '<PtoVta>7</PtoVta><CbteTipo>6</CbteTipo>',
        credentials,
      );
      expect(last.text).toContain('<CbteNro>1</CbteNro>');
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
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).vouchers).toEqual([]);
  });
});
