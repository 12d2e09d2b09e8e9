import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { billingWorld, call, facturaB, postInvoice } from '../billing/billing-harness.js';
import { declaredFamilies, families, parsePrometheusText } from '../support/prometheus-text.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ALERTS = join(ROOT, 'deploy', 'prometheus', 'alerts.yml');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules = () =>
  (load(readFileSync(ALERTS, 'utf8')) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap(
    (group) => group.rules,
  );
const dashboardQueries = () => {
  const dashboard = JSON.parse(
    readFileSync(join(ROOT, 'deploy', 'grafana', 'arca-gateway.json'), 'utf8'),
  ) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  return dashboard.panels.flatMap((panel) =>
    panel.targets.map((target) => ({ where: panel.title, expr: target.expr })),
  );
};

/** The gateway's series a PromQL expression names (arca_*), histogram suffixes folded into their family. */
function seriesOf(expr: string): string[] {
  return [...expr.matchAll(/\barca_[a-z_]+/g)].map((match) => match[0].replace(/_(bucket|sum|count)$/, ''));
}

describe('deploy/: the alert rules and the dashboard', () => {
  const world = billingWorld();

  it('passes promtool check rules (CI installs promtool; without it the rules are read as YAML here)', () => {
    const promtool = spawnSync('promtool', ['check', 'rules', ALERTS], { encoding: 'utf8' });
    if (promtool.error) {
      // .ci/run installs Debian's prometheus package; only a developer's machine may lack it.
      expect(process.env.CI, 'promtool is missing in CI').toBeUndefined();
    } else {
      expect(promtool.status, promtool.stdout + promtool.stderr).toBe(0);
      expect(promtool.stdout).toContain(`SUCCESS: ${rules().length} rules found`);
    }
    for (const rule of rules()) {
      expect(rule.alert, JSON.stringify(rule)).toMatch(/^Arca[A-Za-z]+$/);
      expect(rule.labels?.severity, rule.alert).toMatch(/^(critical|warning)$/);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(rule.annotations?.runbook?.length ?? 0, rule.alert).toBeGreaterThan(80);
    }
  });

  it('names only series a live /metrics exports, in every alert and every dashboard query', async () => {
    const { url } = await world.gateway();
    expect((await postInvoice(url, facturaB({}, 41))).status).toBe(201);
    const text = (await call(url, 'GET', '/metrics', { key: null })).text;
    // Declared families count (a labelled counter has no sample before its first event), and so do sampled ones.
    const exported = new Set([...declaredFamilies(text), ...families(parsePrometheusText(text))]);
    const missing: string[] = [];
    for (const { where, expr } of [
      ...rules().map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr })),
      ...dashboardQueries(),
    ]) {
      const named = seriesOf(expr);
      expect(named.length, `${where}: ${expr}`).toBeGreaterThan(0);
      for (const series of named) if (!exported.has(series)) missing.push(`${where}: ${series}`);
    }
    expect(missing).toEqual([]);
  });

  it('notices a query that names a series the gateway does not export (the check can fail)', () => {
    expect(
      seriesOf('rate(arca_caea_missing_total[5m]) + arca_upstream_request_duration_seconds_bucket'),
    ).toEqual(['arca_caea_missing_total', 'arca_upstream_request_duration_seconds']);
  });
});
