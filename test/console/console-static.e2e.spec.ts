import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppConfig } from '../../apps/api/src/config/app.config.js';
import { billingWorld, call, createKey, CUIT } from '../billing/billing-harness.js';

describe('the console is served by the gateway, offline and locked to its own origin', () => {
  const world = billingWorld();

  it('serves /console/ with its files, no key needed, and a policy that lets the page talk only to the gateway', async () => {
    const { url } = await world.gateway();
    const bare = await fetch(`${url}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/console/');

    const page = await fetch(`${url}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<script type="module" src="main.js"></script>');
    // Nothing from elsewhere: every src and href is relative to /console/.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    for (const file of ['main.js', 'api.js', 'views/invoices.js', 'console.css']) {
      const asset = await fetch(`${url}/console/${file}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers.get('content-type'), file).toMatch(/javascript|css/);
    }
    const missing = await fetch(`${url}/console/nothing-here.js`);
    expect(missing.status).toBe(404);
  });

  it("answers GET /v1/me with the calling key's role and scope, and GET /v1/certificates with days left", async () => {
    const { app, url } = await world.gateway();
    const auditor = await createKey(url, { role: 'auditor', cuits: [CUIT], name: 'Estudio' });
    const me = await call(url, 'GET', '/v1/me', { key: auditor.key });
    expect(me.status).toBe(200);
    expect(me.json).toEqual({
      id: auditor.id,
      name: 'Estudio',
      role: 'auditor',
      cuits: [String(CUIT)],
      ptoVtas: [],
    });
    expect(me.text).not.toContain(auditor.key);

    // The sandbox issues the CUIT's certificate on its first use: a ticket makes it.
    expect((await call(url, 'POST', `/v1/tickets/${CUIT}/wsfe`)).status).toBe(200);
    const certificates = await call(url, 'GET', '/v1/certificates');
    expect(certificates.status).toBe(200);
    const [certificate] = certificates.json as { cuit: string; daysLeft: number; notAfter: string }[];
    expect(certificate).toMatchObject({ cuit: String(CUIT), problem: null });
    const expected = Math.floor((new Date(certificate!.notAfter).getTime() - Date.now()) / 86_400_000);
    expect(certificate!.daysLeft).toBe(expected);
    expect(certificate!.daysLeft).toBeGreaterThan(30);

    // A key whose certificate is missing is listed with what is missing, and nothing is issued for it.
    const dir = app.get(AppConfig).afip.certsDir;
    writeFileSync(join(dir, '30712345678.key'), 'a key without its certificate');
    const listed = await call(url, 'GET', '/v1/certificates');
    const lone = (listed.json as { cuit: string; problem: string | null }[]).find(
      (c) => c.cuit === '30712345678',
    );
    expect(lone?.problem).toContain(`${join(dir, '30712345678.crt')} is missing`);
    expect(existsSync(join(dir, '30712345678.crt'))).toBe(false);
  });
});
