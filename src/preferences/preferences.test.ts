import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { buildAction } from '../actions/testing.js';
import type { ClientTeamRole, Role } from '../db/schema.js';
import { POLICY, scopeSatisfied } from '../http/access.js';
import { buildInsight } from '../insights/testing.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { createCheckIn } from '../relationships/check-ins.js';
import { systemContext } from '../server/context.js';
import { createPreference, loadRuleSources } from './preferences.js';
import { reportsDueForUser } from './reports-due.js';

type User = Awaited<ReturnType<typeof buildUser>>;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const fieldsOf = (res: { json(): unknown }) => ((res.json() as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);

async function docxText(body: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(body);
  const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

interface Persona {
  label: string;
  role: Role;
  teamRole?: ClientTeamRole;
}
const PERSONAS: Persona[] = [
  { label: 'admin', role: 'admin' },
  { label: 'programme lead', role: 'programme_lead' },
  { label: 'management', role: 'management' },
  { label: 'relationship partner', role: 'partner', teamRole: 'relationship_partner' },
  { label: 'member on the team', role: 'member', teamRole: 'member' },
  { label: 'partner off the team', role: 'partner' },
  { label: 'member off the team', role: 'member' },
  { label: 'external', role: 'external' },
];
type Kind = 'open' | 'walled, listed' | 'walled, not listed';
const KINDS: Kind[] = ['open', 'walled, listed', 'walled, not listed'];

function grant(p: Persona, action: 'read' | 'create' | 'update') {
  const scope = (POLICY.preference[action] as Partial<Record<Role, 'any' | 'client_team' | 'relationship_partner'>>)[p.role];
  return scope !== undefined && scopeSatisfied(scope, p.teamRole);
}

for (const dialect of DIALECTS) {
  describe(`preferences API (${dialect})`, () => {
    let t: TestApp;
    const users = new Map<string, User>();
    const callers = new Map<string, Caller>();
    let rp: Caller;
    let lead: Caller;
    let partner: User;
    let clientId: string;
    let megge: string;
    let bookkeeper: string;
    let otherContactId: string;

    const auditOf = (entityId: string) =>
      t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', entityId).orderBy('at').orderBy('id').execute();

    beforeAll(async () => {
      t = await createTestApp(dialect);
      for (const p of PERSONAS) {
        const u = await buildUser(t, p.role, { name: p.label });
        users.set(p.label, u);
        callers.set(p.label, await signIn(t.app, u.email));
      }
      partner = users.get('relationship partner') as User;
      rp = callers.get('relationship partner') as Caller;
      lead = callers.get('programme lead') as Caller;
      const sys = systemContext(t.database.db, 'test');
      const team = { partnerIds: [partner.id], memberIds: [users.get('member on the team')?.id ?? ''] };
      const c = await buildClientWithTeam(sys, { ...team, name: `Ford Motor Company ${dialect}`, contacts: ['Megge Ross', 'Bob Bookkeeper'] });
      clientId = c.client.id;
      megge = c.contacts[0]?.id ?? '';
      bookkeeper = c.contacts[1]?.id ?? '';
      const o = await buildClientWithTeam(sys, team);
      otherContactId = o.contacts[0]?.id ?? '';
    }, 120_000);
    afterAll(async () => t.close());

    describe('POST /api/v1/preferences', () => {
      it('should answer 401 without a session', async () => {
        expect((await anonymous(t.app).post('/api/v1/preferences', { clientId, category: 'other', statement: 'x' })).statusCode).toBe(401);
      });

      it('should refuse a missing statement, naming the field', async () => {
        const res = await rp.post('/api/v1/preferences', { clientId, category: 'other', statement: '  ' });
        expect(res.statusCode).toBe(400);
        expect(fieldsOf(res)).toContain('statement');
      });

      it('should refuse a rule kind the category does not admit, naming rule.kind', async () => {
        const res = await rp.post('/api/v1/preferences', {
          clientId,
          category: 'billing',
          statement: 'Call her Megge',
          rule: { kind: 'naming', preferredName: 'Megge', avoid: ['Meg'] },
        });
        expect(res.statusCode).toBe(400);
        expect(fieldsOf(res)).toEqual(['rule.kind']);
        const none = await rp.post('/api/v1/preferences', { clientId, category: 'other', statement: 'x', rule: { kind: 'naming', preferredName: 'M' } });
        expect(fieldsOf(none)).toEqual(['rule.kind']);
      });

      it('should refuse an unknown rule kind and a malformed rule', async () => {
        const res = await rp.post('/api/v1/preferences', { clientId, category: 'billing', statement: 'x', rule: { kind: 'nonsense' } });
        expect(res.statusCode).toBe(400);
        expect(fieldsOf(res)).toContain('rule.kind');
        const bad = await rp.post('/api/v1/preferences', { clientId, category: 'billing', statement: 'x', rule: { kind: 'billing', lateEntryGraceDays: -3 } });
        expect(bad.statusCode).toBe(400);
        expect(fieldsOf(bad)).toContain('rule.lateEntryGraceDays');
      });

      it('should refuse a contact of another client, for the preference and for a restricted recipient', async () => {
        const res = await rp.post('/api/v1/preferences', { clientId, contactId: otherContactId, category: 'other', statement: 'x' });
        expect(res.statusCode).toBe(400);
        expect(fieldsOf(res)).toEqual(['contactId']);
        const rule = await rp.post('/api/v1/preferences', {
          clientId,
          category: 'documents',
          statement: 'The bookkeeper must not see private matters',
          rule: { kind: 'restricted_recipient', contactId: otherContactId, keywords: ['estate'] },
        });
        expect(rule.statusCode).toBe(400);
        expect(fieldsOf(rule)).toEqual(['rule.contactId']);
      });

      it('should accept a restricted recipient who is a contact of the client', async () => {
        const res = await rp.post('/api/v1/preferences', {
          clientId,
          category: 'documents',
          statement: 'My bookkeeper must not see my private matters',
          rule: { kind: 'restricted_recipient', contactId: bookkeeper, keywords: ['estate', 'personal'] },
        });
        expect(res.statusCode).toBe(201);
        expect(res.json().rule).toEqual({ kind: 'restricted_recipient', contactId: bookkeeper, keywords: ['estate', 'personal'] });
      });

      it('should refuse bad and future dates', async () => {
        const bad = await rp.post('/api/v1/preferences', { clientId, category: 'other', statement: 'x', learnedOn: '23/11/2026' });
        expect(bad.statusCode).toBe(400);
        expect(fieldsOf(bad)).toEqual(['learnedOn']);
        const future = await rp.post('/api/v1/preferences', { clientId, category: 'other', statement: 'x', learnedOn: '2999-01-01' });
        expect(future.statusCode).toBe(400);
        expect(fieldsOf(future)).toEqual(['learnedOn']);
      });

      it('should record a preference with its rule, history and audit', async () => {
        const res = await rp.post('/api/v1/preferences', {
          clientId,
          contactId: megge,
          category: 'naming',
          statement: 'My name is Megge, not Meg',
          rule: { kind: 'naming', preferredName: 'Megge', avoid: ['Meg'] },
          source: 'person',
          sourcePerson: 'Her assistant',
          learnedOn: daysAgo(10),
        });
        expect(res.statusCode).toBe(201);
        const body = res.json();
        expect(body).toMatchObject({
          client: { id: clientId },
          contact: { id: megge, name: 'Megge Ross' },
          category: 'naming',
          rule: { kind: 'naming', preferredName: 'Megge', avoid: ['Meg'] },
          learnedOn: daysAgo(10),
          lastConfirmedOn: daysAgo(10),
          version: 1,
          stale: false,
          archived: false,
          abilities: { update: true },
        });
        expect(await auditOf(body.id)).toEqual([{ action: 'preference.create' }]);
        const history = (await rp.get(`/api/v1/preferences/${body.id}/history`)).json();
        expect(history.items.map((h: { change: string }) => h.change)).toEqual(['created']);
        const sources = await loadRuleSources(t.database.db, clientId);
        expect(sources.find((s) => s.preferenceId === body.id)).toMatchObject({ contactId: megge, category: 'naming', statement: 'My name is Megge, not Meg' });
      });
    });

    describe('PATCH, confirm, archive, history', () => {
      let prefId: string;
      beforeAll(async () => {
        const res = await rp.post('/api/v1/preferences', {
          clientId,
          category: 'billing',
          statement: 'We will not pay for “review of file”',
          rule: { kind: 'billing', disallowedPhrases: ['review of file'] },
          learnedOn: daysAgo(30),
        });
        expect(res.statusCode, res.body).toBe(201);
        prefId = res.json().id;
      });

      it('should edit at the current version and refuse a stale one with 409 edit_conflict', async () => {
        const ok = await rp.patch(`/api/v1/preferences/${prefId}`, {
          baseVersion: 1,
          rule: { kind: 'billing', disallowedPhrases: ['review of file', 'file review'], lateEntryGraceDays: 30 },
        });
        expect(ok.statusCode).toBe(200);
        expect(ok.json()).toMatchObject({ version: 2, rule: { lateEntryGraceDays: 30, disallowedPhrases: ['review of file', 'file review'] } });
        const stale = await callers.get('member on the team')?.patch(`/api/v1/preferences/${prefId}`, { baseVersion: 1, statement: 'Overwrite' });
        expect(stale?.statusCode).toBe(409);
        expect(stale?.json()).toMatchObject({ code: 'edit_conflict', current: { version: 2, statement: 'We will not pay for “review of file”' } });
        expect((await rp.get(`/api/v1/preferences/${prefId}`)).json().statement).toBe('We will not pay for “review of file”');
      });

      it('should refuse a category change the rule does not suit, and lastConfirmedOn before learnedOn', async () => {
        const cat = await rp.patch(`/api/v1/preferences/${prefId}`, { baseVersion: 2, category: 'hospitality' });
        expect(cat.statusCode).toBe(400);
        expect(fieldsOf(cat)).toEqual(['rule.kind']);
        const dates = await rp.patch(`/api/v1/preferences/${prefId}`, { baseVersion: 2, lastConfirmedOn: daysAgo(40) });
        expect(dates.statusCode).toBe(400);
        expect(fieldsOf(dates)).toEqual(['lastConfirmedOn']);
      });

      it('should confirm, archive and restore, keeping every change in the history', async () => {
        const confirmed = await rp.post(`/api/v1/preferences/${prefId}/confirm`);
        expect(confirmed.statusCode).toBe(200);
        expect(confirmed.json()).toMatchObject({ lastConfirmedOn: daysAgo(0), version: 3 });
        expect((await rp.post(`/api/v1/preferences/${prefId}/archive`)).json()).toMatchObject({ archived: true, version: 4 });
        const current = (await rp.get(`/api/v1/preferences?clientId=${clientId}`)).json().items.map((p: { id: string }) => p.id);
        expect(current).not.toContain(prefId);
        const archived = (await rp.get(`/api/v1/preferences?clientId=${clientId}&archived=true`)).json().items.map((p: { id: string }) => p.id);
        expect(archived).toContain(prefId);
        expect((await loadRuleSources(t.database.db, clientId)).map((s) => s.preferenceId)).not.toContain(prefId);
        expect((await rp.post(`/api/v1/preferences/${prefId}/restore`)).json()).toMatchObject({ archived: false, version: 5 });
        const history = (await rp.get(`/api/v1/preferences/${prefId}/history`)).json().items;
        expect(history.map((h: { change: string }) => h.change)).toEqual(['created', 'updated', 'confirmed', 'archived', 'restored']);
        expect(history[1]).toMatchObject({ before: { version: 1 }, after: { version: 2, rule: { lateEntryGraceDays: 30 } }, changedBy: { id: partner.id } });
        expect((await auditOf(prefId)).map((a) => a.action)).toEqual([
          'preference.create',
          'preference.update',
          'preference.confirm',
          'preference.archive',
          'preference.restore',
        ]);
      });

      it('should delete a preference and audit it', async () => {
        const created = (await rp.post('/api/v1/preferences', { clientId, category: 'other', statement: 'Recorded by mistake' })).json();
        expect((await rp.delete(`/api/v1/preferences/${created.id}`)).statusCode).toBe(204);
        expect((await rp.get(`/api/v1/preferences/${created.id}`)).statusCode).toBe(404);
        expect((await auditOf(created.id)).map((a) => a.action)).toEqual(['preference.create', 'preference.delete']);
      });
    });

    describe('stale preferences ("ask again")', () => {
      it('should list only preferences not confirmed within the stale age, oldest first, with paging', async () => {
        const c = await buildClientWithTeam(systemContext(t.database.db, 'test'), { partnerIds: [partner.id] });
        const make = async (statement: string, learnedOn: string) =>
          (await rp.post('/api/v1/preferences', { clientId: c.client.id, category: 'other', statement, learnedOn })).json().id as string;
        const older = await make('Older', daysAgo(700));
        const old = await make('Old', daysAgo(400));
        const fresh = await make('Fresh', daysAgo(100));
        const first = (await rp.get(`/api/v1/preferences?clientId=${c.client.id}&stale=true&limit=1`)).json();
        expect(first.items.map((p: { id: string }) => p.id)).toEqual([older]);
        expect(first.items[0].stale).toBe(true);
        const second = (await rp.get(`/api/v1/preferences?clientId=${c.client.id}&stale=true&limit=1&cursor=${first.nextCursor}`)).json();
        expect(second.items.map((p: { id: string }) => p.id)).toEqual([old]);
        expect(second.nextCursor).toBeNull();
        const all = (await rp.get(`/api/v1/preferences?clientId=${c.client.id}`)).json().items.map((p: { id: string }) => p.id);
        expect(all).toEqual([fresh, old, older]);
        await rp.post(`/api/v1/preferences/${older}/confirm`);
        const after = (await rp.get(`/api/v1/preferences?clientId=${c.client.id}&stale=true`)).json().items.map((p: { id: string }) => p.id);
        expect(after).toEqual([old]);
      });
    });

    describe('access matrix', () => {
      const fixtures = new Map<Kind, { clientId: string; prefId: string }>();
      beforeAll(async () => {
        const sys = systemContext(t.database.db, 'test');
        const all = [...users.values()].map((u) => u.id);
        const team = { partnerIds: [partner.id], memberIds: [users.get('member on the team')?.id ?? ''] };
        const stranger = await buildUser(t, 'partner');
        for (const kind of KINDS) {
          const c =
            kind === 'open'
              ? await buildClientWithTeam(sys, team)
              : kind === 'walled, listed'
                ? await buildClientWithTeam(sys, { ...team, walled: true, wallMemberIds: all })
                : await buildClientWithTeam(sys, { walled: true, wallMemberIds: [stranger.id], partnerIds: [stranger.id] });
          const pref = await createPreference(sys, { clientId: c.client.id, category: 'other', statement: `Matrix ${kind}`, source: 'person' });
          fixtures.set(kind, { clientId: c.client.id, prefId: pref.id });
        }
      });

      for (const p of PERSONAS) {
        for (const kind of KINDS) {
          it(`${p.label} on a ${kind} client`, async () => {
            const f = fixtures.get(kind) as { clientId: string; prefId: string };
            const caller = callers.get(p.label) as Caller;
            const visible = kind !== 'walled, not listed' && p.role !== 'external';
            const read = visible && grant(p, 'read');
            expect((await caller.get(`/api/v1/preferences/${f.prefId}`)).statusCode).toBe(read ? 200 : 404);
            const listed = (await caller.get(`/api/v1/preferences?clientId=${f.clientId}`)).json().items?.map((x: { id: string }) => x.id) ?? [];
            expect(listed.includes(f.prefId)).toBe(read);
            expect((await caller.get(`/api/v1/clients/${f.clientId}/brief`)).statusCode).toBe(!visible ? 404 : read ? 200 : 403);
            const create = await caller.post('/api/v1/preferences', { clientId: f.clientId, category: 'other', statement: 'Matrix create' });
            expect(create.statusCode).toBe(!visible ? 404 : grant(p, 'create') ? 201 : 403);
            const confirm = await caller.post(`/api/v1/preferences/${f.prefId}/confirm`);
            expect(confirm.statusCode).toBe(!read ? 404 : grant(p, 'update') ? 200 : 403);
          });
        }
      }
    });

    describe('GET /api/v1/clients/{id}/brief', () => {
      let briefClient: string;
      beforeAll(async () => {
        const sys = systemContext(t.database.db, 'test');
        const c = await buildClientWithTeam(sys, {
          partnerIds: [partner.id],
          memberIds: [users.get('member on the team')?.id ?? ''],
          name: `Coca-Cola Company ${dialect}`,
          contacts: ['Margaret Lee', 'Gone Person'],
        });
        briefClient = c.client.id;
        const [margaret, gone] = c.contacts;
        await t.database.db
          .updateTable('contacts')
          .set({ preferred_name: 'Megge', role: 'General Counsel' })
          .where('id', '=', margaret?.id ?? '')
          .execute();
        await t.database.db
          .updateTable('contacts')
          .set({ left_on: daysAgo(5) })
          .where('id', '=', gone?.id ?? '')
          .execute();
        await createPreference(sys, {
          clientId: briefClient,
          contactId: margaret?.id,
          category: 'naming',
          statement: 'Call me Megge',
          rule: { kind: 'naming', preferredName: 'Megge', avoid: ['Meg'] },
          source: 'person',
        });
        await createPreference(sys, {
          clientId: briefClient,
          category: 'hospitality',
          statement: 'Our people notice Pepsi in your fridges',
          rule: { kind: 'avoid_brands', brands: [{ name: 'PepsiCo', aliases: ['Pepsi'] }] },
          source: 'session',
        });
        await createPreference(sys, {
          clientId: briefClient,
          category: 'reporting',
          statement: 'A litigation update a week before each monthly board meeting',
          rule: { kind: 'reporting_schedule', report: 'Litigation status update', anchor: { type: 'day_of_month', day: 15 }, leadDays: 5 },
          source: 'check_in',
        });
        await buildInsight(sys, { clientId: briefClient, summary: 'Shareable praise of the deal team', type: 'praise', confidentiality: 'attributable' });
        await buildInsight(sys, { clientId: briefClient, summary: 'SECRET programme-only worry', confidentiality: 'programme_only' });
        await buildAction(sys, { clientId: briefClient, ownerId: partner.id, title: 'Send the closing bible' });
        await createCheckIn(sys, { clientId: briefClient, heldOn: daysAgo(3), channel: 'call' });
      });

      it('should give contacts, do and don’t, feedback without programme-only, actions, reports due and the last check-in', async () => {
        for (const who of ['relationship partner', 'programme lead']) {
          const res = await (callers.get(who) as Caller).get(`/api/v1/clients/${briefClient}/brief`);
          expect(res.statusCode).toBe(200);
          const brief = res.json();
          expect(brief.contacts.map((c: { name: string }) => c.name)).toEqual(['Margaret Lee']);
          expect(brief.contacts[0]).toMatchObject({ preferredName: 'Megge', role: 'General Counsel' });
          const naming = brief.guidance.find((g: { category: string }) => g.category === 'naming');
          expect(naming.items[0]).toMatchObject({ do: ['Call Margaret Lee “Megge”'], dont: ['Not “Meg”'] });
          expect(brief.guidance.find((g: { category: string }) => g.category === 'hospitality').items[0].dont).toEqual(['No PepsiCo (also Pepsi)']);
          expect(brief.feedback.map((f: { summary: string }) => f.summary)).toEqual(['Shareable praise of the deal team']);
          expect(JSON.stringify(brief)).not.toContain('SECRET');
          expect(brief.openActions.map((a: { title: string }) => a.title)).toEqual(['Send the closing bible']);
          expect(brief.reportsDue.length).toBeGreaterThanOrEqual(1);
          for (const r of brief.reportsDue) {
            expect(r.dueOn.slice(8)).toBe('10');
            expect(r.meetingOn.slice(8)).toBe('15');
          }
          expect(brief.lastCheckIn).toMatchObject({ on: daysAgo(3), kind: 'check_in' });
        }
      });

      it('should produce Word and PDF documents with the same content', async () => {
        const docx = await rp.get(`/api/v1/clients/${briefClient}/brief.docx`);
        expect(docx.statusCode).toBe(200);
        expect(docx.headers['content-type']).toContain('wordprocessingml');
        expect(docx.headers['content-disposition']).toMatch(/^attachment; filename="client-brief-Coca-Cola-Company-.*\.docx"$/);
        const pdf = await rp.get(`/api/v1/clients/${briefClient}/brief.pdf`);
        expect(pdf.statusCode).toBe(200);
        expect(pdf.headers['content-type']).toBe('application/pdf');
        for (const text of [await docxText(docx.rawPayload), pdfText(pdf.rawPayload)]) {
          expect(text).toContain('Key contacts');
          expect(text).toContain('Margaret Lee (goes by Megge)');
          expect(text).toContain('Call me Megge');
          expect(text).toContain('Shareable praise of the deal team');
          expect(text).toContain('Send the closing bible');
          expect(text).not.toContain('SECRET');
          expect(text).not.toContain('Gone Person');
        }
        expect((await callers.get('partner off the team')?.get(`/api/v1/clients/${briefClient}/brief.pdf`))?.statusCode).toBe(403);
      });
    });

    describe('reports due and the calendar feed', () => {
      let reportClient: string;
      beforeAll(async () => {
        const sys = systemContext(t.database.db, 'test');
        const c = await buildClientWithTeam(sys, { partnerIds: [partner.id], name: `Board Reporting ${dialect}` });
        reportClient = c.client.id;
        await createPreference(sys, {
          clientId: reportClient,
          category: 'reporting',
          statement: 'Status of every dispute before the monthly board meeting',
          rule: { kind: 'reporting_schedule', report: 'Disputes update', anchor: { type: 'nth_weekday', nth: 1, weekday: 2 }, leadDays: 3 },
          source: 'person',
        });
      });

      it('should list reports due for clients I may see, and not for others', async () => {
        const res = await rp.get('/api/v1/me/reports-due?days=62');
        expect(res.statusCode).toBe(200);
        const mine = res.json().items.filter((i: { client: { id: string } }) => i.client.id === reportClient);
        expect(mine.length).toBeGreaterThanOrEqual(2);
        expect(new Set(mine.map((i: { uid: string }) => i.uid)).size).toBe(mine.length);
        const off = (await callers.get('member off the team')?.get('/api/v1/me/reports-due?days=62'))?.json();
        expect(off.items.some((i: { client: { id: string } }) => i.client.id === reportClient)).toBe(false);
        const viaService = await reportsDueForUser(systemContext(t.database.db), daysAgo(0), daysAgo(-62));
        expect(viaService.filter((i) => i.client.id === reportClient).map((i) => i.uid)).toEqual(mine.map((i: { uid: string }) => i.uid));
        expect((await rp.get('/api/v1/me/reports-due?days=0')).statusCode).toBe(400);
      });

      it('should serve the ICS feed to a valid token and 401 once revoked', async () => {
        expect((await rp.get('/api/v1/me/calendar-token')).json()).toMatchObject({ active: false });
        const created = await rp.post('/api/v1/me/calendar-token');
        expect(created.statusCode).toBe(201);
        const { token, path } = created.json();
        expect(path).toContain('/api/v1/me/calendar.ics?token=');
        expect((await rp.get('/api/v1/me/calendar-token')).json()).toMatchObject({ active: true, prefix: token.slice(0, 12) });
        const stored = await t.database.db.selectFrom('calendar_feed_tokens').select('token_hash').where('prefix', '=', token.slice(0, 12)).execute();
        expect(stored.map((s) => s.token_hash)).not.toContain(token);

        const feed = await anonymous(t.app).get(path);
        expect(feed.statusCode).toBe(200);
        expect(feed.headers['content-type']).toContain('text/calendar');
        expect(feed.body).toContain('BEGIN:VCALENDAR');
        expect(feed.body).toContain(`Disputes update due: Board Reporting ${dialect}`);
        const again = await anonymous(t.app).get(path);
        const uids = (s: string) => [...s.matchAll(/^UID:(.*)$/gm)].map((m) => m[1]?.trim());
        expect(uids(again.body)).toEqual(uids(feed.body));

        expect((await anonymous(t.app).get('/api/v1/me/calendar.ics?token=hkcal_wrong')).statusCode).toBe(401);
        expect((await anonymous(t.app).get('/api/v1/me/calendar.ics')).statusCode).toBe(401);
        expect((await rp.delete('/api/v1/me/calendar-token')).statusCode).toBe(204);
        expect((await anonymous(t.app).get(path)).statusCode).toBe(401);
        expect((await rp.get('/api/v1/me/calendar-token')).json()).toMatchObject({ active: false });
      });

      it('should revoke the earlier token when a new one is made', async () => {
        const first = (await rp.post('/api/v1/me/calendar-token')).json();
        const second = (await rp.post('/api/v1/me/calendar-token')).json();
        expect((await anonymous(t.app).get(first.path)).statusCode).toBe(401);
        expect((await anonymous(t.app).get(second.path)).statusCode).toBe(200);
        expect((await lead.get('/api/v1/me/calendar-token')).json()).toMatchObject({ active: false });
      });
    });
  });
}
