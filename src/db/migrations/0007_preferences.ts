import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { columnTypes } from './columns.js';

/**
 * Client preferences: what a client (or one of its contacts) wants, in their own words, with an
 * optional structured rule the guardrail checks apply; each change kept in a history; the
 * personal calendar feed tokens (reports due, as an ICS subscription); and the age after which
 * a preference is "ask again" (setting `preferences.stale_after_days`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('preferences')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    // null: the client as a whole; else one contact's preference.
    .addColumn('contact_id', t.id, (c) => c.references('contacts.id').onDelete('cascade'))
    .addColumn('category', 'text', (c) => c.notNull())
    // The client's own words.
    .addColumn('statement', 'text', (c) => c.notNull())
    // JSON: a PreferenceRule (src/preferences/rules.ts), or null for a statement only.
    .addColumn('rule', 'text')
    // session | check_in | person | other
    .addColumn('source', 'text', (c) => c.notNull())
    // Plain ids (no foreign key): the preference outlives the session or check-in it came from.
    .addColumn('session_id', t.id)
    .addColumn('check_in_id', t.id)
    .addColumn('source_person', 'text')
    .addColumn('learned_on', t.date, (c) => c.notNull())
    .addColumn('last_confirmed_on', t.date, (c) => c.notNull())
    .addColumn('created_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('archived', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
    .execute();
  await db.schema.createIndex('preferences_client_idx').on('preferences').columns(['client_id', 'archived', 'category']).execute();
  await db.schema.createIndex('preferences_contact_idx').on('preferences').columns(['contact_id']).execute();
  await db.schema.createIndex('preferences_confirmed_idx').on('preferences').columns(['archived', 'last_confirmed_on']).execute();

  await db.schema
    .createTable('preference_history')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('preference_id', t.id, (c) => c.notNull().references('preferences.id').onDelete('cascade'))
    .addColumn('changed_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('changed_at', t.timestamp, (c) => c.notNull())
    // created | updated | confirmed | archived | restored
    .addColumn('change', 'text', (c) => c.notNull())
    // JSON snapshots of the preference before and after the change (null before creation).
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await db.schema.createIndex('preference_history_preference_idx').on('preference_history').columns(['preference_id', 'changed_at']).execute();

  await db.schema
    .createTable('calendar_feed_tokens')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    // SHA-256 of the secret; the secret itself is shown once and never stored.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('revoked_at', t.timestamp)
    .execute();
  await db.schema.createIndex('calendar_feed_tokens_user_idx').on('calendar_feed_tokens').columns(['user_id']).execute();

  const now = '2026-01-01T00:00:00.000Z';
  await sql`insert into settings (key, value, updated_at) values (${'preferences.stale_after_days'}, ${JSON.stringify(365)}, ${now})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from settings where key = 'preferences.stale_after_days'`.execute(db);
  await db.schema.dropTable('calendar_feed_tokens').execute();
  await db.schema.dropTable('preference_history').execute();
  await db.schema.dropTable('preferences').execute();
}
