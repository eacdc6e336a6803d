import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { toBool } from '../db/values.js';
import { loadDemoFirm } from './demo.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: demo recovery checks`, () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      await loadDemoFirm(database.db, { password: 'listen to the client' });
    }, 180_000);
    afterAll(async () => database?.drop());

    it('should hold a scheduled recovery check and one answered fixed, each on a concern whose actions are all closed', async () => {
      const { db } = database;
      const checks = await db
        .selectFrom('recovery_checks')
        .innerJoin('insights', 'insights.id', 'recovery_checks.insight_id')
        .select(['recovery_checks.status', 'recovery_checks.fixed', 'recovery_checks.check_in_id', 'insights.type', 'insights.id as insight_id'])
        .execute();
      expect(checks.map((c) => c.status).sort()).toEqual(['done', 'scheduled']);
      const done = checks.find((c) => c.status === 'done');
      expect(done?.fixed === null || done?.fixed === undefined ? null : toBool(done.fixed)).toBe(true);
      expect(done?.check_in_id).toBeTruthy();
      for (const c of checks) {
        expect(c.type).toBe('concern');
        const open = await db
          .selectFrom('actions')
          .select('id')
          .where('insight_id', '=', c.insight_id)
          .where('status', 'in', ['open', 'in_progress'])
          .execute();
        expect(open).toEqual([]);
      }
    });
  });
}
