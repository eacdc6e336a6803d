import type { Kysely } from 'kysely';
import { columnTypes } from './columns.js';

/**
 * Client health history: one snapshot of each client's health score per day (taken by the
 * daily scheduler and `hearken health snapshot`), so the health endpoint can show the trend.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('health_snapshots')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('taken_on', t.date, (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    // healthy | watch | at_risk
    .addColumn('band', 'text', (c) => c.notNull())
    // JSON array of {kind, points, count, text, ids}: the reasons as computed firm-wide that day.
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('health_snapshots_client_day_unique', ['client_id', 'taken_on'])
    .execute();
  await db.schema.createIndex('health_snapshots_taken_on_idx').on('health_snapshots').columns(['taken_on']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('health_snapshots').execute();
}
