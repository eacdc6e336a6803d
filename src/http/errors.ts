/**
 * The one error family. Services throw these; the error handler (problem.ts) turns them into
 * RFC 9457 problem+json. `code` is stable and snake_case so integrations can branch on it.
 */
export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `email` or `competitors.2`. */
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldIssue[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(field: string, message: string, more: FieldIssue[] = []) {
    super(400, 'validation_failed', `${field}: ${message}`, [{ field, message }, ...more]);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in to continue') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do that') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends AppError {
  constructor(entity: string) {
    super(404, 'not_found', `${entity} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(field: string | undefined, message: string) {
    super(409, 'conflict', field ? `${field}: ${message}` : message, field ? [{ field, message }] : []);
  }
}

/**
 * An edit based on a version that is no longer the stored one. Nothing is written; the problem
 * carries what is stored now as `current`, so a client can show both and let the person choose
 * instead of overwriting either (autosaved notes, remarks, summaries).
 */
export class EditConflictError<T = unknown> extends AppError {
  constructor(
    message: string,
    readonly current: T,
  ) {
    super(409, 'edit_conflict', message, [{ field: 'baseVersion', message }]);
  }
}

export class LockedError extends AppError {
  constructor(message: string) {
    super(423, 'account_locked', message);
  }
}
