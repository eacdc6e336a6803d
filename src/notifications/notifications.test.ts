import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { addComment, updateAction } from '../actions/actions.js';
import { escalateStaleActions } from '../actions/sweep.js';
import { buildAction } from '../actions/testing.js';
import { putWall } from '../clients/walls.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { type ServiceContext, systemContext } from '../server/context.js';

type User = Awaited<ReturnType<typeof buildUser>>;
const asCtx = (t: TestApp, u: User): ServiceContext => ({ db: t.database.db, actor: { id: u.id, role: u.role, name: u.name, email: u.email } });

for (const dialect of DIALECTS) {
  describe(`notifications (${dialect})`, () => {
    let t: TestApp;
    let lead: User;
    let ann: User;
    let bob: User;
    let leadApi: Caller;
    let annApi: Caller;
    let bobApi: Caller;

    const notificationsOf = (userId: string) =>
      t.database.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();

    beforeAll(async () => {
      t = await createTestApp(dialect);
      lead = await buildUser(t, 'programme_lead', { name: 'Lena Lead' });
      ann = await buildUser(t, 'partner', { name: 'Ann Able' });
      bob = await buildUser(t, 'partner', { name: 'Bob Brown' });
      leadApi = await signIn(t.app, lead.email);
      annApi = await signIn(t.app, ann.email);
      bobApi = await signIn(t.app, bob.email);
    }, 60_000);
    afterAll(async () => t.close());

    describe('raised where events happen', () => {
      it('should tell the owner of a new action, the new owner when it changes hands, and the owner of a comment, never the actor', async () => {
        const { client } = await buildClientWithTeam(systemContext(t.database.db), { name: 'Acme Assigned', partnerIds: [ann.id, bob.id] });
        const action = await buildAction(asCtx(t, lead), { clientId: client.id, ownerId: ann.id, title: 'Call the GC about the bill' });
        const [assigned, ...more] = await notificationsOf(ann.id);
        expect(more).toHaveLength(0);
        expect(assigned).toMatchObject({
          kind: 'action.assigned',
          title: 'New action for Acme Assigned: Call the GC about the bill',
          link: `/actions?action=${action.id}`,
          client_id: client.id,
          entity: 'action',
          entity_id: action.id,
          read_at: null,
        });
        expect(await notificationsOf(lead.id)).toHaveLength(0);

        // Ann gives it to herself again (no change) and comments on it herself: nothing new.
        await addComment(asCtx(t, ann), action.id, 'On it');
        expect(await notificationsOf(ann.id)).toHaveLength(1);

        // The lead comments: Ann hears of it.
        await addComment(asCtx(t, lead), action.id, 'Any news <b>today</b>?');
        const comment = (await notificationsOf(ann.id)).find((n) => n.kind === 'action.comment');
        expect(comment).toMatchObject({ title: 'Lena Lead commented on: Call the GC about the bill', body: 'Any news <b>today</b>?', client_id: client.id });

        // Owner changes: Bob is told; a change that keeps the owner tells nobody.
        await updateAction(asCtx(t, lead), action.id, { ownerId: bob.id });
        await updateAction(asCtx(t, lead), action.id, { priority: 'high' });
        const forBob = await notificationsOf(bob.id);
        expect(forBob.map((n) => n.kind)).toEqual(['action.assigned']);
      });

      it('should tell the partner a nomination awaits them, and again on a reminder', async () => {
        const { client } = await buildClientWithTeam(systemContext(t.database.db), { name: 'Nominated Ltd', partnerIds: [bob.id] });
        const programme = await leadApi.post('/api/v1/programmes', { name: 'Listening 2026', startsOn: '2026-01-01', endsOn: '2026-12-31', status: 'active' });
        expect(programme.statusCode).toBe(201);
        const nominated = await leadApi.post(`/api/v1/programmes/${programme.json().id}/nominations`, { clientIds: [client.id] });
        expect(nominated.statusCode).toBe(201);
        const remind = await leadApi.post(`/api/v1/programmes/${programme.json().id}/reminders`, { days: 0 });
        expect(remind.statusCode).toBeLessThan(300);
        const awaiting = (await notificationsOf(bob.id)).filter((n) => n.kind === 'nomination.awaiting');
        expect(awaiting.map((n) => n.title)).toEqual([
          'Nominated Ltd has been nominated for a listening session: please answer',
          'Reminder: Nominated Ltd is waiting for your answer to a listening nomination',
        ]);
        expect(awaiting[0]).toMatchObject({ link: '/nominations', client_id: client.id, entity: 'nomination' });
      });
    });

    describe('GET /api/v1/me/notifications', () => {
      it('should answer 401 without a session and 400 for a cursor it did not return', async () => {
        expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/notifications' })).statusCode).toBe(401);
        const bad = await annApi.get('/api/v1/me/notifications?cursor=not-a-cursor');
        expect(bad.statusCode).toBe(400);
        expect(bad.json().errors[0].field).toBe('cursor');
        expect((await annApi.get('/api/v1/me/notifications?unread=maybe')).statusCode).toBe(400);
      });

      it('should list newest first with cursor pages, filter unread, mark one and all read', async () => {
        const all = await annApi.get('/api/v1/me/notifications');
        expect(all.statusCode).toBe(200);
        const body = all.json();
        expect(body.unreadCount).toBe(body.items.length);
        expect(body.items.length).toBeGreaterThanOrEqual(2);
        expect(body.items[0].kind).toBe('action.comment');

        const first = (await annApi.get('/api/v1/me/notifications?limit=1')).json();
        expect(first.items).toHaveLength(1);
        const second = (await annApi.get(`/api/v1/me/notifications?limit=1&cursor=${first.nextCursor}`)).json();
        expect(second.items[0].id).toBe(body.items[1].id);

        const read = await annApi.post(`/api/v1/me/notifications/${body.items[0].id}/read`);
        expect(read.statusCode).toBe(200);
        expect(read.json().readAt).not.toBeNull();
        const unread = (await annApi.get('/api/v1/me/notifications?unread=true')).json();
        expect(unread.unreadCount).toBe(body.items.length - 1);
        expect(unread.items.map((n: { id: string }) => n.id)).not.toContain(body.items[0].id);

        // Someone else's notification does not exist for Ann.
        const bobs = (await bobApi.get('/api/v1/me/notifications')).json();
        expect((await annApi.post(`/api/v1/me/notifications/${bobs.items[0].id}/read`)).statusCode).toBe(404);

        const readAll = await annApi.post('/api/v1/me/notifications/read-all');
        expect(readAll.json()).toEqual({ marked: body.items.length - 1 });
        expect((await annApi.get('/api/v1/me/notifications')).json().unreadCount).toBe(0);
        // Bob's are untouched.
        expect((await bobApi.get('/api/v1/me/notifications')).json().unreadCount).toBe(bobs.unreadCount);
      });

      it('should hide, and not count, notifications about a client the reader may no longer see', async () => {
        const sys = systemContext(t.database.db);
        const { client } = await buildClientWithTeam(sys, { name: 'Walled Later', partnerIds: [ann.id] });
        await buildAction(asCtx(t, lead), { clientId: client.id, ownerId: ann.id, title: 'Secret follow-up' });
        const before = (await annApi.get('/api/v1/me/notifications')).json();
        const secret = before.items.find((n: { title: string }) => n.title.includes('Secret follow-up'));
        expect(secret).toBeDefined();
        expect(before.unreadCount).toBe(1);

        await putWall(sys, client.id, { walled: true, memberIds: [lead.id] });
        const after = (await annApi.get('/api/v1/me/notifications')).json();
        expect(after.items.map((n: { id: string }) => n.id)).not.toContain(secret.id);
        expect(after.unreadCount).toBe(0);
        expect((await annApi.post(`/api/v1/me/notifications/${secret.id}/read`)).statusCode).toBe(404);
        expect((await annApi.post('/api/v1/me/notifications/read-all')).json()).toEqual({ marked: 0 });

        // Lifting the wall shows it again, still unread.
        await putWall(sys, client.id, { walled: false, memberIds: [] });
        expect((await annApi.get('/api/v1/me/notifications?unread=true')).json().items.map((n: { id: string }) => n.id)).toEqual([secret.id]);
      });
    });

    describe('digest preference', () => {
      it('should default to weekly, change through PUT /me/digest (audited), name the field on bad input, and show on the user list', async () => {
        expect((await annApi.get('/api/v1/me/digest')).json()).toEqual({ frequency: 'weekly', hourUtc: 7, weeklyDay: 1 });
        const bad = await annApi.put('/api/v1/me/digest', { frequency: 'hourly' });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().errors[0].field).toBe('frequency');
        const ok = await annApi.put('/api/v1/me/digest', { frequency: 'daily' });
        expect(ok.statusCode).toBe(200);
        expect(ok.json().frequency).toBe('daily');
        const audit = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.digest').where('entity_id', '=', ann.id).execute();
        expect(audit).toHaveLength(1);
        const admin = await signIn(t.app, (await buildUser(t, 'admin')).email);
        const users = (await admin.get('/api/v1/users?limit=200')).json();
        expect(users.items.find((u: { id: string }) => u.id === ann.id).digestFrequency).toBe('daily');
        await annApi.put('/api/v1/me/digest', { frequency: 'weekly' });
      });
    });

    describe('escalation', () => {
      it('should tell the programme lead of each escalated action', async () => {
        const { client } = await buildClientWithTeam(systemContext(t.database.db), { name: 'Stale Co', partnerIds: [ann.id] });
        const action = await buildAction(asCtx(t, ann), { clientId: client.id, ownerId: ann.id, title: 'Forgotten task' });
        const report = await escalateStaleActions(t.database.db, new Date(Date.now() + 400 * 86_400_000));
        expect(report.escalated.map((a) => a.id)).toContain(action.id);
        const escalated = (await notificationsOf(report.escalatedTo ?? '')).filter((n) => n.kind === 'action.escalated');
        expect(escalated.find((n) => n.entity_id === action.id)).toMatchObject({
          title: 'Escalated (untouched) for Stale Co: Forgotten task',
          client_id: client.id,
        });
      });
    });
  });
}
