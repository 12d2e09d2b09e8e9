import { ApiError } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

export type Role = 'admin' | 'pos' | 'auditor';

/** The signed-in key, as GET /v1/me answers: the console offers what its role may do, and the API decides. */
export interface Me {
  id: string;
  name: string;
  role: Role;
  cuits: string[];
  ptoVtas: number[];
}

/** What a view gets: where to draw, who is signed in, and its URL's id and query. */
export interface ViewContext {
  main: HTMLElement;
  me: Me;
  id: string | undefined;
  params: URLSearchParams;
}

/** An API error as people read it: status, message and the requestId to quote to an operator. */
export function errorBox(error: unknown): HTMLElement {
  if (error instanceof ApiError) {
    return h(
      'div',
      { class: 'error', role: 'alert' },
      h('strong', {}, `${t('error')} ${error.status}${error.code ? ` · ${error.code}` : ''}`),
      h('p', { class: 'error-message' }, error.message),
      error.requestId
        ? h('p', {}, `${t('requestId')}: `, h('code', { class: 'request-id' }, error.requestId))
        : null,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, t('error')), h('p', {}, message));
}

/** A button that copies a text to the clipboard and says so. */
export function copyButton(text: string): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'secondary' }, t('copy'));
  button.addEventListener('click', () => {
    void navigator.clipboard?.writeText(text).catch(() => undefined);
    button.textContent = t('copied');
  });
  return button;
}

/** A labelled form field. */
export function field(label: string, input: HTMLElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}
