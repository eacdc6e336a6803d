import type { Db } from '../db/connect.js';
import { composeDigests } from '../notifications/digest.js';

export interface NotificationsDemoResult {
  /** In-app notifications the demo's events raised (actions assigned, nominations, escalations). */
  notifications: number;
  /** This week's digests written to the outbox, pending: sent only if SMTP is configured. */
  digestsQueued: number;
}

/**
 * Runs after the rest of the demo: the events the other demo loaders replayed through the
 * services have already raised notifications; this marks the older half of each user's read
 * (a realistic bell) and queues this week's digests without sending them. The demo addresses
 * are at an `.example` domain, so nothing can reach a real person.
 */
export async function loadNotificationsDemo(db: Db, opts: { baseUrl?: string; now?: Date } = {}): Promise<NotificationsDemoResult> {
  const now = opts.now ?? new Date();
  const rows = await db.selectFrom('notifications').select(['id', 'user_id']).orderBy('user_id').orderBy('created_at').orderBy('id').execute();
  const byUser = new Map<string, string[]>();
  for (const r of rows) {
    byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.id]);
  }
  const older = [...byUser.values()].flatMap((ids) => ids.slice(0, Math.floor(ids.length / 2)));
  if (older.length > 0) {
    await db.updateTable('notifications').set({ read_at: now.toISOString() }).where('id', 'in', older).execute();
  }
  const report = await composeDigests(db, { now, baseUrl: opts.baseUrl ?? 'http://localhost:3000', frequencies: ['weekly', 'daily'] });
  return { notifications: rows.length, digestsQueued: report.queued.length };
}
