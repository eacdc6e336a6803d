import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: clients API`, () => {
    let t: TestApp;
    let admin: Caller;
    let partner: Caller;
    let partnerId: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      admin = await signIn(t.app, (await buildUser(t, 'admin')).email);
      const p = await buildUser(t, 'partner', { name: 'Patricia Partner' });
      partnerId = p.id;
      partner = await signIn(t.app, p.email);
    });
    afterAll(async () => t?.close());

    const auditFor = (entityId: string) => t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();

    describe('POST /api/v1/clients', () => {
      it('should require sign-in', async () => {
        expect((await anonymous(t.app).post('/api/v1/clients', { name: 'X' })).statusCode).toBe(401);
      });

      it('should name each bad field and write nothing', async () => {
        const before = await t.database.db
          .selectFrom('clients')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const cases: [Record<string, unknown>, string][] = [
          [{}, 'name'],
          [{ name: '   ' }, 'name'],
          [{ name: 'x'.repeat(201) }, 'name'],
          [{ name: 'Acme', status: 'happy' }, 'status'],
          [{ name: 'Acme', annualFees: -5 }, 'annualFees'],
          [{ name: 'Acme', annualFees: '100' }, 'annualFees'],
          [{ name: 'Acme', isKeyClient: 'yes' }, 'isKeyClient'],
          [{ name: 'Acme', competitors: ['ok', ''] }, 'competitors.1'],
          [{ name: 'Acme', colour: 'red' }, 'colour'],
          [{ name: 'Acme', parentId: 'does-not-exist' }, 'parentId'],
          [{ name: 'Acme', wallMemberIds: ['x'] }, 'wallMemberIds'],
        ];
        for (const [body, field] of cases) {
          const res = await admin.post('/api/v1/clients', body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(res.json().errors[0].field, JSON.stringify(body)).toBe(field);
        }
        const after = await t.database.db
          .selectFrom('clients')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(after.n)).toBe(Number(before.n));
      });

      it('should refuse roles that may not create clients', async () => {
        const member = await signIn(t.app, (await buildUser(t, 'member')).email);
        expect((await member.post('/api/v1/clients', { name: 'Member Co' })).statusCode).toBe(403);
        const management = await signIn(t.app, (await buildUser(t, 'management')).email);
        expect((await management.post('/api/v1/clients', { name: 'Mgmt Co' })).statusCode).toBe(403);
      });

      it('should create a client, make the creating partner its relationship partner, and audit it', async () => {
        const res = await partner.post('/api/v1/clients', {
          name: 'Northwind Traders',
          status: 'active',
          industry: 'Retail',
          annualFees: 1250000,
          isKeyClient: true,
          competitors: ['Contoso'],
        });
        expect(res.statusCode).toBe(201);
        const client = res.json();
        expect(client).toMatchObject({
          name: 'Northwind Traders',
          isKeyClient: true,
          annualFees: 1250000,
          competitors: ['Contoso'],
          walled: false,
          abilities: { edit: true, delete: false, editContacts: true, deleteContacts: true, editMatters: true, editTeam: true },
        });
        expect(client.relationshipPartners).toEqual([{ id: partnerId, name: 'Patricia Partner' }]);
        const audit = await auditFor(client.id);
        expect(audit[0]).toMatchObject({ action: 'client.create', actor_id: partnerId, client_id: client.id });
        expect(JSON.parse(audit[0]?.changes ?? '{}').name).toEqual([null, 'Northwind Traders']);
      });
    });

    describe('PATCH /api/v1/clients/{id}', () => {
      it('should update fields and record before and after', async () => {
        const client = (await admin.post('/api/v1/clients', { name: 'Fabrikam' })).json();
        const res = await admin.patch(`/api/v1/clients/${client.id}`, { status: 'lapsed', industry: 'Manufacturing' });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ status: 'lapsed', industry: 'Manufacturing' });
        const update = (await auditFor(client.id)).find((a) => a.action === 'client.update');
        expect(JSON.parse(update?.changes ?? '{}')).toEqual({ status: ['active', 'lapsed'], industry: [null, 'Manufacturing'] });
      });

      it('should refuse a parent loop naming parentId', async () => {
        const parent = (await admin.post('/api/v1/clients', { name: 'Loop Parent' })).json();
        const child = (await admin.post('/api/v1/clients', { name: 'Loop Child', parentId: parent.id })).json();
        expect(child.parent).toEqual({ id: parent.id, name: 'Loop Parent' });
        const loop = await admin.patch(`/api/v1/clients/${parent.id}`, { parentId: child.id });
        expect(loop.statusCode).toBe(400);
        expect(loop.json().errors[0].field).toBe('parentId');
        const self = await admin.patch(`/api/v1/clients/${parent.id}`, { parentId: parent.id });
        expect(self.json().errors[0].field).toBe('parentId');
        const detail = (await admin.get(`/api/v1/clients/${parent.id}`)).json();
        expect(detail.parentId).toBeNull();
        expect(detail.subsidiaries).toEqual([{ id: child.id, name: 'Loop Child' }]);
      });

      it('should answer 404 for an unknown id', async () => {
        expect((await admin.patch('/api/v1/clients/01900000-0000-7000-8000-000000000000', { name: 'x' })).statusCode).toBe(404);
      });
    });

    describe('DELETE /api/v1/clients/{id}', () => {
      it('should refuse to delete a client with matters unless cascade is asked for', async () => {
        const client = (await admin.post('/api/v1/clients', { name: 'Has Matters' })).json();
        await admin.post(`/api/v1/clients/${client.id}/matters`, { name: 'Big case' });
        await admin.post(`/api/v1/clients/${client.id}/contacts`, { name: 'Jane Doe' });
        const refused = await admin.delete(`/api/v1/clients/${client.id}`);
        expect(refused.statusCode).toBe(409);
        expect(refused.json().detail).toMatch(/1 matter\(s\) and 1 contact\(s\)/);
        expect((await admin.get(`/api/v1/clients/${client.id}`)).statusCode).toBe(200);
        const cascaded = await admin.delete(`/api/v1/clients/${client.id}?cascade=true`);
        expect(cascaded.statusCode).toBe(204);
        expect((await admin.get(`/api/v1/clients/${client.id}`)).statusCode).toBe(404);
        expect(await t.database.db.selectFrom('matters').select('id').where('client_id', '=', client.id).execute()).toEqual([]);
        expect((await auditFor(client.id)).at(-1)?.action).toBe('client.delete');
      });
    });

    describe('GET /api/v1/clients', () => {
      let prefix: string;
      beforeAll(async () => {
        prefix = `Zed${Date.now()}`;
        const specs = [
          { name: `${prefix} Alpha`, status: 'active', annualFees: 300, isKeyClient: true },
          { name: `${prefix} Bravo`, status: 'lost', annualFees: 100 },
          { name: `${prefix} Charlie`, status: 'prospect' },
          { name: `${prefix} Delta 50% off`, status: 'active', annualFees: 200 },
          { name: `${prefix} Echo`, status: 'pitch_lost', annualFees: 100 },
        ];
        for (const s of specs) {
          expect((await admin.post('/api/v1/clients', s)).statusCode).toBe(201);
        }
      });

      const names = (res: { json(): { items: { name: string }[] } }) => res.json().items.map((c) => c.name.replace(`${prefix} `, ''));

      it('should search by part of the name, case-insensitively, with LIKE wildcards taken literally', async () => {
        expect(names(await admin.get(`/api/v1/clients?q=${prefix.toLowerCase()}%20br`))).toEqual(['Bravo']);
        expect(names(await admin.get(`/api/v1/clients?q=${encodeURIComponent(`${prefix} %`)}`))).toEqual([]);
        expect(names(await admin.get(`/api/v1/clients?q=${encodeURIComponent('50%')}`))).toEqual(['Delta 50% off']);
      });

      it('should filter by status and key client, and count', async () => {
        const res = await admin.get(`/api/v1/clients?q=${prefix}&status=lost,pitch_lost&total=true`);
        expect(names(res)).toEqual(['Bravo', 'Echo']);
        expect(res.json().total).toBe(2);
        expect(names(await admin.get(`/api/v1/clients?q=${prefix}&keyClient=true`))).toEqual(['Alpha']);
        const bad = await admin.get('/api/v1/clients?status=happy');
        expect(bad.statusCode).toBe(400);
        expect(bad.json().errors[0].field).toBe('status');
      });

      it('should walk every page of a sort with cursors, without repeats or gaps', async () => {
        for (const [sort, order] of [
          ['name', 'asc'],
          ['annualFees', 'desc'],
          ['status', 'asc'],
          ['createdAt', 'desc'],
        ] as const) {
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const url: string = `/api/v1/clients?q=${prefix}&sort=${sort}&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
            const page = (await admin.get(url)).json();
            seen.push(...page.items.map((c: { name: string }) => c.name.replace(`${prefix} `, '')));
            cursor = page.nextCursor;
          } while (cursor);
          expect(new Set(seen).size, `${sort} ${order}`).toBe(5);
          if (sort === 'annualFees') {
            expect(seen).toEqual(['Alpha', 'Delta 50% off', 'Echo', 'Bravo', 'Charlie']);
          }
          if (sort === 'name') {
            expect(seen).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta 50% off', 'Echo']);
          }
        }
      });

      it('should refuse a forged cursor naming the field', async () => {
        const res = await admin.get('/api/v1/clients?cursor=not-a-cursor');
        expect(res.statusCode).toBe(400);
        expect(res.json().errors[0].field).toBe('cursor');
      });

      it('should refuse unknown query parameters and out-of-range limits', async () => {
        expect((await admin.get('/api/v1/clients?limit=0')).json().errors[0].field).toBe('limit');
        expect((await admin.get('/api/v1/clients?colour=red')).json().errors[0].field).toBe('colour');
      });
    });

    describe('contacts and matters', () => {
      it('should validate contacts and keep preferred names', async () => {
        const client = (await admin.post('/api/v1/clients', { name: 'Contoso' })).json();
        const bad = await admin.post(`/api/v1/clients/${client.id}/contacts`, { name: 'Margaret Smith', email: 'not-an-email' });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().errors[0].field).toBe('email');
        const badDate = await admin.post(`/api/v1/clients/${client.id}/contacts`, { name: 'Margaret Smith', leftOn: '2024-13-01' });
        expect(badDate.json().errors[0].field).toBe('leftOn');
        const ok = await admin.post(`/api/v1/clients/${client.id}/contacts`, {
          name: 'Margaret Smith',
          preferredName: 'Megge',
          role: 'GC',
          email: 'Megge.Smith@Contoso.test',
          isDecisionMaker: true,
        });
        expect(ok.statusCode).toBe(201);
        expect(ok.json()).toMatchObject({ preferredName: 'Megge', email: 'megge.smith@contoso.test', isDecisionMaker: true, leftOn: null });
        const left = await admin.patch(`/api/v1/clients/${client.id}/contacts/${ok.json().id}`, { leftOn: '2025-06-30' });
        expect(left.json().leftOn).toBe('2025-06-30');
        const list = (await admin.get(`/api/v1/clients/${client.id}/contacts`)).json().items;
        expect(list).toHaveLength(1);
        const other = (await admin.post('/api/v1/clients', { name: 'Other Co' })).json();
        expect((await admin.get(`/api/v1/clients/${other.id}/contacts/${ok.json().id}`)).statusCode).toBe(404);
      });

      it('should refuse a matter closed before it opened', async () => {
        const client = (await admin.post('/api/v1/clients', { name: 'Tailspin' })).json();
        const bad = await admin.post(`/api/v1/clients/${client.id}/matters`, { name: 'M', openedOn: '2025-05-01', closedOn: '2025-04-01' });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().errors[0].field).toBe('closedOn');
        const matter = (await admin.post(`/api/v1/clients/${client.id}/matters`, { name: 'M', openedOn: '2025-05-01', clientProjectCode: 'CC-118' })).json();
        const laterBad = await admin.patch(`/api/v1/clients/${client.id}/matters/${matter.id}`, { closedOn: '2025-01-01' });
        expect(laterBad.json().errors[0].field).toBe('closedOn');
        const closed = await admin.patch(`/api/v1/clients/${client.id}/matters/${matter.id}`, { status: 'closed', closedOn: '2025-09-30' });
        expect(closed.json()).toMatchObject({ status: 'closed', openedOn: '2025-05-01', closedOn: '2025-09-30', clientProjectCode: 'CC-118' });
      });
    });

    describe('relationship team', () => {
      it('should replace the team, refusing duplicates, unknown and external users', async () => {
        const client = (await admin.post('/api/v1/clients', { name: 'Adventure Works' })).json();
        const member = await buildUser(t, 'member');
        const external = await buildUser(t, 'external');
        const dup = await admin.put(`/api/v1/clients/${client.id}/team`, {
          members: [
            { userId: partnerId, teamRole: 'relationship_partner' },
            { userId: partnerId, teamRole: 'member' },
          ],
        });
        expect(dup.json().errors[0].field).toBe('members.1.userId');
        const ext = await admin.put(`/api/v1/clients/${client.id}/team`, { members: [{ userId: external.id, teamRole: 'member' }] });
        expect(ext.json().errors[0].field).toBe('members.0.userId');
        const ok = await admin.put(`/api/v1/clients/${client.id}/team`, {
          members: [
            { userId: member.id, teamRole: 'member' },
            { userId: partnerId, teamRole: 'relationship_partner' },
          ],
        });
        expect(ok.statusCode).toBe(200);
        expect(ok.json().items.map((m: { teamRole: string }) => m.teamRole)).toEqual(['relationship_partner', 'member']);
        const partnerFilter = (await admin.get(`/api/v1/clients?partnerId=${partnerId}&q=Adventure`)).json().items;
        expect(partnerFilter.map((c: { id: string }) => c.id)).toEqual([client.id]);
      });
    });
  });
}
