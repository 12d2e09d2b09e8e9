import { session } from './session.js';

/** An answer of the gateway other than 2xx: its status, message, code and requestId, as the API sent them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined,
    readonly requestId: string | undefined,
  ) {
    super(message);
  }
}

/** Called when the gateway answers 401: the key is unknown or revoked, so the console signs out. */
let onUnauthorized: (error: ApiError) => void = () => undefined;
export function whenUnauthorized(handler: (error: ApiError) => void): void {
  onUnauthorized = handler;
}

async function send(method: string, path: string, accept: string, body?: unknown): Promise<Response> {
  const key = session.key();
  const headers: Record<string, string> = { Accept: accept };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    // Nothing but the header carries the key: no cookies, no cache of answers, no referrer.
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
  });
  if (response.ok) return response;
  const error = await toError(response);
  if (response.status === 401) onUnauthorized(error);
  throw error;
}

async function toError(response: Response): Promise<ApiError> {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { message?: unknown; code?: unknown; requestId?: unknown };
    return new ApiError(
      response.status,
      typeof body.message === 'string' ? body.message : `HTTP ${response.status}`,
      typeof body.code === 'string' ? body.code : undefined,
      typeof body.requestId === 'string' ? body.requestId : requestId,
    );
  } catch {
    return new ApiError(
      response.status,
      text.slice(0, 300) || `HTTP ${response.status}`,
      undefined,
      requestId,
    );
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, 'application/json', body);
  return (await response.json()) as T;
}

/** Fetches a file with the key in its header and hands it to the browser as a download. */
export async function download(path: string, accept: string, filename: string): Promise<void> {
  const response = await send('GET', path, accept);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Query text of the filters that are set. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
