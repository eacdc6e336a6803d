import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Db } from './connect.js';
import * as m0001 from './migrations/0001_firm_and_clients.js';
import * as m0002 from './migrations/0002_listening.js';
import * as m0003 from './migrations/0003_insights_actions.js';
import * as m0004 from './migrations/0004_relationships.js';
import * as m0005 from './migrations/0005_notifications_recovery.js';
import * as m0006 from './migrations/0006_search.js';
import * as m0007 from './migrations/0007_preferences.js';
import * as m0008 from './migrations/0008_health_snapshots.js';
import * as m0009 from './migrations/0009_analytics_cache.js';
import * as m0010 from './migrations/0010_analytics_indexes.js';
import * as m0011 from './migrations/0011_analytics_dirty_columns.js';

/** Every migration, in order. Listed explicitly so that the compiled build needs no file scan. */
const migrations: Record<string, Migration> = {
  '0001_firm_and_clients': m0001,
  '0002_listening': m0002,
  '0003_insights_actions': m0003,
  '0004_relationships': m0004,
  '0005_notifications_recovery': m0005,
  '0006_search': m0006,
  '0007_preferences': m0007,
  '0008_health_snapshots': m0008,
  '0009_analytics_cache': m0009,
  '0010_analytics_indexes': m0010,
  '0011_analytics_dirty_columns': m0011,
};

/** Migration names in order; the last is the schema version this build writes. */
export const MIGRATION_NAMES = Object.keys(migrations);

const provider: MigrationProvider = { getMigrations: async () => migrations };

export function migrator(db: Db): Migrator {
  return new Migrator({ db, provider });
}

/** Brings the schema up to date; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
