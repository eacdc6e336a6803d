import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { systemContext } from '../server/context.js';
import { getCadence } from './check-ins.js';

for (const dialect of DIALECTS) {
  describe(`firm-wide cadence defaults (${dialect})`, () => {
    let t: TestApp;
    let admin: Caller;
    let adminId: string;
    const url = '/api/v1/settings/cadence';
    const valid = { keyClient: { idealDays: 20, maxDays: 45 }, otherClient: { idealDays: 60, maxDays: 120 } };

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const a = await buildUser(t, 'admin');
      adminId = a.id;
      admin = await signIn(t.app, a.email);
    }, 60_000);
    afterAll(async () => t.close());

    it('should be read by admins, programme leads and management; 403 for others; 401 anonymous', async () => {
      expect((await anonymous(t.app).get(url)).statusCode).toBe(401);
      const member = await signIn(t.app, (await buildUser(t, 'member')).email);
      expect((await member.get(url)).statusCode).toBe(403);
      const management = await signIn(t.app, (await buildUser(t, 'management')).email);
      const res = await management.get(url);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ keyClient: { idealDays: 30, maxDays: 60 }, otherClient: { idealDays: 90, maxDays: 180 } });
    });

    it('should be changed by admins only, validated field by field, audited, and followed by clients without their own', async () => {
      const lead = await signIn(t.app, (await buildUser(t, 'programme_lead')).email);
      expect((await lead.put(url, valid)).statusCode).toBe(403);
      for (const [body, field] of [
        [{ ...valid, keyClient: { idealDays: 50, maxDays: 40 } }, 'keyClient.maxDays'],
        [{ ...valid, otherClient: { idealDays: 7.5, maxDays: 40 } }, 'otherClient.idealDays'],
        [{ ...valid, otherClient: { idealDays: 0, maxDays: 40 } }, 'otherClient.idealDays'],
        [{ ...valid, keyClient: { idealDays: 10, maxDays: 731 } }, 'keyClient.maxDays'],
        [{ keyClient: valid.keyClient }, 'otherClient'],
      ] as const) {
        const res = await admin.put(url, body);
        expect(res.statusCode, field).toBe(400);
        expect((res.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
      }
      const res = await admin.put(url, valid);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(valid);
      expect((await admin.get(url)).json()).toEqual(valid);
      const sys = systemContext(t.database.db);
      const key = await buildClientWithTeam(sys, { isKeyClient: true });
      const other = await buildClientWithTeam(sys, {});
      expect(await getCadence(sys, key.client.id)).toMatchObject({ idealDays: 20, maxDays: 45, source: 'default' });
      expect(await getCadence(sys, other.client.id)).toMatchObject({ idealDays: 60, maxDays: 120, source: 'default' });
      const audit = await t.database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'settings.cadence.update').execute();
      expect(audit).toEqual([{ action: 'settings.cadence.update', actor_id: adminId }]);
    });
  });
}
