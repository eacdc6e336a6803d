import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { systemContext } from '../server/context.js';
import { buildInsight } from './testing.js';

interface Node {
  id: string;
  name: string;
  parentId: string | null;
  position: number;
  archived: boolean;
  inUse: boolean;
  children: Node[];
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: themes API`, () => {
    let t: TestApp;
    let lead: Caller;
    let admin: Caller;
    let partner: Caller;
    let external: Caller;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      lead = await signIn(t.app, (await buildUser(t, 'programme_lead')).email);
      admin = await signIn(t.app, (await buildUser(t, 'admin')).email);
      partner = await signIn(t.app, (await buildUser(t, 'partner')).email);
      external = await signIn(t.app, (await buildUser(t, 'external')).email);
    });
    afterAll(async () => t?.close());

    const auditFor = (entityId: string) => t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();
    const tree = async (caller: Caller, query = '') => (await caller.get(`/api/v1/themes${query}`)).json().items as Node[];

    describe('GET /api/v1/themes', () => {
      it('should require sign-in and refuse externals', async () => {
        expect((await anonymous(t.app).get('/api/v1/themes')).statusCode).toBe(401);
        expect((await external.get('/api/v1/themes')).statusCode).toBe(403);
        expect((await partner.get('/api/v1/themes?active=maybe')).statusCode).toBe(400);
      });

      it('should list the seeded taxonomy as a two-level tree in position order', async () => {
        const items = await tree(partner);
        expect(items.map((n) => n.name).slice(0, 3)).toEqual(['Responsiveness', 'Communication', 'Billing and value']);
        expect(items.every((n) => n.parentId === null)).toBe(true);
        const billing = items.find((n) => n.name === 'Billing and value') as Node;
        expect(billing.children.map((c) => c.name)).toEqual(['Fee predictability', 'Invoice accuracy', 'Billing guidelines', 'Value for money']);
        expect(billing.children.every((c) => c.parentId === billing.id && c.children === undefined)).toBe(true);
      });
    });

    describe('POST /api/v1/themes', () => {
      it('should require sign-in', async () => {
        expect((await anonymous(t.app).post('/api/v1/themes', { name: 'X' })).statusCode).toBe(401);
      });

      it('should name each bad field', async () => {
        const sub = (await tree(lead))[0]?.children[0] as Node;
        const cases: [Record<string, unknown>, string][] = [
          [{}, 'name'],
          [{ name: '  ' }, 'name'],
          [{ name: 'x'.repeat(121) }, 'name'],
          [{ name: 'Ok', colour: 'red' }, 'colour'],
          [{ name: 'Ok', parentId: 'nope' }, 'parentId'],
          [{ name: 'Ok', parentId: sub.id }, 'parentId'],
        ];
        for (const [body, field] of cases) {
          const res = await lead.post('/api/v1/themes', body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.json().errors[0].field, JSON.stringify(body)).toBe(field);
        }
      });

      it('should refuse roles that may not manage themes', async () => {
        expect((await partner.post('/api/v1/themes', { name: 'Partner theme' })).statusCode).toBe(403);
        expect((await external.post('/api/v1/themes', { name: 'External theme' })).statusCode).toBe(403);
      });

      it('should refuse a name already used among its siblings (any case), but allow it elsewhere', async () => {
        const res = await lead.post('/api/v1/themes', { name: 'communication' });
        expect(res.statusCode).toBe(409);
        expect(res.json().errors[0].field).toBe('name');
        const parent = (await tree(lead)).find((n) => n.name === 'Innovation') as Node;
        expect((await lead.post('/api/v1/themes', { name: 'Communication', parentId: parent.id })).statusCode).toBe(201);
      });

      it('should add a top-level theme last and a sub-theme under its parent, and audit both', async () => {
        const res = await admin.post('/api/v1/themes', { name: 'Diversity', description: 'Who the firm puts forward' });
        expect(res.statusCode).toBe(201);
        const theme = res.json() as Node;
        const items = await tree(lead);
        expect(items[items.length - 1]?.id).toBe(theme.id);
        const child = (await lead.post('/api/v1/themes', { name: 'Team diversity', parentId: theme.id })).json() as Node;
        expect(child).toMatchObject({ parentId: theme.id, position: 0, archived: false, inUse: false });
        const audit = await auditFor(theme.id);
        expect(audit[0]).toMatchObject({ action: 'theme.create', entity: 'theme' });
        expect(JSON.parse(audit[0]?.changes ?? '{}').name).toEqual([null, 'Diversity']);
      });
    });

    describe('PATCH and DELETE /api/v1/themes/:id', () => {
      it('should run the ladder: 401, 400, 403, 404, 409', async () => {
        const theme = (await lead.post('/api/v1/themes', { name: 'Ladder theme' })).json() as Node;
        expect((await anonymous(t.app).patch(`/api/v1/themes/${theme.id}`, { name: 'X' })).statusCode).toBe(401);
        for (const [body, field] of [
          [{ name: '' }, 'name'],
          [{ position: -1 }, 'position'],
          [{ archived: 'yes' }, 'archived'],
          [{ parentId: null }, 'parentId'],
        ] as [Record<string, unknown>, string][]) {
          const res = await lead.patch(`/api/v1/themes/${theme.id}`, body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.json().errors[0].field).toBe(field);
        }
        expect((await partner.patch(`/api/v1/themes/${theme.id}`, { name: 'Mine' })).statusCode).toBe(403);
        expect((await partner.delete(`/api/v1/themes/${theme.id}`)).statusCode).toBe(403);
        expect((await lead.patch('/api/v1/themes/019a0000-0000-7000-8000-999999999999', { name: 'Gone' })).statusCode).toBe(404);
        expect((await lead.delete('/api/v1/themes/019a0000-0000-7000-8000-999999999999')).statusCode).toBe(404);
        expect((await lead.patch(`/api/v1/themes/${theme.id}`, { name: 'Expertise' })).statusCode).toBe(409);
      });

      it('should rename, reorder and archive, audit the change, and leave archived themes out of pickers', async () => {
        const theme = (await lead.post('/api/v1/themes', { name: 'Old name' })).json() as Node;
        const res = await lead.patch(`/api/v1/themes/${theme.id}`, { name: 'New name', position: 0, archived: true });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ name: 'New name', position: 0, archived: true });
        const audit = await auditFor(theme.id);
        expect(audit.map((a) => a.action)).toEqual(['theme.create', 'theme.update']);
        expect(JSON.parse(audit[1]?.changes ?? '{}')).toMatchObject({ name: ['Old name', 'New name'], archived: [false, true] });
        expect((await tree(lead)).find((n) => n.id === theme.id)?.archived).toBe(true);
        expect((await tree(lead, '?active=true')).find((n) => n.id === theme.id)).toBeUndefined();
      });

      it('should delete an unused theme with its sub-themes, and refuse to delete a used one', async () => {
        const unused = (await lead.post('/api/v1/themes', { name: 'Unused' })).json() as Node;
        await lead.post('/api/v1/themes', { name: 'Unused child', parentId: unused.id });
        expect((await lead.delete(`/api/v1/themes/${unused.id}`)).statusCode).toBe(204);
        expect((await tree(lead)).find((n) => n.id === unused.id)).toBeUndefined();
        expect((await auditFor(unused.id)).map((a) => a.action)).toContain('theme.delete');

        const used = (await lead.post('/api/v1/themes', { name: 'Used' })).json() as Node;
        const usedChild = (await lead.post('/api/v1/themes', { name: 'Used child', parentId: used.id })).json() as Node;
        const ctx = systemContext(t.database.db, 'test');
        const { client } = await buildClientWithTeam(ctx);
        await buildInsight(ctx, { clientId: client.id, themeIds: [usedChild.id] });
        const res = await lead.delete(`/api/v1/themes/${used.id}`);
        expect(res.statusCode).toBe(409);
        expect((await lead.delete(`/api/v1/themes/${usedChild.id}`)).statusCode).toBe(409);
        expect((await tree(lead)).find((n) => n.id === used.id)?.children[0]?.inUse).toBe(true);
      });
    });
  });
}
