import { api } from '../api.js';
import type { ViewContext } from '../context.js';
import { h, json, show, table } from '../dom.js';
import { arcaDate, daysUntil } from '../format.js';
import { language, t } from '../i18n.js';

interface Overview {
  environment: string;
  enabled: boolean;
  today: string;
  cuits: {
    cuit: number;
    pointsOfSale: { contingency: number[]; pairs: { ptoVta: number; contingencyPtoVta: number | null }[] };
    caeas: {
      periodo: number;
      orden: number;
      caea: string;
      fchVigDesde: string;
      fchVigHasta: string;
      fchTopeInf: string;
      current: boolean;
      vouchers: Record<string, number>;
    }[];
    vouchers: { ptoVta: number; cbteTipo: number; caea: string; state: string; count: number }[];
    alarms: {
      ptoVta: number;
      cbteTipo: number;
      cbteNro: number;
      cae: string;
      reportState: string;
      reportAnswer: unknown;
    }[];
  }[];
}

/** CAEAs per fortnight with their report deadlines, vouchers by report state, and the ones ARCA objected to. */
export async function contingencyView({ main }: ViewContext): Promise<void> {
  const overview = await api<Overview>('GET', '/v1/contingency');
  const lang = language();
  const now = new Date();
  show(
    main,
    h('h1', {}, t('nav.contingency')),
    h(
      'p',
      { class: overview.enabled ? 'ok' : 'help' },
      t(overview.enabled ? 'contingency.enabled' : 'contingency.disabled'),
      ` · ${overview.environment} · ${t('contingency.today')} ${arcaDate(overview.today, lang)}`,
    ),
    overview.cuits.length === 0 ? h('p', { class: 'empty' }, t('contingency.none')) : null,
    overview.cuits.map((entry) =>
      h(
        'section',
        { class: 'cuit' },
        h('h2', {}, `${t('field.cuit')} ${entry.cuit}`),
        h(
          'p',
          {},
          `${t('contingency.points')}: ${entry.pointsOfSale.contingency.join(', ') || '—'} · ${t('contingency.pairs')}: `,
          entry.pointsOfSale.pairs
            .map((pair) => `${pair.ptoVta} → ${pair.contingencyPtoVta ?? '—'}`)
            .join(', ') || '—',
        ),
        h('h3', {}, t('contingency.caeas')),
        table(
          [
            t('col.periodo'),
            t('col.orden'),
            t('col.caea'),
            t('col.validity'),
            t('col.deadline'),
            t('col.daysLeft'),
            t('col.vouchers'),
          ],
          entry.caeas.map((caea) => {
            const left = daysUntil(caea.fchTopeInf, now);
            return [
              caea.periodo,
              caea.orden,
              h(
                'code',
                {},
                caea.caea,
                caea.current ? h('small', {}, ` (${t('contingency.current')})`) : null,
              ),
              `${arcaDate(caea.fchVigDesde, lang)} – ${arcaDate(caea.fchVigHasta, lang)}`,
              arcaDate(caea.fchTopeInf, lang),
              h('span', { class: left <= 2 && (caea.vouchers.PENDING ?? 0) > 0 ? 'warn' : '' }, String(left)),
              Object.entries(caea.vouchers)
                .map(([state, count]) => `${state}: ${count}`)
                .join(', ') || '0',
            ];
          }),
          t('contingency.caeas'),
        ),
        h('h3', {}, t('contingency.unreported')),
        table(
          [t('field.ptoVta'), t('field.cbteTipo'), t('col.caea'), t('col.state'), t('col.count')],
          entry.vouchers.map((row) => [
            row.ptoVta,
            row.cbteTipo,
            h('code', {}, row.caea),
            row.state,
            row.count,
          ]),
          t('contingency.unreported'),
        ),
        entry.alarms.length > 0
          ? [
              h('h3', {}, t('contingency.alarms')),
              table(
                [t('field.ptoVta'), t('field.cbteTipo'), t('col.number'), t('col.state'), t('col.answer')],
                entry.alarms.map((alarm) => [
                  alarm.ptoVta,
                  alarm.cbteTipo,
                  alarm.cbteNro,
                  alarm.reportState,
                  json(alarm.reportAnswer),
                ]),
                t('contingency.alarms'),
              ),
            ]
          : null,
      ),
    ),
  );
}
