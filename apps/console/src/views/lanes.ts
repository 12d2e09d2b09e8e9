import { api } from '../api.js';
import { errorBox, type ViewContext } from '../context.js';
import { h, show, table } from '../dom.js';
import { arcaDate } from '../format.js';
import { language, t, type Text } from '../i18n.js';

interface Lane {
  cuit: string;
  ptoVta: number;
  cbteTipo: number;
  lastNumber: number;
  lastCbteFch: string | null;
  state: string;
  inDoubt: number;
  divergence: { arcaLast: number; gatewayLast: number; since: string } | null;
  emisionTipo: string;
  contingencyPtoVta: number | null;
}

const laneName = (lane: Lane) => `${lane.cuit}/${lane.ptoVta}/${lane.cbteTipo}`;

/** Each lane's state and last number; a diverged lane shows both numbers, and an admin may resync it. */
export async function lanesView({ main, me }: ViewContext): Promise<void> {
  const lanes = await api<Lane[]>('GET', '/v1/lanes');
  const lang = language();
  const notice = h('div', { id: 'lane-notice', 'aria-live': 'polite' });
  const rows = lanes.map((lane) => [
    lane.cuit,
    lane.ptoVta,
    lane.cbteTipo,
    h(
      'span',
      { class: `state state-${lane.state}` },
      t(`state.${lane.state}` as Text),
      lane.divergence
        ? h(
            'small',
            {},
            ` (${t('lanes.divergence', { arca: lane.divergence.arcaLast, gateway: lane.divergence.gatewayLast })})`,
          )
        : null,
    ),
    lane.lastNumber,
    arcaDate(lane.lastCbteFch, lang),
    lane.inDoubt,
    lane.emisionTipo,
    lane.contingencyPtoVta ?? '—',
    me.role === 'admin' && lane.state === 'diverged' ? resyncControl(lane, notice, main, me) : '',
  ]);
  show(
    main,
    h('h1', {}, t('nav.lanes')),
    notice,
    lanes.length === 0
      ? h('p', { class: 'empty' }, t('lanes.empty'))
      : table(
          [
            t('field.cuit'),
            t('field.ptoVta'),
            t('field.cbteTipo'),
            t('lanes.state'),
            t('lanes.last'),
            t('lanes.lastDate'),
            t('lanes.inDoubt'),
            t('lanes.emision'),
            t('lanes.contingency'),
            '',
          ],
          rows,
          t('nav.lanes'),
        ),
  );
}

/** Resync asks for the lane typed out, as the API does in production, before it is sent. */
function resyncControl(
  lane: Lane,
  notice: HTMLElement,
  main: HTMLElement,
  me: ViewContext['me'],
): HTMLElement {
  const cell = h('div', { class: 'resync' });
  const start = h('button', { type: 'button', class: 'danger' }, t('lanes.resync'));
  start.addEventListener('click', () => {
    const typed = h('input', {
      'aria-label': t('lanes.confirm', { lane: laneName(lane) }),
      autocomplete: 'off',
    });
    const confirm = h(
      'button',
      { type: 'submit', class: 'danger', disabled: true },
      t('lanes.confirmButton'),
    );
    const cancel = h('button', { type: 'button', class: 'secondary' }, t('lanes.cancel'));
    typed.addEventListener('input', () => (confirm.disabled = typed.value.trim() !== laneName(lane)));
    cancel.addEventListener('click', () => show(cell, start));
    const form = h(
      'form',
      {},
      h('p', {}, t('lanes.confirm', { lane: laneName(lane) })),
      typed,
      confirm,
      cancel,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      api('POST', `/v1/lanes/${lane.cuit}/${lane.ptoVta}/${lane.cbteTipo}/resync`, {
        confirm: typed.value.trim(),
      })
        .then(() => lanesView({ main, me, id: undefined, params: new URLSearchParams() }))
        .then(() =>
          show(
            document.getElementById('lane-notice') ?? notice,
            h('p', { role: 'status' }, t('lanes.resynced', { lane: laneName(lane) })),
          ),
        )
        .catch((error) => show(notice, errorBox(error)));
    });
    show(cell, form);
    typed.focus();
  });
  show(cell, start);
  return cell;
}
