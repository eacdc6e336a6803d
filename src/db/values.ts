/** Normalisers for values that the two dialects return differently. */

export function toBool(v: boolean | number | null | undefined): boolean {
  return v === true || v === 1;
}

export function nowIso(): string {
  return new Date().toISOString();
}

export function parseJsonArray(v: unknown): string[] {
  if (Array.isArray(v)) {
    return v.map(String);
  }
  if (typeof v !== 'string' || v === '') {
    return [];
  }
  const parsed: unknown = JSON.parse(v);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** A timestamp as read from either driver (ISO text on SQLite, Date on PostgreSQL) as ISO text. */
export function isoTimestamp(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}
