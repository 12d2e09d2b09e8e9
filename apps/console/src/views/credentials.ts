import { api } from '../api.js';
import type { ViewContext } from '../context.js';
import { h, show, table } from '../dom.js';
import { hoursUntil, instant } from '../format.js';
import { language, t } from '../i18n.js';

interface Ticket {
  cuit: string;
  service: string;
  environment: string;
  expirationTime: string;
  state: 'valid' | 'expired';
  obtainedBy: string;
}

interface Certificate {
  cuit: string;
  subject: string | null;
  notAfter: string | null;
  daysLeft: number | null;
  problem: string | null;
}

/** WSAA tickets and CUIT certificates: when each expires and how many days are left. */
export async function credentialsView({ main }: ViewContext): Promise<void> {
  const [tickets, certificates] = await Promise.all([
    api<Ticket[]>('GET', '/v1/tickets'),
    api<Certificate[]>('GET', '/v1/certificates'),
  ]);
  const lang = language();
  const now = new Date();
  const days = (left: number | null) =>
    left === null ? '—' : h('span', { class: left <= 30 ? 'warn' : '' }, String(left));
  show(
    main,
    h('h1', {}, t('nav.credentials')),
    h('h2', {}, t('credentials.certificates')),
    table(
      [t('field.cuit'), t('col.subject'), t('col.expires'), t('col.daysLeft'), t('col.problem')],
      certificates.map((cert) => [
        cert.cuit,
        cert.subject ?? '—',
        instant(cert.notAfter, lang),
        days(cert.daysLeft),
        cert.problem ?? '',
      ]),
      t('credentials.certificates'),
    ),
    h('h2', {}, t('credentials.tickets')),
    table(
      [
        t('field.cuit'),
        t('col.service'),
        t('col.environment'),
        t('col.expires'),
        t('col.daysLeft'),
        t('col.state'),
        t('col.obtainedBy'),
      ],
      tickets.map((ticket) => [
        ticket.cuit,
        ticket.service,
        ticket.environment,
        instant(ticket.expirationTime, lang),
        hoursUntil(ticket.expirationTime, now),
        t(ticket.state === 'valid' ? 'ticket.valid' : 'ticket.expired'),
        ticket.obtainedBy,
      ]),
      t('credentials.tickets'),
    ),
  );
}
