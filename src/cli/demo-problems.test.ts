import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { PROBLEM_STATUSES, REFERRAL_OUTCOMES, type Role } from '../db/schema.js';
import { loadDemoFirm } from './demo.js';
import { DEMO_CLIENTS, DEMO_USERS, demoUserEmail } from './demo-firm.js';
import { loadProblemsDemo } from './demo-problems.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: demo problems and referrals`, () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const { db } = database;
      await loadDemoFirm(db, { password: 'listen to the client' });
      // The demo command may already load them; otherwise load them here, as the demo does.
      const existing = await db.selectFrom('problems').select('id').executeTakeFirst();
      if (!existing) {
        const users = new Map<string, { id: string; role: Role; name: string; email: string }>();
        for (const u of DEMO_USERS) {
          const row = await db.selectFrom('users').select(['id', 'role', 'name', 'email']).where('email', '=', demoUserEmail(u)).executeTakeFirstOrThrow();
          users.set(u.key, row);
        }
        const clientIds = new Map<string, string>();
        for (const c of DEMO_CLIENTS) {
          clientIds.set(c.key, (await db.selectFrom('clients').select('id').where('name', '=', c.name).executeTakeFirstOrThrow()).id);
        }
        const result = await loadProblemsDemo(db, users, clientIds);
        expect(result.problems).toBeGreaterThan(0);
      }
    }, 180_000);
    afterAll(async () => database?.drop());

    it('should have problems in every state, with linked actions, and referrals with every outcome', async () => {
      const { db } = database;
      const problems = await db.selectFrom('problems').selectAll().execute();
      expect(new Set(problems.map((p) => p.status))).toEqual(new Set(PROBLEM_STATUSES));
      expect(problems.filter((p) => p.resolved_on !== null).every((p) => p.resolution)).toBe(true);
      const linked = await db.selectFrom('actions').select('id').where('problem_id', 'is not', null).execute();
      expect(linked.length).toBeGreaterThan(0);
      const referrals = await db.selectFrom('referrals').selectAll().execute();
      expect(new Set(referrals.map((r) => r.outcome))).toEqual(new Set(REFERRAL_OUTCOMES));
    });
  });
}
