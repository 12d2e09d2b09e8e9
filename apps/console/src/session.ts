/**
 * The API key lives in this tab's session storage only: never in a URL, a cookie or local storage, and it leaves
 * the page only in the Authorization header (api.ts). Closing the tab or signing out forgets it.
 */
const KEY = 'arca-console.key';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  signIn: (key: string): void => sessionStorage.setItem(KEY, key),
  signOut: (): void => sessionStorage.removeItem(KEY),
};
