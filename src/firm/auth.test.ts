import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, createTestApp, signIn, TEST_PASSWORD, type TestApp, withToken } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: authentication`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect, { HEARKEN_LOGIN_MAX_FAILURES: '3' });
    });
    afterAll(async () => t?.close());

    describe('POST /api/v1/auth/login', () => {
      it('should name the missing field', async () => {
        const res = await anonymous(t.app).post('/api/v1/auth/login', { email: 'a@b.test' });
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().errors[0].field).toBe('password');
      });

      it('should refuse unknown fields', async () => {
        const res = await anonymous(t.app).post('/api/v1/auth/login', { email: 'a@b.test', password: 'x', remember: true });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors[0].field).toBe('remember');
      });

      it('should refuse malformed JSON with a problem naming the body', async () => {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: 'malformed_json', errors: [{ field: 'body' }] });
      });

      it('should refuse a wrong password with 401', async () => {
        const user = await buildUser(t, 'member');
        const res = await anonymous(t.app).post('/api/v1/auth/login', { email: user.email, password: 'wrong password!!' });
        expect(res.statusCode).toBe(401);
        expect(res.json().detail).toBe('Wrong email or password');
      });

      it('should lock the account after repeated failures, even for the right password', async () => {
        const user = await buildUser(t, 'member');
        for (let i = 0; i < 2; i++) {
          expect((await anonymous(t.app).post('/api/v1/auth/login', { email: user.email, password: 'wrong password!!' })).statusCode).toBe(401);
        }
        const third = await anonymous(t.app).post('/api/v1/auth/login', { email: user.email, password: 'wrong password!!' });
        expect(third.statusCode).toBe(423);
        const right = await anonymous(t.app).post('/api/v1/auth/login', { email: user.email, password: TEST_PASSWORD });
        expect(right.statusCode).toBe(423);
        const audit = await t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', user.id).where('action', '=', 'user.locked').execute();
        expect(audit).toHaveLength(1);
      });

      it('should set an HttpOnly SameSite session cookie and return a CSRF token', async () => {
        const user = await buildUser(t, 'partner');
        const res = await anonymous(t.app).post('/api/v1/auth/login', { email: user.email.toUpperCase(), password: TEST_PASSWORD });
        expect(res.statusCode).toBe(200);
        const session = res.cookies.find((c) => c.name === 'hearken_session');
        expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
        expect(res.json().csrfToken).toEqual(expect.any(String));
        expect(res.json().user.email).toBe(user.email);
        // Only the digest is stored: the cookie value is not in the database.
        const stored = await t.database.db.selectFrom('auth_sessions').select('id').where('user_id', '=', user.id).execute();
        expect(stored.map((s) => s.id)).not.toContain(session?.value);
      });
    });

    describe('cookie sessions', () => {
      it('should refuse a cookie-authenticated write without the CSRF token', async () => {
        const user = await buildUser(t, 'admin');
        const caller = await signIn(t.app, user.email);
        const withoutCsrf = await caller.request('POST', '/api/v1/teams', { name: 'No CSRF' }, { 'x-csrf-token': '' });
        expect(withoutCsrf.statusCode).toBe(403);
        expect(withoutCsrf.json().code).toBe('csrf_failed');
        expect(await t.database.db.selectFrom('teams').select('id').where('name', '=', 'No CSRF').executeTakeFirst()).toBeUndefined();
        const withCsrf = await caller.post('/api/v1/teams', { name: 'With CSRF' });
        expect(withCsrf.statusCode).toBe(201);
      });

      it('should refuse a CSRF token minted for another session', async () => {
        const a = await signIn(t.app, (await buildUser(t, 'admin')).email);
        const b = await signIn(t.app, (await buildUser(t, 'admin')).email);
        const res = await a.request('POST', '/api/v1/teams', { name: 'Tossed' }, { 'x-csrf-token': b.headers['x-csrf-token'] ?? '' });
        expect(res.statusCode).toBe(403);
      });

      it('should end the session on logout', async () => {
        const caller = await signIn(t.app, (await buildUser(t, 'member')).email);
        expect((await caller.get('/api/v1/me')).statusCode).toBe(200);
        expect((await caller.post('/api/v1/auth/logout')).statusCode).toBe(204);
        const after = await caller.get('/api/v1/me');
        expect(after.statusCode).toBe(401);
      });

      it('should treat an idle-expired session as signed out', async () => {
        const user = await buildUser(t, 'member');
        const caller = await signIn(t.app, user.email);
        await t.database.db.updateTable('auth_sessions').set({ last_seen_at: '2000-01-01T00:00:00.000Z' }).where('user_id', '=', user.id).execute();
        const res = await caller.get('/api/v1/me');
        expect(res.statusCode).toBe(401);
        expect(res.json().detail).toMatch(/expired/);
      });

      it('should end other sessions when the password changes', async () => {
        const user = await buildUser(t, 'member');
        const first = await signIn(t.app, user.email);
        const second = await signIn(t.app, user.email);
        const wrong = await first.post('/api/v1/me/password', { currentPassword: 'nope', newPassword: 'a brand new passphrase' });
        expect(wrong.statusCode).toBe(400);
        expect(wrong.json().errors[0].field).toBe('currentPassword');
        const short = await first.post('/api/v1/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
        expect(short.json().errors[0].field).toBe('newPassword');
        const ok = await first.post('/api/v1/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' });
        expect(ok.statusCode).toBe(204);
        expect((await first.get('/api/v1/me')).statusCode).toBe(200);
        expect((await second.get('/api/v1/me')).statusCode).toBe(401);
        await signIn(t.app, user.email, 'a brand new passphrase');
      });
    });

    describe('API tokens', () => {
      it('should authenticate with a bearer token without CSRF, and stop after revocation', async () => {
        const user = await buildUser(t, 'admin');
        const caller = await signIn(t.app, user.email);
        const created = await caller.post('/api/v1/me/tokens', { name: 'CRM sync' });
        expect(created.statusCode).toBe(201);
        const { token, apiToken } = created.json();
        expect(token).toMatch(/^hk_/);
        const api = withToken(t.app, token);
        expect((await api.get('/api/v1/me')).json().user.id).toBe(user.id);
        expect((await api.post('/api/v1/teams', { name: `Token team ${Date.now()}` })).statusCode).toBe(201);
        const listed = (await caller.get('/api/v1/me/tokens')).json().items;
        expect(listed[0]).not.toHaveProperty('token');
        expect((await caller.delete(`/api/v1/me/tokens/${apiToken.id}`)).statusCode).toBe(204);
        const revoked = await api.get('/api/v1/me');
        expect(revoked.statusCode).toBe(401);
        expect(revoked.json().detail).toMatch(/revoked/);
      });

      it('should refuse an expired token', async () => {
        const user = await buildUser(t, 'member');
        const caller = await signIn(t.app, user.email);
        const { token, apiToken } = (await caller.post('/api/v1/me/tokens', { name: 'short-lived', expiresInDays: 1 })).json();
        await t.database.db.updateTable('api_tokens').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', apiToken.id).execute();
        expect((await withToken(t.app, token).get('/api/v1/me')).statusCode).toBe(401);
      });

      it('should refuse a token of a deactivated user', async () => {
        const admin = await signIn(t.app, (await buildUser(t, 'admin')).email);
        const user = await buildUser(t, 'member');
        const { token } = (await (await signIn(t.app, user.email)).post('/api/v1/me/tokens', { name: 'x' })).json();
        expect((await admin.patch(`/api/v1/users/${user.id}`, { active: false })).statusCode).toBe(200);
        expect((await withToken(t.app, token).get('/api/v1/me')).statusCode).toBe(401);
      });
    });
  });
}
