import type { Db } from '../db/connect.js';
import { notify } from './notify.js';

/**
 * Notifications raised where events happen, called inside the event's own transaction (so an
 * event and its notification are written together). The wording lives here, not in each domain.
 */

/** The web app path that opens an action (the actions page opens its drawer). */
export const actionLink = (actionId: string) => `/actions?action=${encodeURIComponent(actionId)}`;

async function clientName(db: Db, clientId: string): Promise<string> {
  const row = await db.selectFrom('clients').select('name').where('id', '=', clientId).executeTakeFirst();
  return row?.name ?? 'a client';
}

/** An action was given to someone (created for them, or its owner changed). */
export async function notifyActionAssigned(
  db: Db,
  action: { id: string; clientId: string; title: string; ownerId: string },
  actorId: string | null,
): Promise<void> {
  await notify(
    db,
    [
      {
        userId: action.ownerId,
        kind: 'action.assigned',
        title: `New action for ${await clientName(db, action.clientId)}: ${action.title}`,
        link: actionLink(action.id),
        clientId: action.clientId,
        entity: 'action',
        entityId: action.id,
      },
    ],
    actorId,
  );
}

/** An action nobody touched escalated to the programme lead. */
export async function notifyActionEscalated(db: Db, action: { id: string; clientId: string; title: string }, leadId: string): Promise<void> {
  await notify(
    db,
    [
      {
        userId: leadId,
        kind: 'action.escalated',
        title: `Escalated (untouched) for ${await clientName(db, action.clientId)}: ${action.title}`,
        link: actionLink(action.id),
        clientId: action.clientId,
        entity: 'action',
        entityId: action.id,
      },
    ],
    null,
  );
}

/** Someone commented on an action: its owner hears of it (unless they wrote it). */
export async function notifyActionComment(
  db: Db,
  action: { id: string; clientId: string; title: string; ownerId: string },
  comment: { authorName: string; body: string },
  actorId: string | null,
): Promise<void> {
  const body = comment.body.length > 200 ? `${comment.body.slice(0, 197)}…` : comment.body;
  await notify(
    db,
    [
      {
        userId: action.ownerId,
        kind: 'action.comment',
        title: `${comment.authorName} commented on: ${action.title}`,
        body,
        link: actionLink(action.id),
        clientId: action.clientId,
        entity: 'action',
        entityId: action.id,
      },
    ],
    actorId,
  );
}

/** A nomination waits for the partner's answer (proposed, or a reminder sent). */
export async function notifyNominationAwaiting(
  db: Db,
  nomination: { id: string; clientId: string; clientName: string; partnerId: string; reminder?: boolean },
  actorId: string | null,
): Promise<void> {
  await notify(
    db,
    [
      {
        userId: nomination.partnerId,
        kind: 'nomination.awaiting',
        title: nomination.reminder
          ? `Reminder: ${nomination.clientName} is waiting for your answer to a listening nomination`
          : `${nomination.clientName} has been nominated for a listening session: please answer`,
        link: '/nominations',
        clientId: nomination.clientId,
        entity: 'nomination',
        entityId: nomination.id,
      },
    ],
    actorId,
  );
}
