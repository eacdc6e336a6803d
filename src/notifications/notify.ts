import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/connect.js';
import { nowIso } from '../db/values.js';

/** What a notification is about; the web app picks its icon and wording from this. */
export const NOTIFICATION_KINDS = ['action.assigned', 'action.escalated', 'action.comment', 'nomination.awaiting', 'recovery.scheduled'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationInput {
  userId: string;
  kind: NotificationKind;
  /** One line, e.g. "New action for Acme: call the GC about the bill". */
  title: string;
  body?: string | null;
  /** The web app path it opens, e.g. `/actions/01J…`. */
  link: string;
  /** The client it is about: shown only while the reader may still see that client. */
  clientId?: string | null;
  entity?: string;
  entityId?: string;
}

/**
 * Records in-app notifications, inside the caller's transaction so that an event and its
 * notification are written together or not at all. Nobody is notified of their own doing:
 * pass the acting user's id as `actorId`.
 */
export async function notify(db: Db, items: NotificationInput[], actorId: string | null): Promise<void> {
  const rows = items
    .filter((n) => n.userId !== actorId)
    .map((n) => ({
      id: uuidv7(),
      user_id: n.userId,
      kind: n.kind,
      title: n.title,
      body: n.body ?? null,
      link: n.link,
      client_id: n.clientId ?? null,
      entity: n.entity ?? null,
      entity_id: n.entityId ?? null,
      created_at: nowIso(),
      read_at: null,
    }));
  if (rows.length > 0) {
    await db.insertInto('notifications').values(rows).execute();
  }
}
