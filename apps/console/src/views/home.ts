import type { ViewContext } from '../context.js';
import { facts, h, show } from '../dom.js';
import { t } from '../i18n.js';

/** Who is signed in and what the key may touch. */
export async function homeView({ main, me }: ViewContext): Promise<void> {
  show(
    main,
    h('h1', {}, t('nav.home')),
    h('p', { id: 'signed-in' }, t('home.signedIn', { name: me.name, role: t(`role.${me.role}`) })),
    facts([
      [t('home.cuits'), me.cuits.length > 0 ? me.cuits.join(', ') : t('home.all')],
      [t('home.ptoVtas'), me.ptoVtas.length > 0 ? me.ptoVtas.join(', ') : t('home.all')],
    ]),
    me.role === 'pos' ? h('p', { class: 'help' }, t('home.pos')) : null,
  );
}
