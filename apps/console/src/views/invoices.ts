import { api, download, query } from '../api.js';
import { errorBox, field, type ViewContext } from '../context.js';
import { h, show, table } from '../dom.js';
import { amount, arcaDate, fromArcaDate, toArcaDate, voucherNumber, voucherType } from '../format.js';
import { language, t, type Text } from '../i18n.js';

export interface AuditInvoice {
  id: string;
  environment: string;
  cuit: string;
  ptoVta: number;
  cbteTipo: number;
  cbteNro: number;
  cbteFch: string;
  docTipo: number;
  docNro: number;
  impTotal: string;
  monId: string;
  resultado: string;
  emisionTipo: string;
  cae: string | null;
  caeFchVto: string | null;
  observaciones: { code: number; msg: string }[];
  superseded: { at: string; reason: string } | null;
  apiKey: { id: string; name: string | null } | null;
}

/** The filters of GET /v1/audit/invoices the console offers, in the order the form shows them. */
const NUMBER_FILTERS = [
  'cuit',
  'ptoVta',
  'cbteTipo',
  'cbteNroFrom',
  'cbteNroTo',
  'docTipo',
  'docNro',
] as const;
const DATE_FILTERS = ['cbteFchFrom', 'cbteFchTo'] as const;
const FILTERS = [...NUMBER_FILTERS, ...DATE_FILTERS, 'resultado', 'cae', 'environment'] as const;
/** ARCA environments a record can carry; none chosen: the gateway's own AFIP_ENV. */
const ENVIRONMENTS = ['sandbox', 'homologation', 'production', 'unknown'] as const;

export const pdfPath = (invoice: Pick<AuditInvoice, 'cuit' | 'ptoVta' | 'cbteTipo' | 'cbteNro'>) =>
  `/v1/audit/invoices/${invoice.cuit}/${invoice.ptoVta}/${invoice.cbteTipo}/${invoice.cbteNro}/pdf`;

export const fileName = (invoice: Pick<AuditInvoice, 'cuit' | 'ptoVta' | 'cbteTipo' | 'cbteNro'>) =>
  `${invoice.cuit}-${invoice.cbteTipo}-${voucherNumber(invoice.ptoVta, invoice.cbteNro)}.pdf`;

/** The CAE or CAEA, named. */
export const authorization = (invoice: Pick<AuditInvoice, 'cae' | 'emisionTipo'>) =>
  invoice.cae ? `${invoice.emisionTipo === 'CAEA' ? 'CAEA' : 'CAE'} ${invoice.cae}` : '—';

/** The voucher list: the audit API's filters, kept in the URL (a bookmark reopens the same page), cursor paging. */
export async function invoicesView({ main, params }: ViewContext): Promise<void> {
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? undefined])) as Record<
    (typeof FILTERS)[number],
    string | undefined
  >;
  const cursor = params.get('cursor') ?? undefined;
  const form = filterForm(filters);
  const results = h('section', { 'aria-live': 'polite' });
  show(main, h('h1', {}, t('nav.invoices')), form, results);
  try {
    const page = await api<{ items: AuditInvoice[]; nextCursor: string | null }>(
      'GET',
      `/v1/audit/invoices${query({ ...filters, cursor })}`,
    );
    show(results, resultTable(page.items), pager(filters, cursor, page.nextCursor));
  } catch (error) {
    show(results, errorBox(error));
  }
}

