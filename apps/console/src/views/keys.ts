import { api } from '../api.js';
import { copyButton, errorBox, field, type ViewContext } from '../context.js';
import { h, show, table } from '../dom.js';
import { instant, numberList } from '../format.js';
import { language, t } from '../i18n.js';

interface ApiKey {
  id: string;
  name: string;
  role: string;
  keyPrefix: string;
  cuits: string[];
  ptoVtas: number[];
  createdAt: string;
  revokedAt: string | null;
}

/** API keys (admin): create one (its key shown once, here), list them, revoke one after a second click. */
export async function keysView(context: ViewContext): Promise<void> {
  const { main } = context;
  const keys = await api<ApiKey[]>('GET', '/v1/api-keys');
  const lang = language();
  const notice = h('div', { id: 'key-notice', 'aria-live': 'polite' });
  show(
    main,
    h('h1', {}, t('nav.keys')),
    notice,
    h('h2', {}, t('keys.create')),
    createForm(notice, context),
    h('h2', {}, t('keys.list')),
    table(
      [
        t('keys.name'),
        t('keys.role'),
        t('keys.prefix'),
        t('home.cuits'),
        t('home.ptoVtas'),
        t('keys.createdAt'),
        t('keys.status'),
        '',
      ],
      keys.map((key) => [
        key.name,
        t(`role.${key.role as 'admin' | 'pos' | 'auditor'}`),
        h('code', {}, key.keyPrefix),
        key.cuits.join(', '),
        key.ptoVtas.join(', '),
        instant(key.createdAt, lang),
        key.revokedAt ? t('keys.revokedAt', { at: instant(key.revokedAt, lang) }) : t('keys.active'),
        key.revokedAt ? '' : revokeButton(key, notice, context),
      ]),
      t('keys.list'),
    ),
  );
}

function createForm(notice: HTMLElement, context: ViewContext): HTMLFormElement {
  const name = h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off' });
  const role = h(
    'select',
    { name: 'role' },
    (['pos', 'auditor', 'admin'] as const).map((value) => h('option', { value }, t(`role.${value}`))),
  );
  const cuits = h('input', { name: 'cuits', inputmode: 'numeric', autocomplete: 'off' });
  const ptoVtas = h('input', { name: 'ptoVtas', inputmode: 'numeric', autocomplete: 'off' });
  const form = h(
    'form',
    { class: 'filters', id: 'create-key' },
    field(t('keys.name'), name),
    field(t('keys.role'), role),
    field(t('keys.cuits'), cuits),
    field(t('keys.ptoVtas'), ptoVtas),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, t('keys.submit'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const lists = { cuits: numberList(cuits.value), ptoVtas: numberList(ptoVtas.value) };
    for (const [fieldName, list] of Object.entries(lists)) {
      if (list.bad !== undefined) {
        show(
          notice,
          h('p', { class: 'error', role: 'alert' }, t('keys.badList', { field: fieldName, value: list.bad })),
        );
        return;
      }
    }
    const body = {
      name: name.value.trim(),
      role: role.value,
      ...(lists.cuits.values.length > 0 ? { cuits: lists.cuits.values } : {}),
      ...(lists.ptoVtas.values.length > 0 ? { ptoVtas: lists.ptoVtas.values } : {}),
    };
    api<ApiKey & { key: string }>('POST', '/v1/api-keys', body)
      .then(async (created) => {
        await keysView(context);
        // The list is drawn again; the new key is shown above it, once.
        show(
          document.getElementById('key-notice') ?? notice,
          h(
            'div',
            { class: 'created', role: 'status' },
            h('p', {}, t('keys.created')),
            h('p', {}, h('code', { id: 'new-key' }, created.key), ' ', copyButton(created.key)),
          ),
        );
      })
      .catch((error) => show(notice, errorBox(error)));
  });
  return form;
}

function revokeButton(key: ApiKey, notice: HTMLElement, context: ViewContext): HTMLButtonElement {
  const button = h(
    'button',
    { type: 'button', class: 'danger', 'data-key': key.keyPrefix },
    t('keys.revoke'),
  );
  let armed = false;
  button.addEventListener('click', () => {
    if (!armed) {
      armed = true;
      button.textContent = t('keys.confirmRevoke', { name: key.name });
      return;
    }
    api('DELETE', `/v1/api-keys/${key.id}`)
      .then(() => keysView(context))
      .catch((error) => show(notice, errorBox(error)));
  });
  return button;
}
