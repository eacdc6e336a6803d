import type { Db } from '../db/connect.js';
import { clearDirtyMarks, onceAtATime, readDirtyMarks } from './cache.js';
import { refreshHealthCache } from './health-cache.js';
import { refreshNpsCache } from './nps-cache.js';

/**
 * Brings every analytics cache up to date before a firm-wide dashboard reads it: the clients
 * marked since the last refresh are recomputed in each cache (or a cache is rebuilt whole when
 * what it depends on changed), then their marks are cleared. One refresh at a time per process.
 */
export function refreshAnalyticsCache(db: Db, today: string): Promise<void> {
  return onceAtATime(db, `analytics:${today}`, async () => {
    const marks = await readDirtyMarks(db);
    const marked = marks.map((m) => m.clientId);
    await refreshHealthCache(db, marked, today);
    await refreshNpsCache(db, marked);
    await clearDirtyMarks(db, marks);
  });
}
