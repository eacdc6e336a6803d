import { NO_MIGRATIONS, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { migrateToLatest, migrator } from './migrate.js';

async function tableNames(database: TestDatabase): Promise<string[]> {
  const rows =
    database.dialect === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(database.db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(database.db);
  return rows.rows
    .map((r) => r.name)
    .filter((n) => !n.startsWith('kysely_'))
    .sort();
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: migrations`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(async () => database?.drop());

    it('should go all the way down and up again', async () => {
      const up = await tableNames(database);
      expect(up).toContain('clients');
      expect(up).toContain('audit_log');
      const { error } = await migrator(database.db).migrateTo(NO_MIGRATIONS);
      expect(error).toBeUndefined();
      expect(await tableNames(database)).toEqual([]);
      await migrateToLatest(database.db);
      expect(await tableNames(database)).toEqual(up);
    });

    it('should be a no-op when already up to date', async () => {
      expect(await migrateToLatest(database.db)).toEqual([]);
    });

    if (dialect === 'sqlite') {
      it('should run SQLite with WAL and foreign keys on', async () => {
        expect(database.sqlite?.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(database.sqlite?.pragma('foreign_keys', { simple: true })).toBe(1);
      });
    }
  });
}
