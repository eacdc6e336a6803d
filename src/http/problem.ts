import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, EditConflictError, type FieldIssue } from './errors.js';

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  423: 'Locked',
  429: 'Too many requests',
  500: 'Internal server error',
};

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: FieldIssue[];
  /** For edit conflicts: the stored state, sent as the `current` member. */
  current?: unknown;
}

/** A unique-constraint failure from either database, turned into the field it concerns. */
function uniqueViolation(err: unknown): FieldIssue | undefined {
  const e = err as { code?: string; detail?: string; message?: string };
  if (e.code === '23505') {
    const field = /Key \(([^)]+)\)/.exec(e.detail ?? '')?.[1];
    return { field: field ?? 'id', message: 'is already taken' };
  }
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const field = /UNIQUE constraint failed: \w+\.(\w+)/.exec(e.message ?? '')?.[1];
    return { field: field ?? 'id', message: 'is already taken' };
  }
  return undefined;
}

function foreignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e.code === '23503' || e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** Maps any error to a problem; unknown errors become a bare 500 so internals never leak. */
export function toProblem(err: unknown): Problem {
  if (err instanceof AppError) {
    return {
      status: err.status,
      code: err.code,
      detail: err.message,
      ...(err.errors.length ? { errors: err.errors } : {}),
      ...(err instanceof EditConflictError ? { current: err.current } : {}),
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? 'body';
    const errors = err.validation.map((v) => {
      const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const keys = (v.params as { keys?: string[] }).keys;
      // Unknown keys are reported on the object; name the key itself, that is what is wrong.
      if (v.keyword === 'unrecognized_keys' && keys?.length) {
        return { field: [path, keys[0]].filter(Boolean).join('.'), message: 'is not a known field' };
      }
      const message = /received undefined$/.test(v.message ?? '') ? 'is required' : (v.message ?? 'is invalid');
      return { field: path || where, message };
    });
    const first = errors[0];
    return {
      status: 400,
      code: 'validation_failed',
      detail: first ? `${first.field}: ${first.message}` : `The ${where} is invalid`,
      errors,
    };
  }
  const unique = uniqueViolation(err);
  if (unique) {
    return { status: 409, code: 'conflict', detail: `${unique.field}: ${unique.message}`, errors: [unique] };
  }
  if (foreignKeyViolation(err)) {
    return { status: 409, code: 'conflict', detail: 'A record it refers to does not exist or is still in use' };
  }
  const fe = err as FastifyError;
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (fe instanceof SyntaxError && fe.statusCode === 400)) {
    return { status: 400, code: 'malformed_json', detail: 'body: is not valid JSON', errors: [{ field: 'body', message: 'is not valid JSON' }] };
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, code: 'unsupported_media_type', detail: 'Send JSON with Content-Type: application/json' };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, code: 'payload_too_large', detail: 'The request body is too large' };
  }
  if (fe.code === 'FST_CSRF_INVALID_TOKEN' || fe.code === 'FST_CSRF_MISSING_SECRET') {
    return { status: 403, code: 'csrf_failed', detail: 'Missing or invalid CSRF token: send the token from /api/v1/me as X-CSRF-Token' };
  }
  if (fe.statusCode === 429) {
    return { status: 429, code: 'rate_limited', detail: fe.message };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, code: 'bad_request', detail: fe.message };
  }
  return { status: 500, code: 'internal_error', detail: 'Something went wrong on our side; the error has been logged' };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({
      type: `urn:hearken:problem:${problem.code}`,
      title: TITLES[problem.status] ?? 'Error',
      status: problem.status,
      detail: problem.detail,
      instance: request.url.split('?')[0],
      code: problem.code,
      ...(problem.errors ? { errors: problem.errors } : {}),
      ...(problem.current !== undefined ? { current: problem.current } : {}),
      requestId: request.id,
    });
}

export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = toProblem(err);
  if (problem.status >= 500) {
    const cause = isResponseSerializationError(err) ? err.cause : undefined;
    request.log.error({ err, cause, method: request.method, url: request.url, params: request.params }, 'request failed');
  }
  return sendProblem(request, reply, problem);
}
