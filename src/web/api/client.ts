import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** An RFC 9457 problem from the API, with the fields it names (for inline form errors). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly fieldErrors: Record<string, string>,
  ) {
    super(detail);
  }
}

let csrfToken: string | undefined;

/** Set from /api/v1/me and sign-in; sent on every write made with the session cookie. */
export function setCsrfToken(token: string | undefined) {
  csrfToken = token;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (csrfToken && request.method !== 'GET' && request.method !== 'HEAD') {
      request.headers.set('X-CSRF-Token', csrfToken);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(csrf);

interface ProblemBody {
  status?: number;
  code?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/**
 * Unwraps an openapi-fetch result: the data, or an ApiProblem to throw. Used by every query
 * and mutation so that errors look the same everywhere in the app.
 */
export async function unwrap<T>(promise: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await promise;
  if (response.ok) {
    return data as T;
  }
  const body = (error ?? {}) as ProblemBody;
  const fieldErrors: Record<string, string> = {};
  for (const e of body.errors ?? []) {
    fieldErrors[e.field] ??= e.message;
  }
  throw new ApiProblem(response.status, body.code ?? 'error', body.detail ?? response.statusText, fieldErrors);
}
