import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { loadDemoFirm } from './demo.js';
import { loadNotificationsDemo } from './demo-notifications.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: demo notifications and digests`, () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      await loadDemoFirm(database.db, { password: 'listen to the client' });
      // The demo command may already load them; otherwise load them here, as the demo does.
      if (!(await database.db.selectFrom('email_outbox').select('id').executeTakeFirst())) {
        await loadNotificationsDemo(database.db);
      }
    }, 180_000);
    afterAll(async () => database?.drop());

    it('should have notifications, some read and some not, and pending digests at demo addresses only', async () => {
      const { db } = database;
      const notifications = await db.selectFrom('notifications').select(['kind', 'read_at']).execute();
      expect(notifications.length).toBeGreaterThan(0);
      expect(notifications.some((n) => n.read_at === null)).toBe(true);
      expect(new Set(notifications.map((n) => n.kind))).toContain('action.assigned');
      const outbox = await db.selectFrom('email_outbox').select(['status', 'to_address', 'kind']).execute();
      expect(outbox.length).toBeGreaterThan(0);
      expect(outbox.every((o) => o.status === 'pending' && o.kind === 'digest' && o.to_address.endsWith('.example'))).toBe(true);
    });
  });
}
