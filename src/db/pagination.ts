import { ValidationError } from '../http/errors.js';

/** Keyset cursors: the sort value and id of the last row, opaque to callers. */
export type CursorValue = string | number | null;

export function encodeCursor(value: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { value: CursorValue; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[1] === 'string' &&
      (parsed[0] === null || typeof parsed[0] === 'string' || typeof parsed[0] === 'number')
    ) {
      return { value: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('cursor', 'is not a cursor this list returned');
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number | undefined;
}

/** Splits an over-fetched page (limit + 1 rows) into the page and the cursor for the next one. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, sortValue: (row: R) => CursorValue, map: (row: R) => T): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    nextCursor: hasMore && last ? encodeCursor(sortValue(last), last.id) : null,
  };
}
