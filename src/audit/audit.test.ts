import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: audit log API`, () => {
    let t: TestApp;
    let admin: Caller;
    let adminId: string;
    let clientId: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const a = await buildUser(t, 'admin');
      adminId = a.id;
      admin = await signIn(t.app, a.email);
      clientId = (await admin.post('/api/v1/clients', { name: 'Audited Ltd' })).json().id;
      await admin.patch(`/api/v1/clients/${clientId}`, { industry: 'Energy' });
      await admin.post(`/api/v1/clients/${clientId}/contacts`, { name: 'Cara Contact' });
    });
    afterAll(async () => t?.close());

    it('should list newest first with what changed, and filter by action prefix and client', async () => {
      const page = (await admin.get(`/api/v1/audit?clientId=${clientId}`)).json();
      expect(page.items.map((e: { action: string }) => e.action)).toEqual(['contact.create', 'client.update', 'client.create']);
      expect(page.items[1]).toMatchObject({ actorId: adminId, entity: 'client', entityId: clientId, changes: { industry: [null, 'Energy'] } });
      const clientOnly = (await admin.get(`/api/v1/audit?clientId=${clientId}&action=client.`)).json();
      expect(clientOnly.items.map((e: { action: string }) => e.action)).toEqual(['client.update', 'client.create']);
      const exact = (await admin.get(`/api/v1/audit?clientId=${clientId}&action=client.update`)).json();
      expect(exact.items).toHaveLength(1);
    });

    it('should page with a cursor', async () => {
      const first = (await admin.get(`/api/v1/audit?clientId=${clientId}&limit=2`)).json();
      const second = (await admin.get(`/api/v1/audit?clientId=${clientId}&limit=2&cursor=${first.nextCursor}`)).json();
      expect([...first.items, ...second.items].map((e: { action: string }) => e.action)).toEqual(['contact.create', 'client.update', 'client.create']);
    });

    it('should filter by date and refuse a reversed range naming the field', async () => {
      const today = new Date().toISOString().slice(0, 10);
      expect((await admin.get(`/api/v1/audit?clientId=${clientId}&from=${today}&to=${today}`)).json().items).toHaveLength(3);
      expect((await admin.get(`/api/v1/audit?clientId=${clientId}&to=2000-01-01`)).json().items).toHaveLength(0);
      const bad = await admin.get('/api/v1/audit?from=2025-02-01&to=2025-01-01');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].field).toBe('to');
      expect((await admin.get('/api/v1/audit?from=yesterday')).json().errors[0].field).toBe('from');
    });

    it('should export the same rows as CSV', async () => {
      const res = await admin.get(`/api/v1/audit.csv?clientId=${clientId}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      expect(res.headers['content-disposition']).toContain('attachment');
      const rows = parse(res.body, { columns: true }) as Record<string, string>[];
      expect(rows.map((r) => r.action)).toEqual(['contact.create', 'client.update', 'client.create']);
      expect(JSON.parse(rows[1]?.changes ?? '{}')).toEqual({ industry: [null, 'Energy'] });
    });

    it('should be for admins only', async () => {
      const partner = await signIn(t.app, (await buildUser(t, 'partner')).email);
      expect((await partner.get('/api/v1/audit')).statusCode).toBe(403);
      expect((await partner.get('/api/v1/audit.csv')).statusCode).toBe(403);
    });
  });
}
