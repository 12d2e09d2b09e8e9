import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_KEY,
  billingWorld,
  call,
  createKey,
  CUIT,
  facturaB,
  postInvoice,
} from '../billing/billing-harness.js';
import { ContingencyJobs } from '../../apps/api/src/contingency/contingency.jobs.js';
import { launchChromium, recordRequests, screenshotDir, type SeenRequest } from './browser.js';

/**
 * The console in a real Chromium against a real gateway, database and sandbox: what auditors, admins and pos
 * keys see and may do, and that the key leaves the page only in the Authorization header.
 */
const CONTINGENCY_PTO_VTA = 900;
const LANE_PTO_VTA = 9;

describe('console (/console) in Chromium', { timeout: 90_000 }, () => {
  // Tests run on the real date, which may be a fortnight's first day: ARCA takes CAEA reports from the next.
  const world = billingWorld({ caeaReportsOnFirstDay: true });
  let browser: Browser;
  let url: string;
  let auditor: { id: string; key: string };
  const shots = screenshotDir();
  const seen: SeenRequest[] = [];
  const keys: string[] = [ADMIN_KEY];
  const cae = new Map<number, string>();

  beforeAll(async () => {
    const gateway = await world.gateway(
      { breakerThreshold: 1, retryAttempts: 1, breakerHalfOpenMs: 200 },
      { CAEA_REPORT_INTERVAL_MS: '3600000', CAEA_CHECK_INTERVAL_MS: '3600000' },
    );
    url = gateway.url;
    for (const ptoVta of [1, 1, 2, 2, LANE_PTO_VTA]) {
      const issued = await postInvoice(url, facturaB({}, ptoVta));
      expect(issued.status).toBe(201);
      const [voucher] = issued.json.invoices;
      cae.set(voucher.cbteDesde * 10 + ptoVta, voucher.cae);
    }
    // A contingency point of sale, its CAEA, and one sale made under it while ARCA was down.
    world.sandbox.store.registerPoint({ cuit: CUIT, ptoVta: CONTINGENCY_PTO_VTA, emisionTipo: 'CAEA' });
    await gateway.app.get(ContingencyJobs).keep();
    world.sandbox.faults.add({ id: 'down', service: 'wsfe', kind: 'http503', probability: 1 });
    const contingent = await postInvoice(url, facturaB());
    world.sandbox.faults.clear();
    expect(contingent.json.invoices?.[0], contingent.text).toMatchObject({ emisionTipo: 'CAEA' });
    auditor = await createKey(url, { role: 'auditor', cuits: [CUIT], name: 'Estudio contable' });
    keys.push(auditor.key);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function signIn(key: string, viewport = { width: 1280, height: 860 }): Promise<Page> {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    const page = await context.newPage();
    recordRequests(page, seen);
    await page.goto(`${url}/console`);
    await page.fill('#api-key', key);
    await page.press('#api-key', 'Enter');
    await page.waitForSelector('#sign-out');
    return page;
  }

  it('an auditor signs in, filters by point of sale, opens a voucher and sees its CAE and audit entries', async () => {
    const page = await signIn(auditor.key);
    await expect(page.locator('nav a').allTextContents()).resolves.toEqual([
      'Inicio',
      'Comprobantes',
      'Buscar comprobante',
      'Cadena de auditoría',
      'Carriles',
      'Contingencia',
    ]);
    await page.click('nav >> text=Comprobantes');
    await page.fill('#filters input[name=ptoVta]', '2');
    await page.click('#filters button[type=submit]');
    await page.waitForURL(/#\/invoices\?ptoVta=2$/);
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const numbers = await page.locator('a.voucher').allTextContents();
    expect(numbers).toEqual(['Factura B 00002-00000001', 'Factura B 00002-00000002']);
    await page.screenshot({ path: join(shots, 'comprobantes.png'), fullPage: true });

    await page.click('a.voucher >> nth=1');
    await page.waitForSelector('#authorization');
    await expect(page.locator('#authorization').textContent()).resolves.toBe(`CAE ${cae.get(22)}`);
    await expect(page.locator('#journal-state').textContent()).resolves.toBe('AUTHORIZED');
    const kinds = await page.locator('code.entry-kind').allTextContents();
    expect(kinds).toContain('invoice.requested');
    expect(kinds).toContain('invoice.answered');
    await page.screenshot({ path: join(shots, 'comprobante.png'), fullPage: true });

    // The same list on a phone: nothing overflows the page sideways but the table's own scroller.
    const phone = await signIn(auditor.key, { width: 390, height: 844 });
    await phone.goto(`${url}/console/#/invoices?ptoVta=1`);
    await expect.poll(() => phone.locator('tbody tr').count()).toBe(2);
    const widths = await phone.evaluate<number[]>(
      '[document.documentElement.scrollWidth, window.innerWidth]',
    );
    expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
    await phone.screenshot({ path: join(shots, 'comprobantes-telefono.png') });
    await page.context().close();
    await phone.context().close();
  });

  it('the auditor verifies the chain, keeps the checkpoint and downloads the CSV of the filter', async () => {
    const page = await signIn(auditor.key);
    await page.goto(`${url}/console/#/chain`);
    await page.click('#verify');
    await page.waitForSelector('#checkpoint-hash');
    await expect(page.locator('.verdict-text').textContent()).resolves.toBe('La cadena es íntegra.');
    const hash = await page.locator('#checkpoint-hash').textContent();
    const api = await call(url, 'GET', '/v1/audit/verify', { key: auditor.key });
    expect(hash).toBe(api.json.lastHash);
    await page.screenshot({ path: join(shots, 'cadena.png'), fullPage: true });
    // The verdict's link resumes from its checkpoint: only later entries are checked, linked to that hash.
    await page.click('#resume');
    await page.waitForURL(/fromSeq=\d+&checkpointHash=[0-9a-f]{64}$/);
    await expect(page.locator('input[name=checkpointHash]').inputValue()).resolves.toBe(hash);
    await page.click('#verify');
    await page.waitForSelector('.verdict-text');
    await expect(page.locator('.verdict-text').textContent()).resolves.toBe('La cadena es íntegra.');

    await page.goto(`${url}/console/#/invoices?ptoVta=2`);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toMatch(/^id,environment,cuit,ptoVta,cbteTipo,cbteNro/);
    expect(csv.slice(1).map((line) => line.split(',').slice(2, 6).join(','))).toEqual([
      `${CUIT},2,6,1`,
      `${CUIT},2,6,2`,
    ]);
    await page.context().close();
  });

  it('an admin creates a pos key (shown once) and revokes it, and verifies the whole chain', async () => {
    const page = await signIn(ADMIN_KEY);
    await page.click('nav >> text=Claves de API');
    await page.fill('#create-key input[name=name]', 'Caja 7');
    await page.selectOption('#create-key select[name=role]', 'pos');
    await page.fill('#create-key input[name=cuits]', String(CUIT));
    await page.fill('#create-key input[name=ptoVtas]', '7');
    await page.click('#create-key button[type=submit]');
    const created = (await page.locator('#new-key').textContent({ timeout: 10_000 }))!;
    expect(created).toMatch(/^arca_/);
    keys.push(created);
    const me = await call(url, 'GET', '/v1/me', { key: created });
    expect(me.json).toMatchObject({ name: 'Caja 7', role: 'pos', cuits: [String(CUIT)], ptoVtas: [7] });
    await page.screenshot({ path: join(shots, 'claves.png'), fullPage: true });

    const revoke = page.locator(`button[data-key="${created.slice(0, 11)}"]`);
    await revoke.click();
    await expect(revoke.textContent()).resolves.toContain('Confirmar');
    await revoke.click();
    await expect.poll(() => page.locator(`button[data-key="${created.slice(0, 11)}"]`).count()).toBe(0);
    await expect.poll(async () => (await call(url, 'GET', '/v1/me', { key: created })).status).toBe(401);
    await expect(page.locator('tbody').textContent()).resolves.toMatch(/revocada/);

    // A CAEA voucher is listed with its CAEA.
    await page.goto(`${url}/console/#/invoices?ptoVta=${CONTINGENCY_PTO_VTA}`);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await expect(page.locator('tbody code').first().textContent()).resolves.toMatch(/^CAEA \d{14}$/);

    // The whole chain, as an admin's background run.
    await page.goto(`${url}/console/#/chain`);
    await page.click('#verify-whole');
    await page.waitForSelector('#checkpoint-hash', { timeout: 20_000 });
    await expect(page.locator('.verdict-text').textContent()).resolves.toBe('La cadena es íntegra.');

    for (const [view, file] of [
      ['lanes', 'carriles.png'],
      ['contingency', 'contingencia.png'],
      ['credentials', 'tickets-certificados.png'],
    ]) {
      await page.goto(`${url}/console/#/${view}`);
      await page.waitForSelector('main h1');
      await page.waitForSelector('main table, main .empty', { timeout: 10_000 });
      await expect(page.locator('main .error').count()).resolves.toBe(0);
      await page.screenshot({ path: join(shots, file!), fullPage: true });
    }
    await expect(page.locator('main').textContent()).resolves.toContain(String(CUIT));
    await page.context().close();
  });

  it('a pos key sees no view its role may not use, and is refused with the message and requestId when it tries', async () => {
    const pos = await createKey(url, { role: 'pos', cuits: [CUIT], ptoVtas: [1], name: 'Caja 1' });
    keys.push(pos.key);
    const page = await signIn(pos.key);
    await expect(page.locator('nav a').allTextContents()).resolves.toEqual(['Inicio', 'Buscar comprobante']);
    // Its own voucher by number, as ARCA and the gateway have it, and its PDF.
    await page.click('nav >> text=Buscar comprobante');
    await page.fill('#lookup input[name=cbteNro]', '1');
    await page.click('#lookup button[type=submit]');
    await page.waitForSelector('#voucher-code');
    await expect(page.locator('#voucher-code').textContent()).resolves.toBe(`CAE ${cae.get(11)}`);
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#voucher button >> text=PDF'),
    ]);
    expect(
      readFileSync((await pdf.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    await page.screenshot({ path: join(shots, 'buscar-comprobante.png'), fullPage: true });
    // Another point of sale is the API's 403, shown as it came.
    await page.goto(`${url}/console/#/voucher?cuit=${CUIT}&ptoVta=2&cbteTipo=6&cbteNro=1`);
    await page.waitForSelector('#voucher .error');
    await expect(page.locator('#voucher .error').textContent()).resolves.toContain('point of sale 1, not 2');
    for (const view of ['keys', 'invoices', 'lanes']) {
      await page.goto(`${url}/console/#/${view}`);
      const error = page.locator('main .error').first();
      await error.waitFor();
      await expect(error.textContent()).resolves.toContain('Error 403');
      await expect(page.locator('main .request-id').first().textContent()).resolves.toMatch(
        /^[0-9a-f-]{36}$/,
      );
    }
    await page.screenshot({ path: join(shots, 'rechazo-pos.png'), fullPage: true });

    // English on request; the choice is kept, the key is not.
    await page.selectOption('#language', 'en');
    await expect(page.locator('nav a').allTextContents()).resolves.toEqual(['Home', 'Find a voucher']);
    await page.click('#sign-out');
    await page.waitForSelector('#api-key');
    const stored = await page.evaluate<string>(
      'JSON.stringify([{ ...sessionStorage }, { ...localStorage }])',
    );
    expect(stored).not.toContain(pos.key);
    await page.context().close();
  });

  it('says so when a key is unknown or the gateway cannot be reached, and lets the person retry', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    recordRequests(page, seen);
    // A key the gateway does not know: the sign-in form again, saying so.
    await page.goto(`${url}/console/`);
    await page.fill('#api-key', `arca_${'x'.repeat(43)}`);
    await page.press('#api-key', 'Enter');
    await expect(page.locator('.notice').textContent()).resolves.toContain('no es válida o fue revocada');
    await page.route('**/v1/me', (route) => route.abort('connectionrefused'));
    await page.goto(`${url}/console/`);
    await page.fill('#api-key', auditor.key);
    await page.press('#api-key', 'Enter');
    await page.waitForSelector('.error');
    await expect(page.locator('nav').count()).resolves.toBe(0);
    await page.unroute('**/v1/me');
    await page.click('text=Reintentar');
    await page.waitForSelector('nav');
    await expect(page.locator('#signed-in').textContent()).resolves.toContain('Estudio contable');
    await context.close();
  });

  it('an admin resyncs a diverged lane, typing it out (ARCA forgot its vouchers: an environment reset)', async () => {
    const page = await signIn(ADMIN_KEY);
    expect((await fetch(`${world.sandbox.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
    const refused = await postInvoice(url, facturaB({}, LANE_PTO_VTA));
    expect(refused.json.code, refused.text).toBe('LANE_DIVERGED');
    await page.goto(`${url}/console/#/lanes`);
    const lane = page.locator('tbody tr', { hasText: 'divergente' });
    await expect(lane.textContent()).resolves.toContain('ARCA 0 · gateway 1');
    await page.screenshot({ path: join(shots, 'carriles-divergente.png'), fullPage: true });
    await lane.locator('button', { hasText: 'Resincronizar' }).click();
    const confirm = lane.locator('button[type=submit]');
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await lane.locator('input').fill(`${CUIT}/${LANE_PTO_VTA}/5`);
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await lane.locator('input').fill(`${CUIT}/${LANE_PTO_VTA}/6`);
    await confirm.click();
    await page.waitForSelector('#lane-notice >> text=resincronizado');
    await expect(page.locator('tbody tr', { hasText: 'divergente' }).count()).resolves.toBe(0);
    const after = await postInvoice(url, facturaB({}, LANE_PTO_VTA));
    expect(after.status, after.text).toBe(201);

    await page.context().close();
  });

  it('sent every key only in the Authorization header: never in a URL, another header, a body or a cookie', () => {
    expect(seen.length).toBeGreaterThan(20);
    const withKey = seen.filter((request) =>
      keys.some((key) => request.headers.authorization === `Bearer ${key}`),
    );
    expect(withKey.length).toBeGreaterThan(10);
    for (const request of seen) {
      for (const key of keys) {
        expect(request.url).not.toContain(key);
        expect(request.body ?? '').not.toContain(key);
        for (const [name, value] of Object.entries(request.headers)) {
          if (name !== 'authorization') expect(`${name}: ${value}`).not.toContain(key);
        }
      }
      expect(request.headers.cookie).toBeUndefined();
    }
  });
});
