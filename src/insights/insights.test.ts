import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { createMatter } from '../clients/matters.js';
import { buildClientWithTeam, buildCompletedSession, remarksOfEachKind } from '../listening/testing.js';
import { type ServiceContext, systemContext } from '../server/context.js';
import { buildInsight, themeId } from './testing.js';

const MISSING = '019a0000-0000-7000-8000-999999999999';

interface InsightBody {
  id: string;
  type: string;
  severity: string;
  summary: string;
  quote: string | null;
  confidentiality: string;
  contactId: string | null;
  session: { id: string } | null;
  remarkId: string | null;
  heardOn: string;
  themes: { id: string; name: string; parentId: string | null }[];
  recordedBy: { id: string } | null;
  abilities: { edit: boolean; delete: boolean };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: insights API`, () => {
    let t: TestApp;
    let ctx: ServiceContext;
    const users: Record<string, { id: string; caller: Caller }> = {};
    let clientId: string;
    let otherClientId: string;
    let contactId: string;
    let otherContactId: string;
    let matterId: string;
    let responsiveness: string;
    let speedOfReply: string;
    let billing: string;

    const u = (key: string) => users[key] as { id: string; caller: Caller };
    const auditFor = (entityId: string) => t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();
    const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const valid = () => ({ clientId, type: 'concern', summary: 'Bills arrive late', source: 'call', heardOn: yesterday(), themeIds: [billing] });

    beforeAll(async () => {
      t = await createTestApp(dialect);
      ctx = systemContext(t.database.db, 'test');
      for (const [key, role] of [
        ['lead', 'programme_lead'],
        ['partner', 'partner'],
        ['member', 'member'],
        ['outsider', 'partner'],
        ['management', 'management'],
        ['interviewer', 'member'],
      ] as const) {
        const user = await buildUser(t, role, { name: key });
        users[key] = { id: user.id, caller: await signIn(t.app, user.email) };
      }
      const built = await buildClientWithTeam(ctx, { partnerIds: [u('partner').id], memberIds: [u('member').id], contacts: ['Grace Speaker', 'Ivan Other'] });
      clientId = built.client.id;
      contactId = built.contacts[0]?.id as string;
      const other = await buildClientWithTeam(ctx, { partnerIds: [u('partner').id] });
      otherClientId = other.client.id;
      otherContactId = other.contacts[0]?.id as string;
      matterId = (await createMatter(ctx, clientId, { name: 'Acquisition', status: 'open' } as never)).id;
      responsiveness = await themeId(t.database.db, 'Responsiveness');
      speedOfReply = await themeId(t.database.db, 'Speed of reply');
      billing = await themeId(t.database.db, 'Billing and value');
    });
    afterAll(async () => t?.close());

    describe('the follow-up a high-severity concern raises', () => {
      const followUps = (insightId: string) =>
        t.database.db.selectFrom('actions').select(['owner_id', 'origin', 'priority']).where('insight_id', '=', insightId).execute();

      it('should raise one action for the relationship partner on a high-severity concern, and none for a medium one', async () => {
        const high = (await u('member').caller.post('/api/v1/insights', { ...valid(), severity: 'high' })).json();
        expect(await followUps(high.id)).toEqual([{ owner_id: u('partner').id, origin: 'high_concern', priority: 'high' }]);
        const medium = (await u('member').caller.post('/api/v1/insights', { ...valid(), severity: 'medium' })).json();
        expect(await followUps(medium.id)).toEqual([]);
        // Raised to high later: the follow-up comes then, and only once however often it is edited.
        await u('lead').caller.patch(`/api/v1/insights/${medium.id}`, { severity: 'high' });
        await u('lead').caller.patch(`/api/v1/insights/${medium.id}`, { summary: 'Bills arrive late, again' });
        expect(await followUps(medium.id)).toHaveLength(1);
      });
    });

    describe('POST /api/v1/insights', () => {
      it('should require sign-in', async () => {
        expect((await anonymous(t.app).post('/api/v1/insights', valid())).statusCode).toBe(401);
      });

      it('should name each bad field and write nothing', async () => {
        const archived = (await u('lead').caller.post('/api/v1/themes', { name: `Archived ${dialect}` })).json().id as string;
        await u('lead').caller.patch(`/api/v1/themes/${archived}`, { archived: true });
        const { id: otherSession } = await buildCompletedSession(ctx, { clientId: otherClientId, interviewerId: u('interviewer').id });
        const cases: [Record<string, unknown>, string][] = [
          [{ ...valid(), clientId: undefined }, 'clientId'],
          [{ ...valid(), type: 'moan' }, 'type'],
          [{ ...valid(), severity: 'extreme' }, 'severity'],
          [{ ...valid(), summary: '  ' }, 'summary'],
          [{ ...valid(), summary: 'x'.repeat(2001) }, 'summary'],
          [{ ...valid(), confidentiality: 'secret' }, 'confidentiality'],
          [{ ...valid(), source: 'rumour' }, 'source'],
          [{ ...valid(), heardOn: '2026-13-45' }, 'heardOn'],
          [{ ...valid(), heardOn: tomorrow() }, 'heardOn'],
          [{ ...valid(), themeIds: [] }, 'themeIds'],
          [{ ...valid(), themeIds: ['nope'] }, 'themeIds.0'],
          [{ ...valid(), themeIds: [billing, archived] }, 'themeIds.1'],
          [{ ...valid(), contactId: otherContactId }, 'contactId'],
          [{ ...valid(), matterId: MISSING }, 'matterId'],
          [{ ...valid(), source: 'session' }, 'sessionId'],
          [{ ...valid(), source: 'session', sessionId: otherSession }, 'sessionId'],
          [{ ...valid(), colour: 'red' }, 'colour'],
        ];
        const count = async () =>
          Number(
            (
              await t.database.db
                .selectFrom('insights')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        const before = await count();
        for (const [body, field] of cases) {
          const res = await u('partner').caller.post('/api/v1/insights', body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.json().errors[0].field, JSON.stringify(body)).toBe(field);
        }
        expect(await count()).toBe(before);
      });

      it('should refuse someone who may not record insights on the client (403), and a client they cannot see (404)', async () => {
        expect((await u('outsider').caller.post('/api/v1/insights', valid())).statusCode).toBe(403);
        expect((await u('management').caller.post('/api/v1/insights', valid())).statusCode).toBe(403);
        expect((await u('partner').caller.post('/api/v1/insights', { ...valid(), clientId: MISSING })).statusCode).toBe(404);
      });

      it('should record an insight with its links and themes, and audit its handling but not the client’s words', async () => {
        const res = await u('member').caller.post('/api/v1/insights', {
          ...valid(),
          type: 'praise',
          severity: 'low',
          quote: 'They always pick up the phone',
          contactId,
          matterId,
          themeIds: [speedOfReply, billing, speedOfReply],
        });
        expect(res.statusCode).toBe(201);
        const insight = res.json() as InsightBody & { matter: { id: string } };
        expect(insight).toMatchObject({ type: 'praise', severity: 'low', confidentiality: 'attributable', contactId, recordedBy: { id: u('member').id } });
        expect(insight.matter.id).toBe(matterId);
        expect(insight.themes.map((th) => th.id).sort()).toEqual([speedOfReply, billing].sort());
        expect(insight.abilities).toEqual({ edit: true, delete: true });
        const audit = await auditFor(insight.id);
        expect(audit[0]).toMatchObject({ action: 'insight.create', entity: 'insight', actor_id: u('member').id, client_id: clientId });
        expect(audit[0]?.changes).not.toContain('pick up the phone');
        expect(JSON.parse(audit[0]?.changes ?? '{}').type).toEqual([null, 'praise']);
      });

      it('should default severity and confidentiality', async () => {
        const res = await u('partner').caller.post('/api/v1/insights', valid());
        expect(res.json()).toMatchObject({ severity: 'medium', confidentiality: 'attributable' });
      });
    });

    describe('GET /api/v1/insights', () => {
      it('should require sign-in and reject bad filters', async () => {
        expect((await anonymous(t.app).get('/api/v1/insights')).statusCode).toBe(401);
        for (const [query, field] of [
          ['type=moan', 'type'],
          ['from=yesterday', 'from'],
          ['limit=0', 'limit'],
          ['cursor=garbage', 'cursor'],
          ['from=2026-03-01&to=2026-02-01', 'to'],
        ]) {
          const res = await u('partner').caller.get(`/api/v1/insights?${query}`);
          expect(res.statusCode, query).toBe(400);
          expect(res.json().errors[0].field, query).toBe(field);
        }
      });

      it('should filter by type, severity, dates and theme (a top-level theme matching its sub-themes), newest first with cursors', async () => {
        const { client } = await buildClientWithTeam(ctx, { partnerIds: [u('partner').id] });
        const a = await buildInsight(ctx, { clientId: client.id, heardOn: '2026-01-10', themeIds: [speedOfReply], type: 'praise', severity: 'high' });
        const b = await buildInsight(ctx, { clientId: client.id, heardOn: '2026-02-10', themeIds: [responsiveness] });
        const c = await buildInsight(ctx, { clientId: client.id, heardOn: '2026-03-10', themeIds: [billing] });
        const get = async (q: string) =>
          ((await u('partner').caller.get(`/api/v1/insights?clientId=${client.id}&${q}`)).json() as { items: InsightBody[] }).items.map((i) => i.id);
        expect(await get('')).toEqual([c.id, b.id, a.id]);
        expect(await get(`themeId=${responsiveness}`)).toEqual([b.id, a.id]);
        expect(await get(`themeId=${speedOfReply}`)).toEqual([a.id]);
        expect(await get('type=praise')).toEqual([a.id]);
        expect(await get('severity=high')).toEqual([a.id]);
        expect(await get('from=2026-02-01&to=2026-02-28')).toEqual([b.id]);
        const first = (await u('partner').caller.get(`/api/v1/insights?clientId=${client.id}&limit=2&total=true`)).json();
        expect(first.items.map((i: InsightBody) => i.id)).toEqual([c.id, b.id]);
        expect(first.total).toBe(3);
        const second = (await u('partner').caller.get(`/api/v1/insights?clientId=${client.id}&limit=2&cursor=${first.nextCursor}`)).json();
        expect(second.items.map((i: InsightBody) => i.id)).toEqual([a.id]);
        expect(second.nextCursor).toBeNull();
      });
    });

    describe('GET, PATCH and DELETE /api/v1/insights/:id', () => {
      it('should run the ladder: 401, 400 per field, 403, 404', async () => {
        const insight = await buildInsight(ctx, { clientId, contactId });
        const url = `/api/v1/insights/${insight.id}`;
        expect((await anonymous(t.app).get(url)).statusCode).toBe(401);
        expect((await anonymous(t.app).patch(url, { summary: 'x' })).statusCode).toBe(401);
        expect((await anonymous(t.app).delete(url)).statusCode).toBe(401);
        for (const [body, field] of [
          [{ summary: '' }, 'summary'],
          [{ type: 'moan' }, 'type'],
          [{ heardOn: tomorrow() }, 'heardOn'],
          [{ themeIds: [] }, 'themeIds'],
          [{ contactId: otherContactId }, 'contactId'],
          [{ source: 'session' }, 'sessionId'],
          [{ clientId: otherClientId }, 'clientId'],
        ] as [Record<string, unknown>, string][]) {
          const res = await u('partner').caller.patch(url, body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.json().errors[0].field, JSON.stringify(body)).toBe(field);
        }
        // A member on the team reads it but did not record it: no edit, no delete.
        expect((await u('member').caller.get(url)).json().abilities).toEqual({ edit: false, delete: false });
        expect((await u('member').caller.patch(url, { summary: 'Mine now' })).statusCode).toBe(403);
        expect((await u('member').caller.delete(url)).statusCode).toBe(403);
        for (const caller of [u('outsider').caller, u('lead').caller]) {
          expect((await caller.get(`/api/v1/insights/${MISSING}`)).statusCode).toBe(404);
        }
        expect((await u('outsider').caller.get(url)).statusCode).toBe(404);
        expect((await u('outsider').caller.patch(url, { summary: 'x' })).statusCode).toBe(404);
        expect((await u('outsider').caller.delete(url)).statusCode).toBe(404);
      });

      it('should let the recorder, the client’s partner and programme leads edit, auditing each change', async () => {
        const created = (await u('member').caller.post('/api/v1/insights', { ...valid(), contactId })).json() as InsightBody;
        const url = `/api/v1/insights/${created.id}`;
        const byRecorder = await u('member').caller.patch(url, { severity: 'high', themeIds: [responsiveness] });
        expect(byRecorder.statusCode).toBe(200);
        expect(byRecorder.json()).toMatchObject({ severity: 'high', themes: [{ id: responsiveness }] });
        expect((await u('partner').caller.patch(url, { type: 'risk', quote: '' })).json()).toMatchObject({ type: 'risk', quote: null });
        expect((await u('lead').caller.patch(url, { confidentiality: 'non_attributable' })).statusCode).toBe(200);
        // The partner no longer knows who said it; the recorder still does.
        expect((await u('partner').caller.get(url)).json().contactId).toBeNull();
        expect((await u('member').caller.get(url)).json().contactId).toBe(contactId);
        const audit = await auditFor(created.id);
        expect(audit.map((a) => a.action)).toEqual(['insight.create', 'insight.update', 'insight.update', 'insight.update']);
        expect(JSON.parse(audit[1]?.changes ?? '{}')).toMatchObject({ severity: ['medium', 'high'], themeIds: [[billing], [responsiveness]] });
        expect(audit[3]?.changes).not.toContain(contactId);
      });

      it('should delete, auditing it', async () => {
        const created = await buildInsight(ctx, { clientId });
        expect((await u('partner').caller.delete(`/api/v1/insights/${created.id}`)).statusCode).toBe(204);
        expect((await u('partner').caller.get(`/api/v1/insights/${created.id}`)).statusCode).toBe(404);
        expect((await auditFor(created.id)).map((a) => a.action)).toEqual(['insight.create', 'insight.delete']);
      });
    });

    describe('POST /api/v1/sessions/:id/remarks/:remarkId/insight', () => {
      let sessionId: string;
      let remarkIds: Record<string, string>;

      beforeAll(async () => {
        const session = await buildCompletedSession(ctx, { clientId, interviewerId: u('interviewer').id, remarks: remarksOfEachKind(contactId) });
        sessionId = session.id;
        remarkIds = Object.fromEntries(session.remarks.map((r) => [r.confidentiality, r.id]));
      });
      const url = (kind: string) => `/api/v1/sessions/${sessionId}/remarks/${remarkIds[kind]}/insight`;

      it('should run the ladder: 401, 400 per field, 403, 404', async () => {
        expect((await anonymous(t.app).post(url('attributable'), { type: 'praise', themeIds: [responsiveness] })).statusCode).toBe(401);
        for (const [body, field] of [
          [{ themeIds: [responsiveness] }, 'type'],
          [{ type: 'praise' }, 'themeIds'],
          [{ type: 'praise', themeIds: ['x'] }, 'themeIds.0'],
          [{ type: 'praise', themeIds: [responsiveness], severity: 'huge' }, 'severity'],
        ] as [Record<string, unknown>, string][]) {
          const res = await u('partner').caller.post(url('attributable'), body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.json().errors[0].field).toBe(field);
        }
        const body = { type: 'praise', themeIds: [responsiveness] };
        // Management reads the remark but may not record insights; the interviewer reads everything but is not on the team.
        expect((await u('management').caller.post(url('attributable'), body)).statusCode).toBe(403);
        expect((await u('interviewer').caller.post(url('programme_only'), body)).statusCode).toBe(403);
        // The partner may not read a programme-only remark: it does not exist for them.
        expect((await u('partner').caller.post(url('programme_only'), body)).statusCode).toBe(404);
        expect((await u('outsider').caller.post(url('attributable'), body)).statusCode).toBe(404);
        expect((await u('partner').caller.post(`/api/v1/sessions/${sessionId}/remarks/${MISSING}/insight`, body)).statusCode).toBe(404);
      });

      it('should copy the remark, keep its confidentiality, audit it, and promote a remark only once', async () => {
        const res = await u('lead').caller.post(url('programme_only'), { type: 'risk', severity: 'high', themeIds: [responsiveness] });
        expect(res.statusCode).toBe(201);
        const insight = res.json() as InsightBody;
        expect(insight).toMatchObject({
          confidentiality: 'programme_only',
          quote: 'We are quietly talking to another firm for the next deal.',
          summary: 'We are quietly talking to another firm for the next deal.',
          contactId,
          source: 'session',
          session: { id: sessionId },
          remarkId: remarkIds.programme_only,
          heardOn: '2026-03-02',
        });
        expect((await auditFor(insight.id))[0]).toMatchObject({ action: 'insight.promote', client_id: clientId });
        // Programme-only: the partner on the team never sees it.
        expect((await u('partner').caller.get(`/api/v1/insights/${insight.id}`)).statusCode).toBe(404);
        const again = await u('lead').caller.post(url('programme_only'), { type: 'risk', themeIds: [responsiveness] });
        expect(again.statusCode).toBe(409);
        expect(again.json().errors[0].field).toBe('remarkId');
        // It may be made stricter, never looser than the remark.
        expect((await u('lead').caller.patch(`/api/v1/insights/${insight.id}`, { confidentiality: 'attributable' })).statusCode).toBe(400);
      });

      it('should not reveal to a promoter who could not see the speaker who said a non-attributable remark', async () => {
        const res = await u('partner').caller.post(url('non_attributable'), { type: 'concern', themeIds: [billing], summary: 'Invoices surprise finance' });
        expect(res.statusCode).toBe(201);
        const insight = res.json() as InsightBody;
        expect(insight).toMatchObject({ confidentiality: 'non_attributable', contactId: null, summary: 'Invoices surprise finance' });
        expect((await u('lead').caller.get(`/api/v1/insights/${insight.id}`)).json().contactId).toBe(contactId);
        const mine = (await u('partner').caller.get(`/api/v1/sessions/${sessionId}/insights`)).json() as { items: InsightBody[]; canPromote: boolean };
        expect(mine.canPromote).toBe(true);
        expect(mine.items.map((i) => i.remarkId)).toEqual([remarkIds.non_attributable]);
        expect((await u('management').caller.get(`/api/v1/sessions/${sessionId}/insights`)).json().canPromote).toBe(false);
        expect((await u('outsider').caller.get(`/api/v1/sessions/${sessionId}/insights`)).statusCode).toBe(404);
      });
    });

    describe('GET /api/v1/clients/:id/knowledge', () => {
      it('should group insights by top-level theme, newest first, with a timeline and the actions taken', async () => {
        const { client } = await buildClientWithTeam(ctx, { partnerIds: [u('partner').id] });
        const a = await buildInsight(ctx, { clientId: client.id, heardOn: '2025-11-03', themeIds: [speedOfReply], type: 'concern' });
        const b = await buildInsight(ctx, { clientId: client.id, heardOn: '2026-01-15', themeIds: [responsiveness, billing], type: 'praise' });
        const now = new Date().toISOString();
        await t.database.db
          .insertInto('actions')
          .values({
            id: uuidv7(),
            client_id: client.id,
            title: 'Answer within a day',
            owner_id: u('partner').id,
            priority: 'normal',
            status: 'in_progress',
            origin: 'insight',
            insight_id: a.id,
            created_at: now,
            updated_at: now,
            last_activity_at: now,
          })
          .execute();
        expect((await anonymous(t.app).get(`/api/v1/clients/${client.id}/knowledge`)).statusCode).toBe(401);
        expect((await u('partner').caller.get(`/api/v1/clients/${client.id}/knowledge?type=moan`)).statusCode).toBe(400);
        expect((await u('outsider').caller.get(`/api/v1/clients/${client.id}/knowledge`)).statusCode).toBe(403);
        expect((await u('partner').caller.get(`/api/v1/clients/${MISSING}/knowledge`)).statusCode).toBe(404);
        const res = await u('partner').caller.get(`/api/v1/clients/${client.id}/knowledge`);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body.total).toBe(2);
        expect(body.abilities.record).toBe(true);
        expect(body.groups.map((g: { theme: { name: string }; count: number }) => [g.theme.name, g.count])).toEqual([
          ['Responsiveness', 2],
          ['Billing and value', 1],
        ]);
        const responsive = body.groups[0].insights;
        expect(responsive.map((i: InsightBody) => i.id)).toEqual([b.id, a.id]);
        expect(responsive[1].actions).toEqual([{ id: expect.any(String), title: 'Answer within a day', status: 'in_progress' }]);
        expect(responsive[0].actions).toEqual([]);
        expect(body.timeline).toEqual([
          { quarter: '2025-Q4', counts: { concern: 1 } },
          { quarter: '2026-Q1', counts: { praise: 1 } },
        ]);
        const filtered = (await u('partner').caller.get(`/api/v1/clients/${client.id}/knowledge?themeId=${billing}`)).json();
        expect(filtered.total).toBe(1);
        expect((await u('management').caller.get(`/api/v1/clients/${client.id}/knowledge`)).json().abilities.record).toBe(false);
      });
    });
  });
}
