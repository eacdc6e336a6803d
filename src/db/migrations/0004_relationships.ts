import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { columnTypes } from './columns.js';

/**
 * Relationship management: check-in cadences (per client and per key contact), the check-in
 * log, problems with their resolution, and referrals (insights and actions link to check-ins and
 * problems through the plain id columns 0003 gave them). Seeds the default cadences.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  // A client's own cadence (contact_id null) or one key contact's. Without a row, the firm's
  // defaults by key-client flag apply (settings `cadence.*`).
  await db.schema
    .createTable('cadences')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('contact_id', t.id, (c) => c.references('contacts.id').onDelete('cascade'))
    .addColumn('ideal_days', 'integer', (c) => c.notNull())
    .addColumn('max_days', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cadences_client_idx').on('cadences').columns(['client_id', 'contact_id']).execute();

  await db.schema
    .createTable('check_ins')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('contact_id', t.id, (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('held_on', t.date, (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('held_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    // The two questions that matter.
    .addColumn('likes', 'text')
    .addColumn('one_thing_better', 'text')
    .addColumn('notes', 'text')
    // A recovery check asks whether a concern is now fixed, and records the answer against it.
    .addColumn('recovery_for_insight_id', t.id, (c) => c.references('insights.id').onDelete('set null'))
    .addColumn('recovery_fixed', t.bool)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('check_ins_client_idx').on('check_ins').columns(['client_id', 'held_on']).execute();
  await db.schema.createIndex('check_ins_contact_idx').on('check_ins').columns(['contact_id', 'held_on']).execute();

  await db.schema
    .createTable('problems')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('reported_on', t.date, (c) => c.notNull())
    .addColumn('reported_by_contact_id', t.id, (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('recorded_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('owner_id', t.id, (c) => c.references('users.id'))
    .addColumn('matter_id', t.id, (c) => c.references('matters.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text')
    .addColumn('resolved_on', t.date)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('problems_client_idx').on('problems').columns(['client_id', 'status']).execute();
  await db.schema.createIndex('problems_owner_idx').on('problems').columns(['owner_id', 'status']).execute();

  await db.schema
    .createTable('referrals')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('referrer_client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('referred_by_contact_id', t.id, (c) => c.references('contacts.id').onDelete('set null'))
    // The prospect as a client record when there is one, else just its name.
    .addColumn('prospect_client_id', t.id, (c) => c.references('clients.id').onDelete('set null'))
    .addColumn('prospect_name', 'text', (c) => c.notNull())
    .addColumn('referred_on', t.date, (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('outcome_on', t.date)
    .addColumn('notes', 'text')
    .addColumn('recorded_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('referrals_referrer_idx').on('referrals').columns(['referrer_client_id', 'referred_on']).execute();

  const now = '2026-01-01T00:00:00.000Z';
  const defaults: Record<string, unknown> = {
    // Days between check-ins: ideally, and at most, for key clients and for the others.
    'cadence.key_client': { idealDays: 30, maxDays: 60 },
    'cadence.other_client': { idealDays: 90, maxDays: 180 },
  };
  for (const [key, value] of Object.entries(defaults)) {
    await sql`insert into settings (key, value, updated_at) values (${key}, ${JSON.stringify(value)}, ${now})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from settings where key in ('cadence.key_client', 'cadence.other_client')`.execute(db);
  for (const table of ['referrals', 'problems', 'check_ins', 'cadences']) {
    await db.schema.dropTable(table).execute();
  }
}
