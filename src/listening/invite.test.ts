import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { type ServiceContext, systemContext } from '../server/context.js';
import { buildInvite, type InviteInput } from './invite.js';
import { buildClientWithTeam, buildCompletedSession, buildSession, remarksOfEachKind } from './testing.js';

/** Parses an invite with a real iCalendar parser, as a calendar would. */
function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const event = calendar.getFirstSubcomponent('vevent');
  if (!event) {
    throw new Error('no VEVENT');
  }
  return { calendar, event, vevent: new ICAL.Event(event) };
}

const base: InviteInput = {
  uid: 'abc@hearken',
  sequence: 0,
  cancelled: false,
  title: 'Client listening session: Acme, Inc.',
  startsAt: '2026-03-01T09:30:00.000Z',
  durationMinutes: 90,
  organizer: { name: 'Ivy Interviewer', email: 'ivy@firm.test' },
  attendees: [
    { name: 'Jane Doe, GC', email: 'jane@acme.test' },
    { name: 'Mo Member', email: 'mo@firm.test' },
  ],
  location: 'https://teams.example.com/meet/1?x=1;y=2',
  format: 'video',
  videoPlatform: 'Teams',
  videoLink: 'https://teams.example.com/meet/1?x=1;y=2',
  objective: 'Hear how the year went',
  expectations: 'Listening only; no fee talks',
  agenda: '1. Relationship\n2. Value',
  updatedAt: '2026-02-01T12:00:00.000Z',
};

