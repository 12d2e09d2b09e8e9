import { api, ApiError, whenUnauthorized } from './api.js';
import { errorBox, type Me, type Role, type ViewContext } from './context.js';
import { h, show } from './dom.js';
import type { Language } from './format.js';
import { language, setLanguage, t, type Text } from './i18n.js';
import { session } from './session.js';
import { chainView } from './views/chain.js';
import { contingencyView } from './views/contingency.js';
import { credentialsView } from './views/credentials.js';
import { homeView } from './views/home.js';
import { invoiceView } from './views/invoice.js';
import { invoicesView } from './views/invoices.js';
import { keysView } from './views/keys.js';
import { lanesView } from './views/lanes.js';
import { voucherView } from './views/voucher.js';

interface Route {
  path: string;
  label: Text;
  /** Roles the nav offers it to; a bookmark still opens it for anyone, and the API answers. */
  roles: Role[];
  render: (context: ViewContext) => Promise<void>;
  /** The view of one item, `#/<path>/<id>`. */
  detail?: (context: ViewContext) => Promise<void>;
}

const ROUTES: Route[] = [
  { path: '', label: 'nav.home', roles: ['admin', 'auditor', 'pos'], render: homeView },
  {
    path: 'invoices',
    label: 'nav.invoices',
    roles: ['admin', 'auditor'],
    render: invoicesView,
    detail: invoiceView,
  },
  { path: 'voucher', label: 'nav.voucher', roles: ['admin', 'auditor', 'pos'], render: voucherView },
  { path: 'chain', label: 'nav.chain', roles: ['admin', 'auditor'], render: chainView },
  { path: 'lanes', label: 'nav.lanes', roles: ['admin', 'auditor'], render: lanesView },
  { path: 'contingency', label: 'nav.contingency', roles: ['admin', 'auditor'], render: contingencyView },
  { path: 'credentials', label: 'nav.credentials', roles: ['admin'], render: credentialsView },
  { path: 'keys', label: 'nav.keys', roles: ['admin'], render: keysView },
];

const root = document.getElementById('app') as HTMLElement;
let me: Me | undefined;

/** `#/invoices/<id>?cuit=...` as its route, id and query. */
function location(): { route: Route | undefined; id: string | undefined; params: URLSearchParams } {
  const [path, search = ''] = window.location.hash.replace(/^#\/?/, '').split('?', 2);
  const [first = '', id] = path.split('/').map(decodeURIComponent);
  return { route: ROUTES.find((route) => route.path === first), id, params: new URLSearchParams(search) };
}

function languagePicker(): HTMLElement {
  const select = h(
    'select',
    { 'aria-label': t('language'), id: 'language' },
    h('option', { value: 'es', selected: language() === 'es' }, 'Español'),
    h('option', { value: 'en', selected: language() === 'en' }, 'English'),
  );
  select.addEventListener('change', () => {
    setLanguage(select.value as Language);
    void render();
  });
  return select;
}

function signInForm(notice?: string): void {
  document.title = t('title');
  const input = h('input', {
    type: 'password',
    id: 'api-key',
    name: 'api-key',
    autocomplete: 'off',
    required: true,
    autofocus: true,
  });
  const form = h(
    'form',
    { class: 'sign-in' },
    h('h1', {}, t('title')),
    h('h2', {}, t('signIn.heading')),
    notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
    h('label', { for: 'api-key' }, t('signIn.label')),
    input,
    h('p', { class: 'help' }, t('signIn.help')),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, t('signIn.submit')), languagePicker()),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    session.signIn(input.value.trim());
    void render();
  });
  show(root, form);
  input.focus();
}

function shell(signedIn: Me, current: Route | undefined): HTMLElement {
  const main = h('main', { id: 'view' });
  const signOut = h('button', { type: 'button', class: 'secondary', id: 'sign-out' }, t('signOut'));
  signOut.addEventListener('click', () => {
    session.signOut();
    me = undefined;
    window.location.hash = '#/';
    signInForm();
  });
  show(
    root,
    h(
      'header',
      {},
      h('a', { href: '#/', class: 'brand' }, t('title')),
      h('span', { class: 'who' }, `${signedIn.name} · ${t(`role.${signedIn.role}`)}`),
      languagePicker(),
      signOut,
    ),
    h(
      'nav',
      { 'aria-label': 'main' },
      ROUTES.filter((route) => route.roles.includes(signedIn.role)).map((route) =>
        h(
          'a',
          { href: `#/${route.path}`, 'aria-current': route === current ? 'page' : undefined },
          t(route.label),
        ),
      ),
    ),
    main,
  );
  return main;
}

async function render(): Promise<void> {
  document.documentElement.lang = language();
  if (!session.key()) return signInForm();
  try {
    me ??= await api<Me>('GET', '/v1/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    // The gateway could not say who the key is (unreachable, rate limited): say why, and let the person retry or
    // sign out.
    const retry = h('button', { type: 'button' }, t('retry'));
    retry.addEventListener('click', () => void render());
    const signOut = h('button', { type: 'button', class: 'secondary', id: 'sign-out' }, t('signOut'));
    signOut.addEventListener('click', () => {
      session.signOut();
      signInForm();
    });
    show(root, h('main', {}, errorBox(error), h('div', { class: 'row' }, retry, signOut)));
    return;
  }
  const { route, id, params } = location();
  const main = shell(me, route);
  document.title = `${t(route?.label ?? 'nav.home')} · ${t('title')}`;
  show(main, h('p', { class: 'loading' }, t('loading')));
  try {
    const shown = route ?? ROUTES[0];
    await (id && shown.detail ? shown.detail : shown.render)({ main, me, id, params });
  } catch (error) {
    show(main, errorBox(error));
  }
}

whenUnauthorized(() => {
  session.signOut();
  me = undefined;
  signInForm(t('signIn.expired'));
});
window.addEventListener('hashchange', () => void render());
void render();
