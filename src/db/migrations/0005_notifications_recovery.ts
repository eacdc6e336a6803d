import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { columnTypes } from './columns.js';

/**
 * Closing the loop with the client and with the firm's own people:
 * - recovery checks: once every action born from a concern is closed, a check-in is due that asks
 *   the client whether it is now fixed; the answer is recorded against the concern;
 * - the in-app notification centre (one row per user and event);
 * - the digest email per user (daily, weekly or off) and the outbox that sends it: one row per
 *   user and period, so a digest is written once, retried until sent, and never sent twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('recovery_checks')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('insight_id', t.id, (c) => c.notNull().references('insights.id').onDelete('cascade'))
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    // Who should ask: the relationship partner, else whoever closed the last action.
    .addColumn('owner_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('due_on', t.date, (c) => c.notNull())
    // scheduled → done (answered by a check-in) | cancelled (an action was reopened).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('check_in_id', t.id, (c) => c.references('check_ins.id').onDelete('set null'))
    .addColumn('fixed', t.bool)
    .addColumn('answer', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('closed_at', t.timestamp)
    .execute();
  await db.schema.createIndex('recovery_checks_insight_idx').on('recovery_checks').columns(['insight_id', 'status']).execute();
  await db.schema.createIndex('recovery_checks_due_idx').on('recovery_checks').columns(['status', 'due_on']).execute();
  await db.schema.createIndex('recovery_checks_owner_idx').on('recovery_checks').columns(['owner_id', 'status']).execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    // e.g. action.assigned, action.escalated, action.comment, nomination.awaiting, recovery.due
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    // The web app path it opens, e.g. /actions/01J….
    .addColumn('link', 'text', (c) => c.notNull())
    // The client it is about: a notification is shown only while its reader may see the client.
    .addColumn('client_id', t.id, (c) => c.references('clients.id').onDelete('cascade'))
    .addColumn('entity', 'text')
    .addColumn('entity_id', t.id)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('read_at', t.timestamp)
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'created_at']).execute();

  // daily | weekly | off; weekly unless a user chooses otherwise.
  await db.schema
    .alterTable('users')
    .addColumn('digest_frequency', 'text', (c) => c.notNull().defaultTo('weekly'))
    .execute();

  await db.schema
    .createTable('email_outbox')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // The period it covers (2026-11-23 for a daily digest, 2026-W48 for a weekly one).
    .addColumn('period_key', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    // pending → sent | failed (gave up after the last retry; kept for an admin to see).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('sent_at', t.timestamp)
    .addUniqueConstraint('email_outbox_period_unique', ['user_id', 'kind', 'period_key'])
    .execute();
  await db.schema.createIndex('email_outbox_due_idx').on('email_outbox').columns(['status', 'next_attempt_at']).execute();

  const now = '2026-01-01T00:00:00.000Z';
  const defaults: Record<string, unknown> = {
    // Days after the last action on a concern closes before the client is asked if it is fixed.
    'loop.recovery_after_days': 14,
    // When digests go out: the hour (UTC) and, for weekly digests, the ISO weekday (1 = Monday).
    'digest.hour_utc': 7,
    'digest.weekly_day': 1,
  };
  for (const [key, value] of Object.entries(defaults)) {
    await sql`insert into settings (key, value, updated_at) values (${key}, ${JSON.stringify(value)}, ${now})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from settings where key in ('loop.recovery_after_days', 'digest.hour_utc', 'digest.weekly_day')`.execute(db);
  for (const table of ['email_outbox', 'notifications', 'recovery_checks']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('users').dropColumn('digest_frequency').execute();
}