describe('buildInvite', () => {
  it('should write a request a real parser reads back, in UTC', () => {
    const ics = buildInvite(base);
    expect(ics).toContain('\r\n');
    const { calendar, event, vevent } = parse(ics);
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//Hearken//Client listening//EN');
    expect(vevent.uid).toBe('abc@hearken');
    expect(vevent.sequence).toBe(0);
    expect(vevent.summary).toBe('Client listening session: Acme, Inc.');
    expect(vevent.location).toBe('https://teams.example.com/meet/1?x=1;y=2');
    expect(vevent.startDate.zone?.tzid).toBe('UTC');
    expect(vevent.startDate.toJSDate().toISOString()).toBe('2026-03-01T09:30:00.000Z');
    expect(vevent.endDate.zone?.tzid).toBe('UTC');
    expect(vevent.endDate.toJSDate().toISOString()).toBe('2026-03-01T11:00:00.000Z');
    expect(ics).toMatch(/\r\nDTSTART:20260301T093000Z\r\n/);
    expect(event.getFirstPropertyValue('status')).toBe('CONFIRMED');
    const organizer = event.getFirstProperty('organizer');
    expect(String(organizer?.getFirstValue()).toLowerCase()).toBe('mailto:ivy@firm.test');
    expect(organizer?.getParameter('cn')).toBe('Ivy Interviewer');
    const attendees = event.getAllProperties('attendee');
    expect(attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual(['mailto:jane@acme.test', 'mailto:mo@firm.test']);
    expect(attendees[0]?.getParameter('cn')).toBe('Jane Doe, GC');
    expect(vevent.description).toContain('Objective: Hear how the year went');
    expect(vevent.description).toContain('What this session can and cannot achieve: Listening only; no fee talks');
    expect(vevent.description).toContain('1. Relationship\n2. Value');
  });

  it('should write a cancellation with the same UID', () => {
    const { calendar, event, vevent } = parse(buildInvite({ ...base, cancelled: true, sequence: 3 }));
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(vevent.uid).toBe('abc@hearken');
    expect(vevent.sequence).toBe(3);
  });

  it('should leave out a location when there is none', () => {
    const { event } = parse(buildInvite({ ...base, format: 'phone', location: null, videoLink: null, videoPlatform: null }));
    expect(event.getFirstProperty('location')).toBeNull();
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: GET /api/v1/sessions/{id}/invite.ics`, () => {
    let t: TestApp;
    let ctx: ServiceContext;
    let lead: Caller;
    let clientId: string;
    let contactIds: string[];
    let interviewerId: string;
    let attendeeId: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      ctx = systemContext(t.database.db, 'test');
      lead = await signIn(t.app, (await buildUser(t, 'programme_lead')).email);
      interviewerId = (await buildUser(t, 'external', { name: 'Ivy Interviewer', email: 'ivy.invite@independent.test' })).id;
      attendeeId = (await buildUser(t, 'member', { name: 'Mo Member', email: 'mo.invite@firm.test' })).id;
      const c = await buildClientWithTeam(ctx, { name: 'Invite Co', contacts: ['Grace GC', 'No Email'] });
      clientId = c.client.id;
      contactIds = c.contacts.map((x) => x.id);
      await t.database.db
        .updateTable('contacts')
        .set({ email: null })
        .where('id', '=', contactIds[1] as string)
        .execute();
    });
    afterAll(async () => t?.close());

    const invite = async (id: string) => {
      const res = await lead.get(`/api/v1/sessions/${id}/invite.ics`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="listening-session-${id}.ics"`);
      return parse(res.body);
    };

    it('should refuse an invite for a session without a date, saying why', async () => {
      const s = await buildSession(ctx, { clientId, interviewerId });
      const res = await lead.get(`/api/v1/sessions/${s.id}/invite.ics`);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('startsAt');
      expect(res.json().detail).toMatch(/no date yet/);
    });

    it('should keep the UID, raise SEQUENCE on reschedule, and turn into a cancellation', async () => {
      const s = await buildSession(ctx, {
        clientId,
        interviewerId,
        contactIds,
        attendeeIds: [attendeeId],
        startsAt: '2026-03-01T09:30:00Z',
        durationMinutes: 90,
        videoLink: 'https://teams.example.com/meet/42',
      });
      const first = await invite(s.id);
      expect(first.calendar.getFirstPropertyValue('method')).toBe('REQUEST');
      expect(first.vevent.uid).toBe(`${s.id}@hearken`);
      expect(first.vevent.sequence).toBe(0);
      expect(first.vevent.startDate.zone?.tzid).toBe('UTC');
      expect(first.vevent.startDate.toJSDate().toISOString()).toBe('2026-03-01T09:30:00.000Z');
      expect(first.vevent.endDate.toJSDate().toISOString()).toBe('2026-03-01T11:00:00.000Z');
      expect(first.vevent.location).toBe('https://teams.example.com/meet/42');
      expect(String(first.event.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:ivy.invite@independent.test');
      // The contact without an email cannot be invited; the firm attendee is.
      const emails = first.event.getAllProperties('attendee').map((a) => String(a.getFirstValue()).toLowerCase());
      expect(emails).toHaveLength(2);
      expect(emails).toContain('mailto:mo.invite@firm.test');
      expect(emails.some((e) => e.includes('@client.test'))).toBe(true);

      const moved = await lead.patch(`/api/v1/sessions/${s.id}`, { startsAt: '2026-03-08T14:00:00Z', format: 'in_person', location: 'Their offices' });
      expect(moved.statusCode).toBe(200);
      const second = await invite(s.id);
      expect(second.vevent.uid).toBe(first.vevent.uid);
      expect(second.vevent.sequence).toBeGreaterThan(first.vevent.sequence);
      expect(second.vevent.startDate.toJSDate().toISOString()).toBe('2026-03-08T14:00:00.000Z');
      expect(second.vevent.location).toBe('Their offices');

      await lead.post(`/api/v1/sessions/${s.id}/status`, { status: 'scheduled' });
      const cancelled = await lead.post(`/api/v1/sessions/${s.id}/status`, { status: 'cancelled', reason: 'Client restructuring' });
      expect(cancelled.statusCode).toBe(200);
      const third = await invite(s.id);
      expect(third.calendar.getFirstPropertyValue('method')).toBe('CANCEL');
      expect(third.event.getFirstPropertyValue('status')).toBe('CANCELLED');
      expect(third.vevent.uid).toBe(first.vevent.uid);
      expect(third.vevent.sequence).toBeGreaterThan(second.vevent.sequence);
    });

    it('should never carry what was said in the session', async () => {
      const s = await buildCompletedSession(ctx, {
        clientId,
        interviewerId,
        contactIds,
        answers: { how_going: 'Secret note about the relationship' },
        remarks: remarksOfEachKind(contactIds[0] as string),
      });
      const res = await lead.get(`/api/v1/sessions/${s.id}/invite.ics`);
      expect(res.statusCode).toBe(200);
      for (const remark of remarksOfEachKind(contactIds[0] as string)) {
        expect(res.body).not.toContain(remark.text.slice(0, 20));
      }
      expect(res.body).not.toContain('Secret note');
    });
  });
}
