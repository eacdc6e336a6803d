import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, TEST_PASSWORD, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: users and teams API`, () => {
    let t: TestApp;
    let admin: Caller;
    let adminId: string;
    let member: Caller;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const a = await buildUser(t, 'admin', { name: 'Ada Admin' });
      adminId = a.id;
      admin = await signIn(t.app, a.email);
      member = await signIn(t.app, (await buildUser(t, 'member')).email);
    });
    afterAll(async () => t?.close());

    describe('POST /api/v1/users', () => {
      it('should refuse non-admins', async () => {
        const res = await member.post('/api/v1/users', { email: 'x@firm.test', name: 'X', role: 'member' });
        expect(res.statusCode).toBe(403);
      });

      it('should name bad fields', async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{ name: 'X', role: 'member' }, 'email'],
          [{ email: 'nope', name: 'X', role: 'member' }, 'email'],
          [{ email: 'x@firm.test', name: 'X', role: 'wizard' }, 'role'],
          [{ email: 'x@firm.test', name: 'X', role: 'member', password: 'short' }, 'password'],
          [{ email: 'x@firm.test', name: 'X'.repeat(201), role: 'member' }, 'name'],
        ];
        for (const [body, field] of cases) {
          const res = await admin.post('/api/v1/users', body);
          expect(res.statusCode).toBe(400);
          expect(res.json().errors[0].field).toBe(field);
        }
      });

      it('should create a user with a generated password shown once, and refuse a duplicate email', async () => {
        const res = await admin.post('/api/v1/users', {
          email: 'Grace.Hopper@Firm.test',
          name: 'Grace Hopper',
          role: 'partner',
          title: 'Partner',
          office: 'London',
        });
        expect(res.statusCode).toBe(201);
        const { user, password } = res.json();
        expect(user).toMatchObject({ email: 'grace.hopper@firm.test', role: 'partner', active: true, locked: false, office: 'London' });
        expect(password).toHaveLength(20);
        await signIn(t.app, 'grace.hopper@firm.test', password);
        const dup = await admin.post('/api/v1/users', { email: 'GRACE.HOPPER@firm.test', name: 'Another', role: 'member' });
        expect(dup.statusCode).toBe(409);
        expect(dup.json().errors[0].field).toBe('email');
        const row = await t.database.db.selectFrom('users').select('password_hash').where('email', '=', 'grace.hopper@firm.test').executeTakeFirstOrThrow();
        expect(row.password_hash).toMatch(/^\$argon2id\$/);
        const audit = await t.database.db.selectFrom('audit_log').select('changes').where('entity_id', '=', user.id).executeTakeFirstOrThrow();
        expect(audit.changes).not.toContain('argon2');
      });
    });

    describe('PATCH /api/v1/users/{id}', () => {
      it('should deactivate a user and end their sessions', async () => {
        const u = await buildUser(t, 'member');
        const session = await signIn(t.app, u.email);
        const res = await admin.patch(`/api/v1/users/${u.id}`, { active: false });
        expect(res.json().active).toBe(false);
        expect((await session.get('/api/v1/me')).statusCode).toBe(401);
        const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: TEST_PASSWORD } });
        expect(again.statusCode).toBe(401);
      });

      it('should not let an admin remove their own admin access', async () => {
        const res = await admin.patch(`/api/v1/users/${adminId}`, { role: 'member' });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors[0].field).toBe('role');
      });

      it('should unlock a locked account', async () => {
        const u = await buildUser(t, 'member');
        await t.database.db.updateTable('users').set({ locked_until: '2999-01-01T00:00:00.000Z' }).where('id', '=', u.id).execute();
        expect((await admin.get(`/api/v1/users/${u.id}`)).json().locked).toBe(true);
        expect((await admin.patch(`/api/v1/users/${u.id}`, { unlock: true })).json().locked).toBe(false);
        await signIn(t.app, u.email);
      });
    });

    describe('POST /api/v1/users/{id}/reset-password', () => {
      it('should give a new password, end sessions, and refuse non-admins', async () => {
        const u = await buildUser(t, 'member');
        const session = await signIn(t.app, u.email);
        expect((await member.post(`/api/v1/users/${u.id}/reset-password`)).statusCode).toBe(403);
        const res = await admin.post(`/api/v1/users/${u.id}/reset-password`);
        expect(res.statusCode).toBe(200);
        expect((await session.get('/api/v1/me')).statusCode).toBe(401);
        await signIn(t.app, u.email, res.json().password);
      });
    });

    describe('GET /api/v1/users', () => {
      it('should search and page by name', async () => {
        const tag = `Searchable${Date.now()}`;
        for (const n of ['Carol', 'Alice', 'Bob']) {
          await buildUser(t, 'member', { name: `${n} ${tag}` });
        }
        const first = (await member.get(`/api/v1/users?q=${tag}&limit=2`)).json();
        expect(first.items.map((u: { name: string }) => u.name)).toEqual([`Alice ${tag}`, `Bob ${tag}`]);
        const second = (await member.get(`/api/v1/users?q=${tag}&limit=2&cursor=${first.nextCursor}`)).json();
        expect(second.items.map((u: { name: string }) => u.name)).toEqual([`Carol ${tag}`]);
        expect(second.nextCursor).toBeNull();
      });

      it('should not list users to external users', async () => {
        const external = await signIn(t.app, (await buildUser(t, 'external')).email);
        expect((await external.get('/api/v1/users')).statusCode).toBe(403);
        expect((await external.get('/api/v1/me')).statusCode).toBe(200);
      });
    });

    describe('teams', () => {
      it('should create, rename, change members of and delete a team, auditing each step', async () => {
        const a = await buildUser(t, 'partner');
        const b = await buildUser(t, 'member');
        const created = await admin.post('/api/v1/teams', { name: 'Litigation', kind: 'practice_group', memberIds: [a.id] });
        expect(created.statusCode).toBe(201);
        const team = created.json();
        expect(team).toMatchObject({ name: 'Litigation', memberCount: 1 });
        const dup = await admin.post('/api/v1/teams', { name: 'Litigation' });
        expect(dup.statusCode).toBe(409);
        expect(dup.json().errors[0].field).toBe('name');
        const badMember = await admin.patch(`/api/v1/teams/${team.id}`, { memberIds: [a.id, 'nobody'] });
        expect(badMember.json().errors[0].field).toBe('memberIds.1');
        const updated = await admin.patch(`/api/v1/teams/${team.id}`, { name: 'Disputes', memberIds: [a.id, b.id] });
        expect(updated.json()).toMatchObject({ name: 'Disputes', memberCount: 2 });
        expect((await admin.get(`/api/v1/users/${b.id}`)).json().teams).toEqual([{ id: team.id, name: 'Disputes' }]);
        expect((await member.patch(`/api/v1/teams/${team.id}`, { name: 'Hijack' })).statusCode).toBe(403);
        expect((await admin.delete(`/api/v1/teams/${team.id}`)).statusCode).toBe(204);
        expect((await admin.get(`/api/v1/teams/${team.id}`)).statusCode).toBe(404);
        const actions = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', team.id).orderBy('id').execute();
        expect(actions.map((r) => r.action)).toEqual(['team.create', 'team.update', 'team.delete']);
      });
    });
  });
}
