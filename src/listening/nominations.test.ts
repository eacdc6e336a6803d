import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { createClient } from '../clients/clients.js';
import { putTeam } from '../clients/team.js';
import type { ClientStatus } from '../db/schema.js';
import { updateUser } from '../firm/users.js';
import { systemContext } from '../server/context.js';
import { reminderDue, todayUtc, waitingSince } from './nominations.js';

const UNKNOWN = '01900000-0000-7000-8000-000000000000';

function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('reminderDue', () => {
  const now = new Date('2026-03-20T12:00:00.000Z');
  const base = { status: 'proposed' as const, ask_again_on: null, updated_at: '2026-03-10T12:00:00.000Z', last_reminded_at: null };

  it('should remind about a nomination proposed at least N days ago and never reminded', () => {
    expect(reminderDue(base, now, 7)).toBe(true);
    expect(reminderDue(base, now, 10)).toBe(true);
    expect(reminderDue(base, now, 11)).toBe(false);
  });

  it('should not remind again within N days of the last reminder', () => {
    expect(reminderDue({ ...base, last_reminded_at: '2026-03-18T12:00:00.000Z' }, now, 7)).toBe(false);
    expect(reminderDue({ ...base, last_reminded_at: '2026-03-12T12:00:00.000Z' }, now, 7)).toBe(true);
  });

  it('should count a deferred nomination as waiting from its ask-again date', () => {
    const deferred = { ...base, status: 'deferred' as const, ask_again_on: '2026-03-12' };
    expect(waitingSince(deferred, todayUtc(now))).toBe('2026-03-12T00:00:00.000Z');
    expect(reminderDue(deferred, now, 7)).toBe(true);
    expect(reminderDue({ ...deferred, ask_again_on: '2026-03-19' }, now, 7)).toBe(false);
    expect(reminderDue({ ...deferred, ask_again_on: '2026-04-01' }, now, 0)).toBe(false);
  });

  it('should never remind about answered or withdrawn nominations', () => {
    for (const status of ['accepted', 'declined', 'withdrawn'] as const) {
      expect(reminderDue({ ...base, status }, now, 0)).toBe(false);
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: nominations API`, () => {
    let t: TestApp;
    let lead: Caller;
    let leadId: string;
    let ann: Caller;
    let annId: string;
    let bob: Caller;
    let bobId: string;
    let management: Caller;
    let member: Caller;
    let admin: Caller;
    let programmeId: string;

    const ctx = () => systemContext(t.database.db, 'test');

    /** A client made through the services, with its relationship partners. */
    async function client(name: string, partners: string[], opts: { status?: ClientStatus; walledFor?: string[] } = {}) {
      const c = await createClient(ctx(), {
        name,
        status: opts.status ?? 'active',
        isKeyClient: false,
        competitors: [],
        walled: !!opts.walledFor,
        wallMemberIds: opts.walledFor,
      });
      await putTeam(ctx(), c.id, { members: partners.map((userId) => ({ userId, teamRole: 'relationship_partner' as const })) });
      return c.id;
    }

    async function programme(name: string, status: 'draft' | 'active' | 'closed' = 'active') {
      const res = await lead.post('/api/v1/programmes', { name, startsOn: '2026-01-01', endsOn: '2026-12-31', status });
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    }

    const auditFor = (entityId: string) => t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();
    const nominationCount = async (pid: string) =>
      Number(
        (
          await t.database.db
            .selectFrom('nominations')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('programme_id', '=', pid)
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const l = await buildUser(t, 'programme_lead', { name: 'Lena Lead' });
      leadId = l.id;
      lead = await signIn(t.app, l.email);
      const a = await buildUser(t, 'partner', { name: 'Ann Able' });
      annId = a.id;
      ann = await signIn(t.app, a.email);
      const b = await buildUser(t, 'partner', { name: 'Bob Brown' });
      bobId = b.id;
      bob = await signIn(t.app, b.email);
      management = await signIn(t.app, (await buildUser(t, 'management')).email);
      member = await signIn(t.app, (await buildUser(t, 'member')).email);
      admin = await signIn(t.app, (await buildUser(t, 'admin')).email);
      programmeId = await programme('Listening 2026');
    });
    afterAll(async () => t?.close());

    describe('POST /api/v1/programmes/{id}/nominations (propose)', () => {
      let alpha: string;
      let shared: string;
      let lonely: string;
      let retired: string;
      let leadsOwn: string;
      let walled: string;
      beforeAll(async () => {
        alpha = await client('Alpha Ltd', [annId]);
        shared = await client('Shared plc', [annId, bobId]);
        lonely = await client('Lonely LLP', []);
        const gone = await buildUser(t, 'partner', { name: 'Gone Partner' });
        retired = await client('Retired Partner Co', [gone.id]);
        await updateUser(ctx(), gone.id, { active: false });
        walled = await client('Walled Inc', [annId], { walledFor: [annId] });
        // A relationship partner without a partner account could never answer.
        leadsOwn = await client('Lead’s Own Ltd', [leadId]);
      });

      it('should require sign-in', async () => {
        expect((await anonymous(t.app).post(`/api/v1/programmes/${programmeId}/nominations`, { clientIds: [alpha] })).statusCode).toBe(401);
      });

      it('should name each bad field and write nothing', async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{}, 'clientIds'],
          [{ clientIds: [] }, 'clientIds'],
          [{ clientIds: 'x' }, 'clientIds'],
          [{ clientIds: [alpha, alpha] }, 'clientIds.1'],
          [{ clientIds: [alpha, lonely] }, 'clientIds.1'],
          [{ clientIds: [retired] }, 'clientIds.0'],
          [{ clientIds: [leadsOwn] }, 'clientIds.0'],
          [{ clientIds: [alpha, UNKNOWN] }, 'clientIds.1'],
          [{ clientIds: [walled] }, 'clientIds.0'],
          [{ clientIds: [alpha], note: 'x'.repeat(2001) }, 'note'],
          [{ clientIds: [alpha], volunteer: 'no' }, 'volunteer'],
          [{ clientIds: [alpha], priority: 1 }, 'priority'],
        ];
        for (const [body, field] of cases) {
          const res = await lead.post(`/api/v1/programmes/${programmeId}/nominations`, body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.json().errors[0].field, JSON.stringify(body)).toBe(field);
        }
        const noPartner = await lead.post(`/api/v1/programmes/${programmeId}/nominations`, { clientIds: [lonely] });
        expect(noPartner.json().detail).toMatch(/Lonely LLP has no relationship partner/);
        expect(await nominationCount(programmeId)).toBe(0);
      });

      it('should refuse roles that may not propose', async () => {
        for (const caller of [ann, management, member, admin]) {
          expect((await caller.post(`/api/v1/programmes/${programmeId}/nominations`, { clientIds: [alpha] })).statusCode).toBe(403);
        }
        expect(await nominationCount(programmeId)).toBe(0);
      });

      it('should answer 404 for an unknown programme', async () => {
        expect((await lead.post(`/api/v1/programmes/${UNKNOWN}/nominations`, { clientIds: [alpha] })).statusCode).toBe(404);
      });

      it('should send each client to each of its relationship partners, with history and audit', async () => {
        const res = await lead.post(`/api/v1/programmes/${programmeId}/nominations`, { clientIds: [shared, alpha], note: 'Good time to ask' });
        expect(res.statusCode).toBe(201);
        const items = res.json().items;
        expect(items.map((n: { client: { name: string }; partner: { name: string } }) => `${n.client.name} → ${n.partner.name}`)).toEqual([
          'Alpha Ltd → Ann Able',
          'Shared plc → Ann Able',
          'Shared plc → Bob Brown',
        ]);
        expect(items[0]).toMatchObject({
          programme: { id: programmeId, name: 'Listening 2026', status: 'active' },
          origin: 'proposed',
          status: 'proposed',
          proposedBy: { id: leadId, name: 'Lena Lead' },
          note: 'Good time to ask',
          reminderCount: 0,
          waiting: true,
        });
        const events = await t.database.db.selectFrom('nomination_events').selectAll().where('nomination_id', '=', items[0].id).execute();
        expect(events).toEqual([expect.objectContaining({ actor_id: leadId, from_status: null, to_status: 'proposed' })]);
        const [audit] = await auditFor(items[0].id);
        expect(audit).toMatchObject({ action: 'nomination.propose', entity: 'nomination', client_id: alpha, actor_id: leadId });
      });

      it('should refuse a duplicate with 409 naming the client, writing nothing', async () => {
        const before = await nominationCount(programmeId);
        const res = await lead.post(`/api/v1/programmes/${programmeId}/nominations`, { clientIds: [shared] });
        expect(res.statusCode).toBe(409);
        expect(res.json().errors[0].field).toBe('clientIds.0');
        expect(res.json().detail).toMatch(/Shared plc is already nominated to Ann Able/);
        expect(await nominationCount(programmeId)).toBe(before);
      });

      it('should refuse nominations to a closed programme', async () => {
        const closed = await programme('Closed one', 'closed');
        const res = await lead.post(`/api/v1/programmes/${closed}/nominations`, { clientIds: [alpha] });
        expect(res.statusCode).toBe(409);
        expect(await nominationCount(closed)).toBe(0);
      });
    });

    describe('POST /api/v1/programmes/{id}/nominations (volunteer)', () => {
      let lostByAnn: string;
      let bobs: string;
      let pid: string;
      beforeAll(async () => {
        pid = await programme('Volunteering');
        lostByAnn = await client('Lost to a rival', [annId], { status: 'lost' });
        bobs = await client('Bob’s pitch', [bobId], { status: 'pitch_lost' });
      });

      it('should refuse a nomination for a lost client by someone who is not its partner, clearly', async () => {
        const res = await bob.post(`/api/v1/programmes/${pid}/nominations`, { clientIds: [bobs, lostByAnn], volunteer: true });
        expect(res.statusCode).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().errors[0].field).toBe('clientIds.1');
        expect(res.json().detail).toMatch(/not a relationship partner of Lost to a rival/);
        expect(await nominationCount(pid)).toBe(0);
      });

      it('should refuse volunteering by those who are not partners', async () => {
        for (const caller of [lead, management, member]) {
          expect((await caller.post(`/api/v1/programmes/${pid}/nominations`, { clientIds: [lostByAnn], volunteer: true })).statusCode).toBe(403);
        }
      });

      it('should accept a partner’s own lost client at once, as volunteered', async () => {
        const res = await ann.post(`/api/v1/programmes/${pid}/nominations`, { clientIds: [lostByAnn], volunteer: true, note: 'They left us; let us hear why' });
        expect(res.statusCode).toBe(201);
        const [n] = res.json().items;
        expect(n).toMatchObject({ origin: 'volunteered', status: 'accepted', partner: { id: annId }, proposedBy: { id: annId }, waiting: false });
        expect(n.respondedAt).not.toBeNull();
        expect((await auditFor(n.id))[0]).toMatchObject({ action: 'nomination.volunteer', actor_id: annId });
        const again = await ann.post(`/api/v1/programmes/${pid}/nominations`, { clientIds: [lostByAnn], volunteer: true });
        expect(again.statusCode).toBe(409);
      });
    });

    describe('answering, withdrawing and the inbox', () => {
      let pid: string;
      let ids: Record<string, string>;
      beforeAll(async () => {
        pid = await programme('Answers');
        const clients = {
          c1: await client('One Co', [annId]),
          c2: await client('Two Co', [annId]),
          c3: await client('Three Co', [annId]),
          c4: await client('Four Co', [annId, bobId]),
        };
        const res = await lead.post(`/api/v1/programmes/${pid}/nominations`, { clientIds: Object.values(clients) });
        ids = {};
        for (const n of res.json().items as { id: string; client: { name: string }; partner: { id: string } }[]) {
          ids[`${n.client.name}|${n.partner.id === annId ? 'ann' : 'bob'}`] = n.id;
        }
      });
      const url = (key: string) => `/api/v1/nominations/${ids[key]}`;

      it('should require sign-in', async () => {
        expect((await anonymous(t.app).post(`${url('One Co|ann')}/response`, { answer: 'yes' })).statusCode).toBe(401);
        expect((await anonymous(t.app).get(url('One Co|ann'))).statusCode).toBe(401);
        expect((await anonymous(t.app).post(`${url('One Co|ann')}/withdraw`, {})).statusCode).toBe(401);
      });

      it('should name each bad field of an answer', async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{}, 'answer'],
          [{ answer: 'maybe' }, 'answer'],
          [{ answer: 'no' }, 'reason'],
          [{ answer: 'no', reason: '   ' }, 'reason'],
          [{ answer: 'not_now', askAgainOn: daysFromToday(30) }, 'reason'],
          [{ answer: 'not_now', reason: 'Busy quarter' }, 'askAgainOn'],
          [{ answer: 'not_now', reason: 'Busy quarter', askAgainOn: '30/06/2026' }, 'askAgainOn'],
          [{ answer: 'not_now', reason: 'Busy quarter', askAgainOn: todayUtc() }, 'askAgainOn'],
          [{ answer: 'not_now', reason: 'Busy quarter', askAgainOn: daysFromToday(-3) }, 'askAgainOn'],
          [{ answer: 'yes', askAgainOn: daysFromToday(30) }, 'askAgainOn'],
        ];
        for (const [body, field] of cases) {
          const res = await ann.post(`${url('One Co|ann')}/response`, body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.json().errors[0].field, JSON.stringify(body)).toBe(field);
        }
        const row = await t.database.db
          .selectFrom('nominations')
          .select('status')
          .where('id', '=', ids['One Co|ann'] as string)
          .executeTakeFirstOrThrow();
        expect(row.status).toBe('proposed');
      });

      it('should let only the addressed partner answer: others who read it get 403, others 404', async () => {
        for (const caller of [lead, management]) {
          const res = await caller.post(`${url('One Co|ann')}/response`, { answer: 'yes' });
          expect(res.statusCode).toBe(403);
          expect(res.json().detail).toMatch(/Only the partner/);
        }
        for (const caller of [bob, member, admin]) {
          expect((await caller.post(`${url('One Co|ann')}/response`, { answer: 'yes' })).statusCode).toBe(404);
          expect((await caller.get(url('One Co|ann'))).statusCode).toBe(404);
        }
        expect((await ann.post(`/api/v1/nominations/${UNKNOWN}/response`, { answer: 'yes' })).statusCode).toBe(404);
      });

      it('should record each answer with its history and audit, and let the partner change their mind', async () => {
        const later = daysFromToday(60);
        const deferred = await ann.post(`${url('One Co|ann')}/response`, { answer: 'not_now', reason: 'Mid-deal', askAgainOn: later });
        expect(deferred.statusCode).toBe(200);
        expect(deferred.json()).toMatchObject({ status: 'deferred', reason: 'Mid-deal', askAgainOn: later, waiting: false });
        const yes = await ann.post(`${url('One Co|ann')}/response`, { answer: 'yes' });
        expect(yes.json()).toMatchObject({ status: 'accepted', reason: null, askAgainOn: null });
        const detail = (await lead.get(url('One Co|ann'))).json();
        expect(
          detail.events.map((e: { fromStatus: string | null; toStatus: string; actor: { id: string } }) => [e.fromStatus, e.toStatus, e.actor.id]),
        ).toEqual([
          [null, 'proposed', leadId],
          ['proposed', 'deferred', annId],
          ['deferred', 'accepted', annId],
        ]);
        expect(detail.events[1]).toMatchObject({ reason: 'Mid-deal', askAgainOn: later });
        expect(detail.abilities).toEqual({ respond: false, withdraw: true });
        const declined = await ann.post(`${url('Two Co|ann')}/response`, { answer: 'no', reason: 'They are in a dispute with us' });
        expect(declined.json()).toMatchObject({ status: 'declined', reason: 'They are in a dispute with us' });
        const audit = (await auditFor(ids['One Co|ann'] as string)).filter((a) => a.action === 'nomination.respond');
        expect(audit.map((a) => JSON.parse(a.changes).status)).toEqual([
          ['proposed', 'deferred'],
          ['deferred', 'accepted'],
        ]);
      });

      it('should show the partner their inbox: waiting ones first, deferred ones when their date has come', async () => {
        // Four Co is answered "not now"; then time passes (the date is moved back) and it waits again.
        await ann.post(`${url('Four Co|ann')}/response`, { answer: 'not_now', reason: 'Next quarter', askAgainOn: daysFromToday(10) });
        const inboxUrl = `/api/v1/nominations?mine=true&programmeId=${pid}`;
        let inbox = (await ann.get(inboxUrl)).json().items;
        expect(inbox.map((n: { client: { name: string } }) => n.client.name)).toEqual(['Three Co']);
        await t.database.db
          .updateTable('nominations')
          .set({ ask_again_on: daysFromToday(-1) })
          .where('id', '=', ids['Four Co|ann'] as string)
          .execute();
        inbox = (await ann.get(inboxUrl)).json().items;
        expect(inbox.map((n: { client: { name: string }; status: string; waiting: boolean }) => [n.client.name, n.status, n.waiting])).toEqual([
          ['Three Co', 'proposed', true],
          ['Four Co', 'deferred', true],
        ]);
        const answered = (await ann.get(`${inboxUrl}&status=accepted,declined`)).json().items;
        expect(answered.map((n: { client: { name: string } }) => n.client.name).sort()).toEqual(['One Co', 'Two Co']);
        const bobsInbox = (await bob.get(inboxUrl)).json().items;
        expect(bobsInbox.map((n: { client: { name: string }; partner: { id: string } }) => [n.client.name, n.partner.id])).toEqual([['Four Co', bobId]]);
      });

      it('should let a partner list only their own nominations, and refuse roles that read none', async () => {
        const forBob = (await bob.get(`/api/v1/programmes/${pid}/nominations`)).json().items;
        expect(forBob.map((n: { partner: { id: string } }) => n.partner.id)).toEqual([bobId]);
        const forLead = (await lead.get(`/api/v1/programmes/${pid}/nominations?status=proposed,deferred`)).json().items;
        expect(forLead.map((n: { client: { name: string }; partner: { id: string } }) => `${n.client.name}|${n.partner.id === annId ? 'ann' : 'bob'}`)).toEqual(
          ['Four Co|ann', 'Four Co|bob', 'Three Co|ann'],
        );
        const byPartner = (await management.get(`/api/v1/programmes/${pid}/nominations?partnerId=${bobId}`)).json().items;
        expect(byPartner).toHaveLength(1);
        for (const caller of [member, admin]) {
          expect((await caller.get(`/api/v1/programmes/${pid}/nominations`)).statusCode).toBe(403);
          expect((await caller.get('/api/v1/nominations?mine=true')).statusCode).toBe(403);
        }
        const bad = await lead.get(`/api/v1/programmes/${pid}/nominations?status=maybe`);
        expect(bad.statusCode).toBe(400);
        expect(bad.json().errors[0].field).toBe('status');
      });

      it('should let only the lead withdraw, then refuse answers to it', async () => {
        const key = 'Four Co|bob';
        expect((await bob.post(`${url(key)}/withdraw`, {})).statusCode).toBe(403);
        expect((await management.post(`${url(key)}/withdraw`, {})).statusCode).toBe(403);
        expect((await member.post(`${url(key)}/withdraw`, {})).statusCode).toBe(404);
        expect((await lead.post(`/api/v1/nominations/${UNKNOWN}/withdraw`, {})).statusCode).toBe(404);
        const tooLong = await lead.post(`${url(key)}/withdraw`, { reason: 'x'.repeat(2001) });
        expect(tooLong.json().errors[0].field).toBe('reason');
        const res = await lead.post(`${url(key)}/withdraw`, { reason: 'Bob is on leave' });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ status: 'withdrawn', reason: 'Bob is on leave', abilities: { respond: false, withdraw: false } });
        expect((await auditFor(ids[key] as string)).at(-1)).toMatchObject({ action: 'nomination.withdraw', actor_id: leadId });
        const answer = await bob.post(`${url(key)}/response`, { answer: 'yes' });
        expect(answer.statusCode).toBe(409);
        expect((await lead.post(`${url(key)}/withdraw`, {})).statusCode).toBe(409);
        // Four Co's other partner still has it: proposing it again is all or nothing, so refused.
        const fourCo = (await lead.get(url(key))).json().client.id;
        const clash = await lead.post(`/api/v1/programmes/${pid}/nominations`, { clientIds: [fourCo] });
        expect(clash.statusCode).toBe(409);
        expect(clash.json().detail).toMatch(/Four Co is already nominated to Ann Able/);
        // Proposed again, a withdrawn nomination carries on with its history.
        await lead.post(`${url('Three Co|ann')}/withdraw`, {});
        const threeCo = (await lead.get(url('Three Co|ann'))).json().client.id;
        const again = await lead.post(`/api/v1/programmes/${pid}/nominations`, { clientIds: [threeCo] });
        expect(again.statusCode).toBe(201);
        expect(again.json().items.map((n: { id: string }) => n.id)).toEqual([ids['Three Co|ann']]);
        const history = (await lead.get(url('Three Co|ann'))).json().events.map((e: { toStatus: string }) => e.toStatus);
        expect(history).toEqual(['proposed', 'withdrawn', 'proposed']);
      });
    });

    describe('POST /api/v1/programmes/{id}/reminders', () => {
      let pid: string;
      let oldId: string;
      let freshId: string;
      beforeAll(async () => {
        pid = await programme('Reminders');
        const items = (
          await lead.post(`/api/v1/programmes/${pid}/nominations`, { clientIds: [await client('Old Co', [annId]), await client('Fresh Co', [bobId])] })
        ).json().items as { id: string; client: { name: string } }[];
        oldId = items.find((n) => n.client.name === 'Old Co')?.id as string;
        freshId = items.find((n) => n.client.name === 'Fresh Co')?.id as string;
        // Ten days pass for the old one.
        await t.database.db
          .updateTable('nominations')
          .set({ updated_at: new Date(Date.now() - 10 * 86_400_000).toISOString() })
          .where('id', '=', oldId)
          .execute();
      });

      it('should require sign-in', async () => {
        expect((await anonymous(t.app).post(`/api/v1/programmes/${pid}/reminders`, {})).statusCode).toBe(401);
      });

      it('should name a bad number of days', async () => {
        for (const days of [-1, 1.5, 'seven', 400]) {
          const res = await lead.post(`/api/v1/programmes/${pid}/reminders`, { days });
          expect(res.statusCode).toBe(400);
          expect(res.json().errors[0].field).toBe('days');
        }
      });

      it('should refuse everyone but programme leads, and answer 404 for an unknown programme', async () => {
        for (const caller of [ann, management, member, admin]) {
          expect((await caller.post(`/api/v1/programmes/${pid}/reminders`, {})).statusCode).toBe(403);
        }
        expect((await lead.post(`/api/v1/programmes/${UNKNOWN}/reminders`, {})).statusCode).toBe(404);
      });

      it('should remind about nominations waiting 7 days or more, once, and show the count in the inbox', async () => {
        // No body at all: the default of 7 days applies.
        const res = await lead.request('POST', `/api/v1/programmes/${pid}/reminders`);
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({
          days: 7,
          reminded: [{ nominationId: oldId, client: { name: 'Old Co' }, partner: { id: annId, name: 'Ann Able' }, reminderCount: 1 }],
          partners: [{ id: annId, name: 'Ann Able', nominations: 1 }],
        });
        const row = await t.database.db.selectFrom('nominations').selectAll().where('id', '=', oldId).executeTakeFirstOrThrow();
        expect(row.reminder_count).toBe(1);
        expect(row.last_reminded_at).not.toBeNull();
        expect((await auditFor(oldId)).at(-1)).toMatchObject({ action: 'nomination.remind', actor_id: leadId });
        const inbox = (await ann.get('/api/v1/nominations?mine=true')).json().items;
        expect(inbox.find((n: { id: string }) => n.id === oldId)).toMatchObject({ reminderCount: 1 });
        // Pressed again at once: nobody is nagged twice.
        expect((await lead.post(`/api/v1/programmes/${pid}/reminders`, {})).json().reminded).toEqual([]);
        // With days = 0 the fresh one is reminded too (and the old one, whose last reminder is "0 days" old).
        const now = (await lead.post(`/api/v1/programmes/${pid}/reminders`, { days: 0 })).json();
        expect(now.reminded.map((r: { nominationId: string }) => r.nominationId).sort()).toEqual([oldId, freshId].sort());
      });
    });

    describe('GET /api/v1/programmes/{id}/participation', () => {
      let pid: string;
      let carl: Caller;
      let carlId: string;
      beforeAll(async () => {
        pid = await programme('Participation');
        const c = await buildUser(t, 'partner', { name: 'Carl Committed' });
        carlId = c.id;
        carl = await signIn(t.app, c.email);
        await carl.put(`/api/v1/programmes/${pid}/commitment`, { commitment: 'yes' });
        await ann.put(`/api/v1/programmes/${pid}/commitment`, { commitment: 'yes' });
        const carls = await client('Carl’s happy client', [carlId]);
        const lapsed = await client('Lapsed Co', [annId], { status: 'lapsed' });
        const happy = await client('Happy Co', [annId]);
        const items = (await lead.post(`/api/v1/programmes/${pid}/nominations`, { clientIds: [carls, lapsed, happy] })).json().items as {
          id: string;
          client: { name: string };
        }[];
        const idOf = (name: string) => items.find((n) => n.client.name === name)?.id;
        await carl.post(`/api/v1/nominations/${idOf('Carl’s happy client')}/response`, { answer: 'not_now', reason: 'Later', askAgainOn: daysFromToday(20) });
        await ann.post(`/api/v1/nominations/${idOf('Lapsed Co')}/response`, { answer: 'yes' });
        // A walled client Ann volunteers: those not listed on the wall must not count it.
        const hidden = await client('Hidden Co', [annId], { status: 'lost', walledFor: [annId] });
        await ann.post(`/api/v1/programmes/${pid}/nominations`, { clientIds: [hidden], volunteer: true });
      });

      it('should require sign-in and refuse roles that read no nominations', async () => {
        expect((await anonymous(t.app).get(`/api/v1/programmes/${pid}/participation`)).statusCode).toBe(401);
        for (const caller of [member, admin]) {
          expect((await caller.get(`/api/v1/programmes/${pid}/participation`)).statusCode).toBe(403);
        }
        expect((await lead.get(`/api/v1/programmes/${UNKNOWN}/participation`)).statusCode).toBe(404);
      });

      it('should count per partner over the clients the viewer may see, and flag yes-but-nothing', async () => {
        const res = await lead.get(`/api/v1/programmes/${pid}/participation`);
        expect(res.statusCode).toBe(200);
        const rows = res.json().items as { partner: { id: string } }[];
        expect(rows.find((r) => r.partner.id === carlId)).toMatchObject({
          commitment: 'yes',
          proposed: 1,
          deferred: 1,
          putForward: 0,
          saidYesPutNothingForward: true,
        });
        expect(rows.find((r) => r.partner.id === annId)).toMatchObject({
          commitment: 'yes',
          proposed: 2,
          accepted: 1,
          notAnswered: 1,
          volunteered: 0,
          putForward: 1,
          atRiskPutForward: 1,
          lostPutForward: 0,
          putForwardUnhappyOrLost: true,
          saidYesPutNothingForward: false,
        });
        // Partners who never engaged show too, with zeros.
        expect(rows.find((r) => r.partner.id === bobId)).toMatchObject({ commitment: null, proposed: 0, putForward: 0, saidYesPutNothingForward: false });
        expect(res.json().flagged).toBeGreaterThanOrEqual(1);
      });

      it('should show a partner their own row only, their walled volunteered client included', async () => {
        const res = (await ann.get(`/api/v1/programmes/${pid}/participation`)).json();
        expect(res.items).toHaveLength(1);
        expect(res.items[0]).toMatchObject({ partner: { id: annId }, volunteered: 1, putForward: 2, lostPutForward: 1 });
        const leadsView = (await lead.get(`/api/v1/programmes/${pid}/nominations`)).json().items;
        expect(leadsView.map((n: { client: { name: string } }) => n.client.name)).not.toContain('Hidden Co');
      });
    });
  });
}
