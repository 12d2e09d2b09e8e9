import { api, query } from '../api.js';
import { copyButton, errorBox, field, type ViewContext } from '../context.js';
import { facts, h, show } from '../dom.js';
import { instant } from '../format.js';
import { language, t } from '../i18n.js';

interface Verdict {
  ok: boolean | null;
  fromSeq: string | null;
  toSeq: string | null;
  checked: number;
  lastHash: string;
  firstBroken?: { seq: string; reason?: string } | null;
  /** A background run's own fields. */
  id?: string;
  state?: string;
  progress?: number;
  error?: string | null;
  finishedAt?: string | null;
}

const POLL_MS = 1_000;

/**
 * The audit chain: an auditor verifies its CUITs' entries (GET /v1/audit/verify); an admin names a CUIT, or starts
 * the whole chain's background run and follows it. A passing verdict leaves a checkpoint hash to copy.
 */
export async function chainView({ main, me, params }: ViewContext): Promise<void> {
  const admin = me.role === 'admin';
  const cuit = h('input', {
    name: 'cuit',
    inputmode: 'numeric',
    value: params.get('cuit') ?? '',
    required: admin,
  });
  const fromSeq = h('input', { name: 'fromSeq', inputmode: 'numeric', value: params.get('fromSeq') ?? '' });
  const checkpoint = h('input', { name: 'checkpointHash', value: params.get('checkpointHash') ?? '' });
  const out = h('section', { id: 'verdict', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'filters' },
    admin || me.cuits.length > 1 ? field(t('field.cuit'), cuit) : null,
    field(t('chain.fromSeq'), fromSeq),
    field(t('chain.checkpoint'), checkpoint),
    h('div', { class: 'row' }, h('button', { type: 'submit', id: 'verify' }, t('chain.verify'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show(out, h('p', { class: 'loading' }, t('loading')));
    const filters = {
      cuit: cuit.value.trim(),
      fromSeq: fromSeq.value.trim(),
      checkpointHash: checkpoint.value.trim(),
    };
    api<Verdict>('GET', `/v1/audit/verify${query(filters)}`)
      .then((verdict) => show(out, verdictView(verdict, filters.cuit)))
      .catch((error) => show(out, errorBox(error)));
  });
  const whole = h('button', { type: 'button', class: 'secondary', id: 'verify-whole' }, t('chain.whole'));
  whole.addEventListener('click', () => {
    show(out, h('p', { class: 'loading' }, t('loading')));
    void follow(out);
  });
  show(
    main,
    h('h1', {}, t('nav.chain')),
    h('p', { class: 'help' }, t(admin ? 'chain.intro.admin' : 'chain.intro.auditor')),
    form,
    admin ? h('div', { class: 'row' }, whole) : null,
    out,
  );
}

/** Starts (or joins) the whole-chain run and redraws its progress until it ends. */
async function follow(out: HTMLElement): Promise<void> {
  try {
    let run = await api<Verdict>('POST', '/v1/audit/verify');
    while (run.state === 'running' && out.isConnected) {
      show(out, verdictView(run));
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      run = await api<Verdict>('GET', `/v1/audit/verify/${run.id}`);
    }
    show(out, verdictView(run));
  } catch (error) {
    show(out, errorBox(error));
  }
}

function verdictView(verdict: Verdict, cuit = ''): HTMLElement {
  const lang = language();
  const running = verdict.state === 'running';
  return h(
    'div',
    { class: `verdict ${running ? '' : verdict.ok ? 'ok' : 'broken'}` },
    running
      ? h('progress', { max: 1, value: verdict.progress ?? 0, 'aria-label': t('chain.progress') })
      : h('p', { class: 'verdict-text', role: 'status' }, t(verdict.ok ? 'chain.ok' : 'chain.broken')),
    facts(
      [
        verdict.state
          ? [
              t('chain.state'),
              `${verdict.state}${verdict.finishedAt ? ` · ${instant(verdict.finishedAt, lang)}` : ''}`,
            ]
          : null,
        [t('chain.checked'), String(verdict.checked)],
        [t('chain.range'), verdict.fromSeq === null ? '—' : `${verdict.fromSeq} – ${verdict.toSeq ?? ''}`],
        verdict.firstBroken ? [t('chain.firstBroken'), JSON.stringify(verdict.firstBroken)] : null,
        verdict.error ? [t('error'), verdict.error] : null,
      ].filter((pair): pair is [string, string] => pair !== null),
    ),
    verdict.ok && !running
      ? h(
          'p',
          {},
          t('chain.lastHash'),
          ': ',
          h('code', { id: 'checkpoint-hash' }, verdict.lastHash),
          ' ',
          copyButton(verdict.lastHash),
        )
      : null,
    // A CUIT-scoped verdict resumes from its checkpoint: the next entry, and the hash it must link to.
    verdict.ok && !running && !verdict.id && verdict.toSeq !== null
      ? h(
          'p',
          {},
          h(
            'a',
            {
              id: 'resume',
              href: `#/chain${query({
                cuit: cuit || undefined,
                fromSeq: String(BigInt(verdict.toSeq) + 1n),
                checkpointHash: verdict.lastHash,
              })}`,
            },
            t('chain.resume'),
          ),
        )
      : null,
  );
}
