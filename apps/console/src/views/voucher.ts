import { api, download } from '../api.js';
import { errorBox, field, type ViewContext } from '../context.js';
import { facts, h, json, show } from '../dom.js';
import { amount, arcaDate, voucherNumber, voucherType } from '../format.js';
import { language, t } from '../i18n.js';

interface Lookup {
  cuit: number;
  ptoVta: number;
  cbteTipo: number;
  cbteNro: number;
  afip: Record<string, unknown> | null;
  gateway: {
    cbteFch: string;
    resultado: string;
    cae?: string;
    caeFchVto?: string;
    impTotal: string;
    monId: string;
  } | null;
}

const FIELDS = ['cuit', 'ptoVta', 'cbteTipo', 'cbteNro'] as const;

/**
 * One voucher by its number, as ARCA has it and as the gateway recorded it (GET /v1/invoices/...), with its PDF:
 * what a pos key may read, and auditors and admins too. The form starts from the key's own CUIT and point of sale.
 */
export async function voucherView({ main, me, params }: ViewContext): Promise<void> {
  const start: Record<(typeof FIELDS)[number], string> = {
    cuit: params.get('cuit') ?? me.cuits[0] ?? '',
    ptoVta: params.get('ptoVta') ?? String(me.ptoVtas[0] ?? ''),
    cbteTipo: params.get('cbteTipo') ?? '6',
    cbteNro: params.get('cbteNro') ?? '',
  };
  const inputs = FIELDS.map((name) =>
    h('input', { name, inputmode: 'numeric', required: true, value: start[name] }),
  );
  const out = h('section', { id: 'voucher', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'filters', id: 'lookup' },
    FIELDS.map((name, index) => field(t(`field.${name}`), inputs[index]!)),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, t('voucher.find'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = Object.fromEntries(FIELDS.map((name, index) => [name, inputs[index]!.value.trim()]));
    window.location.hash = `#/voucher?${new URLSearchParams(values).toString()}`;
  });
  show(main, h('h1', {}, t('nav.voucher')), form, out);
  if (FIELDS.some((name) => !start[name])) return;
  const path = `/v1/invoices/${FIELDS.map((name) => encodeURIComponent(start[name])).join('/')}`;
  try {
    show(out, lookupView(await api<Lookup>('GET', path), path));
  } catch (error) {
    show(out, errorBox(error));
  }
}

function lookupView(found: Lookup, path: string): HTMLElement {
  const lang = language();
  const afip = found.afip ?? {};
  const code = found.gateway?.cae ?? (afip.CodAutorizacion as string | undefined);
  const emision = (afip.EmisionTipo as string | undefined) ?? 'CAE';
  const pdf = h('button', { type: 'button', class: 'secondary' }, 'PDF');
  pdf.addEventListener('click', () => {
    const name = `${found.cuit}-${found.cbteTipo}-${voucherNumber(found.ptoVta, found.cbteNro)}.pdf`;
    void download(`${path}/pdf`, 'application/pdf', name).catch((error) => pdf.after(errorBox(error)));
  });
  return h(
    'div',
    {},
    h('h2', {}, `${voucherType(found.cbteTipo)} ${voucherNumber(found.ptoVta, found.cbteNro)}`),
    facts([
      [t('col.date'), arcaDate(found.gateway?.cbteFch ?? (afip.CbteFch as string | undefined), lang)],
      [
        t('col.total'),
        found.gateway
          ? `${found.gateway.monId} ${amount(found.gateway.impTotal, lang)}`
          : String(afip.ImpTotal ?? ''),
      ],
      [t('col.result'), found.gateway?.resultado ?? String(afip.Resultado ?? '')],
      [t('col.code'), h('code', { id: 'voucher-code' }, code ? `${emision} ${code}` : '—')],
      [t('voucher.atArca'), t(found.afip ? 'voucher.yes' : 'voucher.no')],
      [t('voucher.atGateway'), t(found.gateway ? 'voucher.yes' : 'voucher.no')],
    ]),
    found.gateway?.resultado === 'A' || found.afip ? pdf : null,
    h('h3', {}, t('invoice.answer')),
    json(found.afip),
  );
}
