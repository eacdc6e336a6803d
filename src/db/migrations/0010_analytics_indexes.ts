import type { Kysely } from 'kysely';

/**
 * Covering indexes for the firm-wide analytics (issue 6, scale: each endpoint under 200 ms on a
 * firm of 300,000 actions and 500,000 insights). Each index holds every column its query reads,
 * so the query scans the index alone, never the wide table rows.
 *
 * Closing the loop (src/analytics/loop-queries.ts):
 * - `actions_loop_idx`: actions by owner and client (the loop's buckets), with the dates and
 *   status its rules read and the id the drill-down lists;
 * - `insights_unactioned_idx`: concerns and risks by date, with the client and the two columns
 *   the insight rule reads (confidentiality, recorded_by);
 * - `problems_loop_idx`: problems by owner and client, with their dates and status.
 *
 * Retention (src/analytics/retention-service.ts):
 * - `actions_insight_outcome_idx`: actions by the insight they follow up, with the status that
 *   decides an opportunity's outcome and the two columns the action rule reads (client, owner);
 *   opportunities themselves are read through `insights_unactioned_idx` (type, date).
 *
 * Participation (src/analytics/participation-service.ts, through latestNps in
 * src/listening/programmes.ts):
 * - `listening_sessions_nps_idx`: held sessions with an NPS answer, with the client and the two
 *   dates that choose each client's latest reading.
 */
const INDEXES: { name: string; table: string; columns: string[] }[] = [
  { name: 'actions_loop_idx', table: 'actions', columns: ['owner_id', 'client_id', 'created_at', 'status', 'due_on', 'closed_at', 'id'] },
  { name: 'insights_unactioned_idx', table: 'insights', columns: ['type', 'heard_on', 'client_id', 'confidentiality', 'recorded_by', 'id'] },
  { name: 'problems_loop_idx', table: 'problems', columns: ['owner_id', 'client_id', 'reported_on', 'status', 'resolved_on', 'id'] },
  { name: 'actions_insight_outcome_idx', table: 'actions', columns: ['insight_id', 'status', 'client_id', 'owner_id'] },
  {
    name: 'listening_sessions_nps_idx',
    table: 'listening_sessions',
    columns: ['status', 'nps', 'client_id', 'completed_at', 'starts_at', 'id'],
  },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of INDEXES) {
    await db.schema.createIndex(index.name).on(index.table).columns(index.columns).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of [...INDEXES].reverse()) {
    await db.schema.dropIndex(index.name).execute();
  }
}
