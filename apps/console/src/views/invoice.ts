import { api, download } from '../api.js';
import type { ViewContext } from '../context.js';
import { facts, h, json, show, table } from '../dom.js';
import { amount, arcaDate, instant, voucherNumber, voucherType } from '../format.js';
import { language, t } from '../i18n.js';
import { type AuditInvoice, authorization, fileName, pdfPath } from './invoices.js';

interface Detail {
  invoice: AuditInvoice;
  request: { state: string; request: unknown; afipResponse: unknown; attempts: number } | undefined;
  entries: { seq: string; occurredAt: string; kind: string; actor: string; hash: string }[];
}

/** One voucher: its facts, the request as sent, ARCA's answer, the journal state and its audit entries. */
export async function invoiceView({ main, id }: ViewContext): Promise<void> {
  const { invoice, request, entries } = await api<Detail>(
    'GET',
    `/v1/audit/invoices/${encodeURIComponent(id ?? '')}`,
  );
  const lang = language();
  const number = `${voucherType(invoice.cbteTipo)} ${voucherNumber(invoice.ptoVta, invoice.cbteNro)}`;
  const pdf = h('button', { type: 'button', class: 'secondary' }, 'PDF');
  pdf.addEventListener('click', () => void download(pdfPath(invoice), 'application/pdf', fileName(invoice)));
  show(
    main,
    h('p', {}, h('a', { href: '#/invoices' }, t('invoice.back'))),
    h('h1', {}, t('invoice.heading', { number })),
    h(
      'section',
      {},
      h('h2', {}, t('invoice.summary')),
      facts([
        [t('field.cuit'), invoice.cuit],
        [t('col.date'), arcaDate(invoice.cbteFch, lang)],
        [t('col.receiver'), `${invoice.docTipo} ${invoice.docNro}`],
        [t('col.total'), `${invoice.monId} ${amount(invoice.impTotal, lang)}`],
        [t('col.result'), t(invoice.resultado === 'A' ? 'result.A' : 'result.R')],
        [t('invoice.emision'), invoice.emisionTipo],
        [t('col.code'), h('code', { id: 'authorization' }, authorization(invoice))],
        [t('invoice.expires'), arcaDate(invoice.caeFchVto, lang)],
        [
          t('invoice.observations'),
          invoice.observaciones.map((obs) => `${obs.code}: ${obs.msg}`).join('; ') || '—',
        ],
        [
          t('invoice.superseded'),
          invoice.superseded ? `${instant(invoice.superseded.at, lang)}: ${invoice.superseded.reason}` : '—',
        ],
        [t('invoice.key'), invoice.apiKey?.name ?? invoice.apiKey?.id ?? '—'],
        [t('invoice.journal'), request ? h('span', { id: 'journal-state' }, request.state) : '—'],
      ]),
      invoice.resultado === 'A' ? pdf : null,
    ),
    h(
      'section',
      {},
      h('h2', {}, t('invoice.entries')),
      table(
        [t('entry.seq'), t('entry.at'), t('entry.kind'), t('entry.actor'), t('entry.hash')],
        entries.map((entry) => [
          entry.seq,
          instant(entry.occurredAt, lang),
          h('code', { class: 'entry-kind' }, entry.kind),
          entry.actor,
          h('code', { class: 'hash', title: entry.hash }, entry.hash),
        ]),
        t('invoice.entries'),
      ),
    ),
    h('section', {}, h('h2', {}, t('invoice.request')), json(request?.request ?? null)),
    h('section', {}, h('h2', {}, t('invoice.answer')), json(request?.afipResponse ?? null)),
  );
}
