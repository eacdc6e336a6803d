import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { INSIGHT_TYPES, type Role } from '../db/schema.js';
import { loadDemoFirm } from './demo.js';
import { DEMO_CLIENTS, DEMO_USERS, demoUserEmail } from './demo-firm.js';
import { loadInsightsDemo } from './demo-insights.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: demo insights`, () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const { db } = database;
      await loadDemoFirm(db, { password: 'listen to the client' });
      // The demo command may already load them; otherwise load them here, as the demo does.
      const existing = await db.selectFrom('insights').select('id').executeTakeFirst();
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
        const result = await loadInsightsDemo(db, users, clientIds);
        expect(result.promoted).toBeGreaterThan(0);
      }
    }, 120_000);
    afterAll(async () => database?.drop());

    it('should file insights under every top-level theme and of every type, from sessions and from calls and meetings', async () => {
      const { db } = database;
      const insights = await db.selectFrom('insights').selectAll().execute();
      expect(new Set(insights.map((i) => i.type))).toEqual(new Set(INSIGHT_TYPES));
      expect(insights.some((i) => i.source === 'session' && i.remark_id)).toBe(true);
      expect(insights.some((i) => i.source === 'call')).toBe(true);
      expect(insights.some((i) => i.source === 'meeting')).toBe(true);
      const used = await db
        .selectFrom('insight_themes')
        .innerJoin('themes', 'themes.id', 'insight_themes.theme_id')
        .select((eb) => eb.fn.coalesce('themes.parent_id', 'themes.id').as('top'))
        .execute();
      const topLevel = await db.selectFrom('themes').select('id').where('parent_id', 'is', null).execute();
      expect(new Set(used.map((u) => u.top))).toEqual(new Set(topLevel.map((t) => t.id)));
    });

    it('should keep the confidentiality of every promoted remark', async () => {
      const rows = await database.db
        .selectFrom('insights')
        .innerJoin('session_remarks', 'session_remarks.id', 'insights.remark_id')
        .select(['insights.confidentiality as insight', 'session_remarks.confidentiality as remark', 'insights.quote', 'session_remarks.text'])
        .execute();
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.some((r) => r.remark === 'programme_only')).toBe(true);
      for (const r of rows) {
        expect(r.insight).toBe(r.remark);
        expect(r.quote).toBe(r.text);
      }
    });
  });
}
