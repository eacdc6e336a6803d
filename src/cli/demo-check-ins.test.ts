import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import type { Role } from '../db/schema.js';
import { listDue } from '../relationships/check-ins.js';
import { loadDemoFirm } from './demo.js';
import { loadCheckInsDemo } from './demo-check-ins.js';
import { DEMO_CLIENTS, DEMO_USERS, demoUserEmail } from './demo-firm.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: demo check-ins`, () => {
    let database: TestDatabase;
    const users = new Map<string, { id: string; role: Role; name: string; email: string }>();

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const { db } = database;
      await loadDemoFirm(db, { password: 'listen to the client' });
      for (const u of DEMO_USERS) {
        users.set(u.key, await db.selectFrom('users').select(['id', 'role', 'name', 'email']).where('email', '=', demoUserEmail(u)).executeTakeFirstOrThrow());
      }
      // The demo command may already load them; otherwise load them here, as the demo does.
      if (!(await db.selectFrom('check_ins').select('id').executeTakeFirst())) {
        const clientIds = new Map<string, string>();
        for (const c of DEMO_CLIENTS) {
          clientIds.set(c.key, (await db.selectFrom('clients').select('id').where('name', '=', c.name).executeTakeFirstOrThrow()).id);
        }
        const result = await loadCheckInsDemo(db, users, clientIds);
        expect(result.actions).toBe(1);
      }
    }, 180_000);
    afterAll(async () => database?.drop());

    it('should leave the losing-touch list with amber and red entries, and an action born from a check-in', async () => {
      const lead = users.get('olivia.grant');
      if (!lead) {
        throw new Error('demo lead missing');
      }
      const due = await listDue({ db: database.db, actor: { id: lead.id, role: lead.role, name: lead.name, email: lead.email } }, { all: true });
      expect(new Set(due.items.map((i) => i.status))).toEqual(new Set(['amber', 'red']));
      const linked = await database.db.selectFrom('actions').select('id').where('check_in_id', 'is not', null).execute();
      expect(linked.length).toBeGreaterThan(0);
    });
  });
}