function filterForm(filters: Record<string, string | undefined>): HTMLFormElement {
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const number = (name: (typeof NUMBER_FILTERS)[number]) => {
    const input = h('input', { name, inputmode: 'numeric', pattern: '\\d*', value: filters[name] ?? '' });
    inputs.set(name, input);
    return field(t(`field.${name}` as Text), input);
  };
  const date = (name: (typeof DATE_FILTERS)[number]) => {
    const input = h('input', { name, type: 'date', value: fromArcaDate(filters[name]) });
    inputs.set(name, input);
    return field(t(`field.${name}`), input);
  };
  const resultado = h(
    'select',
    { name: 'resultado' },
    h('option', { value: '' }, t('any')),
    h('option', { value: 'A', selected: filters.resultado === 'A' }, t('result.A')),
    h('option', { value: 'R', selected: filters.resultado === 'R' }, t('result.R')),
  );
  inputs.set('resultado', resultado);
  const cae = h('input', { name: 'cae', inputmode: 'numeric', value: filters.cae ?? '' });
  inputs.set('cae', cae);
  const environment = h(
    'select',
    { name: 'environment' },
    h('option', { value: '' }, t('field.environmentDefault')),
    ENVIRONMENTS.map((value) => h('option', { value, selected: filters.environment === value }, value)),
  );
  inputs.set('environment', environment);
  const read = () =>
    Object.fromEntries(
      [...inputs].map(([name, input]) => [
        name,
        DATE_FILTERS.includes(name as never) ? toArcaDate(input.value) : input.value.trim(),
      ]),
    );
  const csv = h('button', { type: 'button', class: 'secondary', id: 'csv' }, t('invoices.csv'));
  csv.addEventListener('click', () => {
    void download(`/v1/audit/invoices${query(read())}`, 'text/csv', 'comprobantes.csv').catch((error) =>
      form.append(errorBox(error)),
    );
  });
  const clear = h('a', { href: '#/invoices', class: 'button secondary' }, t('invoices.clear'));
  const form = h(
    'form',
    { class: 'filters', id: 'filters' },
    NUMBER_FILTERS.map(number),
    DATE_FILTERS.map(date),
    field(t('field.resultado'), resultado),
    field(t('field.cae'), cae),
    field(t('col.environment'), environment),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, t('invoices.filter')), clear, csv),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    window.location.hash = `#/invoices${query(read())}`;
  });
  return form;
}

function resultTable(items: AuditInvoice[]): HTMLElement {
  if (items.length === 0) return h('p', { class: 'empty' }, t('invoices.empty'));
  const lang = language();
  return table(
    [
      t('col.number'),
      t('col.date'),
      t('col.receiver'),
      t('col.total'),
      t('col.result'),
      t('col.code'),
      t('col.pdf'),
    ],
    items.map((invoice) => {
      const pdf = h('button', { type: 'button', class: 'link' }, 'PDF');
      pdf.addEventListener(
        'click',
        () => void download(pdfPath(invoice), 'application/pdf', fileName(invoice)),
      );
      return [
        h(
          'a',
          { href: `#/invoices/${invoice.id}`, class: 'voucher' },
          `${voucherType(invoice.cbteTipo)} ${voucherNumber(invoice.ptoVta, invoice.cbteNro)}`,
        ),
        arcaDate(invoice.cbteFch, lang),
        invoice.docTipo === 99 && invoice.docNro === 0 ? '—' : `${invoice.docTipo} ${invoice.docNro}`,
        `${invoice.monId} ${amount(invoice.impTotal, lang)}`,
        h(
          'span',
          { class: `result result-${invoice.resultado}` },
          t(invoice.resultado === 'A' ? 'result.A' : 'result.R'),
          invoice.superseded ? ` · ${t('invoice.superseded')}` : '',
        ),
        h('code', {}, authorization(invoice)),
        invoice.resultado === 'A' ? pdf : '',
      ];
    }),
    t('nav.invoices'),
  );
}

function pager(
  filters: Record<string, string | undefined>,
  cursor: string | undefined,
  next: string | null,
): HTMLElement {
  return h(
    'div',
    { class: 'row pager' },
    cursor
      ? h('a', { href: `#/invoices${query(filters)}`, class: 'button secondary' }, t('invoices.first'))
      : null,
    next
      ? h(
          'a',
          { href: `#/invoices${query({ ...filters, cursor: next })}`, class: 'button', id: 'next-page' },
          t('invoices.next'),
        )
      : null,
  );
}
