import { expect } from 'vitest';
import type { Caller } from '../../test/support/app.js';

/** One record of GET /analytics/records, as the tests read it. */
export interface DrillRecord {
  kind: string;
  id: string;
  title: string;
  client: { id: string; name: string } | null;
  detail: string;
  href: string;
}

/**
 * Every record behind a figure, through GET /api/v1/analytics/records, following the cursor
 * page by page; checks on the way that each page answers 200, that no record is listed twice
 * and that `total` is the number listed.
 */
export async function drillRecords(caller: Caller, query: Record<string, string | number | undefined>, limit = 200): Promise<DrillRecord[]> {
  const out: DrillRecord[] = [];
  let cursor: string | null = null;
  let total: number | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...query, limit, ...(cursor ? { cursor } : {}) })) {
      if (value !== undefined) {
        params.set(key, String(value));
      }
    }
    const res = await caller.get(`/api/v1/analytics/records?${params}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: DrillRecord[]; total: number; nextCursor: string | null };
    total = body.total;
    out.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) {
      break;
    }
  }
  expect(new Set(out.map((r) => r.id)).size).toBe(out.length);
  expect(out.length).toBe(total);
  return out;
}

/** The ids behind a figure, sorted (for comparing sets). */
export async function drillIds(caller: Caller, query: Record<string, string | number | undefined>): Promise<string[]> {
  return (await drillRecords(caller, query)).map((r) => r.id).sort();
}
