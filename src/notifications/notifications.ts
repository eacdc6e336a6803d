import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import { decodeCursor, toPage } from '../db/pagination.js';
import type { Database, DigestFrequency, NotificationTable } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { visibleClients } from '../http/access.js';
import { NotFoundError, UnauthorizedError, ValidationError } from '../http/errors.js';
import type { Actor, ServiceContext } from '../server/context.js';
import type { NotificationKind } from './notify.js';
import type { DigestPreference, DigestPutBody, Notification, NotificationListQuery, NotificationPage } from './schemas.js';

type NotificationRow = Selectable<NotificationTable>;

function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    title: row.title,
    body: row.body,
    link: row.link,
    clientId: row.client_id,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

function signedIn(actor: Actor): string {
  if (!actor.id) {
    throw new UnauthorizedError();
  }
  return actor.id;
}

/**
 * The reader's own notifications that they may still see: about no client, or about a client
 * visible to them now (an ethical wall raised since hides it). Applied inside the SQL, so the
 * unread count never counts what the list would not show.
 */
export function visibleNotifications(actor: Actor, userId: string) {
  return (eb: ExpressionBuilder<Database, 'notifications'>) =>
    eb.and([
      eb('notifications.user_id', '=', userId),
      eb.or([
        eb('notifications.client_id', 'is', null),
        eb.exists(
          eb
            .selectFrom('clients')
            .select(sql.lit(1).as('one'))
            .whereRef('clients.id', '=', 'notifications.client_id')
            .where((c) => visibleClients(actor)(c as unknown as ExpressionBuilder<Database, 'clients'>)),
        ),
      ]),
    ]);
}

/** Unread notifications the user may see (for the bell and the digest). */
export async function countUnread(db: Db, actor: Actor): Promise<number> {
  const userId = signedIn(actor);
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(visibleNotifications(actor, userId))
    .where('notifications.read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The signed-in user's notifications, newest first, with the unread count. */
export async function listNotifications(ctx: ServiceContext, query: NotificationListQuery): Promise<NotificationPage> {
  const userId = signedIn(ctx.actor);
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after && typeof after.value !== 'string') {
    throw new ValidationError('cursor', 'is not a cursor this list returned');
  }
  const rows = await ctx.db
    .selectFrom('notifications')
    .selectAll('notifications')
    .where(visibleNotifications(ctx.actor, userId))
    .$if(query.unread === true, (qb) => qb.where('notifications.read_at', 'is', null))
    .$if(!!after, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb('notifications.created_at', '<', String(after?.value)),
          eb.and([eb('notifications.created_at', '=', String(after?.value)), eb('notifications.id', '<', after?.id ?? '')]),
        ]),
      ),
    )
    .orderBy('notifications.created_at', 'desc')
    .orderBy('notifications.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = toPage(rows, query.limit, (r) => r.created_at, toNotification);
  const counted = await ctx.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(visibleNotifications(ctx.actor, userId))
    .$if(query.unread === true, (qb) => qb.where('notifications.read_at', 'is', null))
    .executeTakeFirstOrThrow();
  return { items: page.items, nextCursor: page.nextCursor, total: Number(counted.n), unreadCount: await countUnread(ctx.db, ctx.actor) };
}

/** Marks one of the user's notifications read (idempotent). One they cannot see does not exist for them. */
export async function markRead(ctx: ServiceContext, id: string): Promise<Notification> {
  const userId = signedIn(ctx.actor);
  const row = await ctx.db
    .selectFrom('notifications')
    .selectAll('notifications')
    .where('notifications.id', '=', id)
    .where(visibleNotifications(ctx.actor, userId))
    .executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Notification');
  }
  if (row.read_at) {
    return toNotification(row);
  }
  const readAt = nowIso();
  await ctx.db.updateTable('notifications').set({ read_at: readAt }).where('id', '=', id).where('read_at', 'is', null).execute();
  return toNotification({ ...row, read_at: readAt });
}

/** Marks every unread notification the user may see as read; returns how many. */
export async function markAllRead(ctx: ServiceContext): Promise<{ marked: number }> {
  const userId = signedIn(ctx.actor);
  const readAt = nowIso();
  const result = await ctx.db
    .updateTable('notifications')
    .set({ read_at: readAt })
    .where(visibleNotifications(ctx.actor, userId))
    .where('notifications.read_at', 'is', null)
    .executeTakeFirst();
  return { marked: Number(result.numUpdatedRows) };
}

/** When digests go out (settings digest.hour_utc and digest.weekly_day). */
export async function readDigestSchedule(db: Db): Promise<{ hourUtc: number; weeklyDay: number }> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', ['digest.hour_utc', 'digest.weekly_day']).execute();
  const value = (key: string, min: number, max: number, fallback: number) => {
    const raw = rows.find((r) => r.key === key)?.value;
    let v: unknown;
    try {
      v = raw === undefined ? undefined : JSON.parse(raw);
    } catch {
      v = undefined;
    }
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fallback;
  };
  return { hourUtc: value('digest.hour_utc', 0, 23, 7), weeklyDay: value('digest.weekly_day', 1, 7, 1) };
}

export async function getDigestPreference(ctx: ServiceContext): Promise<DigestPreference> {
  const userId = signedIn(ctx.actor);
  const user = await ctx.db.selectFrom('users').select('digest_frequency').where('id', '=', userId).executeTakeFirst();
  if (!user) {
    throw new NotFoundError('User');
  }
  return { frequency: user.digest_frequency, ...(await readDigestSchedule(ctx.db)) };
}

/** The user chooses their digest: daily, weekly or off. Audited. */
export async function putDigestPreference(ctx: ServiceContext, input: DigestPutBody): Promise<DigestPreference> {
  const userId = signedIn(ctx.actor);
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('users').select('digest_frequency').where('id', '=', userId).executeTakeFirst();
    if (!before) {
      throw new NotFoundError('User');
    }
    const frequency: DigestFrequency = input.frequency;
    await trx.updateTable('users').set({ digest_frequency: frequency, updated_at: nowIso() }).where('id', '=', userId).execute();
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'user.digest', entity: 'user', entityId: userId, before: { digestFrequency: before.digest_frequency }, after: { digestFrequency: frequency } },
    );
  });
  return getDigestPreference(ctx);
}
