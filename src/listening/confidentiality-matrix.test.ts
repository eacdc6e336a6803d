import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import type { Role } from '../db/schema.js';
import { systemContext } from '../server/context.js';
import { buildClientWithTeam, buildCompletedSession, remarksOfEachKind } from './testing.js';

/**
 * Confidentiality on every session path, for every kind of reader. The expectations are written
 * out by hand from PRODUCT.md's access model (not derived from the policy table), so a change of
 * policy that leaks shows here:
 * - programme leads and the session's interviewer read everything, speakers included;
 * - the client's relationship team and management read the session, but never a programme-only
 *   remark nor the speaker of a non-attributable one;
 * - everyone else gets a 404 (the session does not exist for them).
 */
type Seen = 'full' | 'shareable' | 404;

interface Persona {
  key: string;
  role: Role;
}

const PERSONAS: Persona[] = [
  { key: 'programme lead', role: 'programme_lead' },
  { key: 'interviewer (member)', role: 'member' },
  { key: 'interviewer (external)', role: 'external' },
  { key: 'relationship partner', role: 'partner' },
  { key: 'member on the team', role: 'member' },
  { key: 'management', role: 'management' },
  { key: 'partner off the team', role: 'partner' },
  { key: 'admin', role: 'admin' },
  { key: 'external not assigned', role: 'external' },
];

/** Session A is interviewed by the member, session B by the external; same client. */
const EXPECTED: Record<string, { A: Seen; B: Seen }> = {
  'programme lead': { A: 'full', B: 'full' },
  'interviewer (member)': { A: 'full', B: 404 },
  'interviewer (external)': { A: 404, B: 'full' },
  'relationship partner': { A: 'shareable', B: 'shareable' },
  'member on the team': { A: 'shareable', B: 'shareable' },
  management: { A: 'shareable', B: 'shareable' },
  'partner off the team': { A: 404, B: 404 },
  admin: { A: 404, B: 404 },
  'external not assigned': { A: 404, B: 404 },
};

interface RemarkBody {
  text: string;
  confidentiality: string;
  speaker: { contactId: string; name: string } | null;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: confidentiality matrix for listening sessions`, () => {
    let t: TestApp;
    const callers = new Map<string, Caller>();
    const ids = new Map<string, string>();
    let clientId: string;
    let otherClientId: string;
    let speakerId: string;
    const sessions: Record<'A' | 'B', string> = { A: '', B: '' };
    const remarks = (speaker: string) => remarksOfEachKind(speaker);

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const ctx = systemContext(t.database.db, 'test');
      for (const p of PERSONAS) {
        const user = await buildUser(t, p.role, { name: p.key });
        ids.set(p.key, user.id);
        callers.set(p.key, await signIn(t.app, user.email));
      }
      const id = (key: string) => ids.get(key) as string;
      const built = await buildClientWithTeam(ctx, {
        name: 'Confidential Co',
        partnerIds: [id('relationship partner')],
        memberIds: [id('member on the team')],
        contacts: ['Grace Speaker'],
      });
      clientId = built.client.id;
      speakerId = built.contacts[0]?.id as string;
      const common = {
        clientId,
        contactIds: [speakerId],
        remarks: remarks(speakerId),
        answers: { how_going: 'Notes everyone who reads the session may read' },
      };
      sessions.A = (await buildCompletedSession(ctx, { ...common, interviewerId: id('interviewer (member)') })).id;
      sessions.B = (await buildCompletedSession(ctx, { ...common, interviewerId: id('interviewer (external)') })).id;
      // The unassigned external interviews a session of another client: that client, and only it, opens to them.
      const other = await buildClientWithTeam(ctx, { name: 'Other Co' });
      otherClientId = other.client.id;
      await buildCompletedSession(ctx, {
        clientId: otherClientId,
        interviewerId: id('external not assigned'),
        remarks: remarks(other.contacts[0]?.id as string),
      });
    });
    afterAll(async () => t?.close());

    /** Asserts that a list of remarks is exactly what the visibility allows. */
    function expectRemarks(list: RemarkBody[], seen: Exclude<Seen, 404>, label: string) {
      const byKind = new Map(list.map((r) => [r.confidentiality, r]));
      const kinds = [...byKind.keys()].sort();
      if (seen === 'full') {
        expect(kinds, label).toEqual(['attributable', 'non_attributable', 'programme_only']);
        expect(byKind.get('non_attributable')?.speaker, label).toEqual({ contactId: speakerId, name: 'Grace Speaker' });
        expect(byKind.get('programme_only')?.speaker?.contactId, label).toBe(speakerId);
      } else {
        expect(kinds, label).toEqual(['attributable', 'non_attributable']);
        expect(byKind.get('non_attributable')?.speaker, label).toBeNull();
        expect(byKind.get('non_attributable')?.text, label).toBe(remarks(speakerId)[1]?.text);
      }
      expect(byKind.get('attributable')?.speaker, label).toEqual({ contactId: speakerId, name: 'Grace Speaker' });
    }

    const programmeOnlyText = () => remarks(speakerId)[2]?.text as string;

    for (const persona of PERSONAS) {
      for (const which of ['A', 'B'] as const) {
        const seen = EXPECTED[persona.key]?.[which] as Seen;
        it(`${persona.key} × session ${which} → ${seen}`, async () => {
          const caller = callers.get(persona.key) as Caller;
          const id = sessions[which];
          const label = `${persona.key} × ${which}`;

          const detail = await caller.get(`/api/v1/sessions/${id}`);
          const list = await caller.get(`/api/v1/sessions/${id}/remarks`);
          const invite = await caller.get(`/api/v1/sessions/${id}/invite.ics`);
          const index = await caller.get(`/api/v1/sessions?clientId=${clientId}&limit=200`);
          expect(index.statusCode, label).toBe(200);
          const listed = index.json().items.find((s: { id: string }) => s.id === id);

          if (seen === 404) {
            expect([detail.statusCode, list.statusCode, invite.statusCode], label).toEqual([404, 404, 404]);
            expect(detail.body, label).not.toContain(programmeOnlyText());
            expect(listed, label).toBeUndefined();
            return;
          }
          expect([detail.statusCode, list.statusCode, invite.statusCode], label).toEqual([200, 200, 200]);
          const body = detail.json();
          expect(body.seesConfidential, label).toBe(seen === 'full');
          expectRemarks(body.remarks, seen, `${label} detail`);
          expectRemarks(list.json().items, seen, `${label} remarks`);
          // Notes are for every reader of the session; confidences go in programme-only remarks.
          expect(
            body.answers.map((a: { notes: string }) => a.notes),
            label,
          ).toEqual(['Notes everyone who reads the session may read']);
          if (seen === 'shareable') {
            expect(detail.body, label).not.toContain(programmeOnlyText());
            expect(list.body, label).not.toContain(programmeOnlyText());
          }
          expect(listed?.remarkCount, label).toBe(seen === 'full' ? 3 : 2);
          expect(invite.body, label).not.toContain(programmeOnlyText().slice(0, 30));
        });
      }
    }

    it('should hide a walled client’s sessions from everyone not listed, programme leads and management included', async () => {
      const ctx = systemContext(t.database.db, 'test');
      const id = (key: string) => ids.get(key) as string;
      const walled = await buildClientWithTeam(ctx, {
        name: 'Walled Listening Co',
        walled: true,
        wallMemberIds: [id('interviewer (member)'), id('relationship partner')],
        partnerIds: [id('relationship partner')],
      });
      const s = await buildCompletedSession(ctx, {
        clientId: walled.client.id,
        interviewerId: id('interviewer (member)'),
        remarks: remarks(walled.contacts[0]?.id as string),
      });
      const status = async (key: string) => (await (callers.get(key) as Caller).get(`/api/v1/sessions/${s.id}`)).statusCode;
      expect(await status('interviewer (member)')).toBe(200);
      expect(await status('relationship partner')).toBe(200);
      for (const outsider of ['programme lead', 'management', 'partner off the team', 'admin', 'member on the team']) {
        expect(await status(outsider), outsider).toBe(404);
        const listed = (await (callers.get(outsider) as Caller).get('/api/v1/sessions?limit=200&total=true')).json();
        expect(
          listed.items.map((x: { id: string }) => x.id),
          outsider,
        ).not.toContain(s.id);
      }
      // A programme lead outside the wall cannot plan one either: the client does not exist for them.
      const planned = await (callers.get('programme lead') as Caller).post('/api/v1/sessions', {
        clientId: walled.client.id,
        objective: 'x',
        interviewerId: id('interviewer (member)'),
        format: 'phone',
      });
      expect(planned.statusCode).toBe(404);
    });

    it('should open to an external only their sessions, and the clients and contacts those need', async () => {
      const external = callers.get('interviewer (external)') as Caller;
      const sessionsSeen = (await external.get('/api/v1/sessions?limit=200')).json().items.map((s: { id: string }) => s.id);
      expect(sessionsSeen).toEqual([sessions.B]);
      const detail = await external.get(`/api/v1/clients/${clientId}`);
      expect(detail.statusCode).toBe(200);
      // The client's team and matters are not the interviewer's to see: not in the detail, nor behind it.
      expect(detail.json()).toMatchObject({
        team: [],
        relationshipPartners: [],
        counts: { matters: null, openMatters: null },
        abilities: { readMatters: false, readTeam: false },
      });
      expect((await external.get(`/api/v1/clients/${clientId}/matters`)).statusCode).toBe(403);
      expect((await external.get(`/api/v1/clients/${clientId}/team`)).statusCode).toBe(403);
      const listed = (await external.get('/api/v1/clients?limit=200')).json().items as { relationshipPartners: unknown[] }[];
      expect(listed.every((c) => c.relationshipPartners.length === 0)).toBe(true);
      const contacts = await external.get(`/api/v1/clients/${clientId}/contacts`);
      expect(contacts.statusCode).toBe(200);
      expect(contacts.json().items.map((c: { id: string }) => c.id)).toEqual([speakerId]);
      expect((await external.get(`/api/v1/clients/${otherClientId}`)).statusCode).toBe(404);
      const clients = (await external.get('/api/v1/clients?limit=200')).json().items.map((c: { id: string }) => c.id);
      expect(clients).toEqual([clientId]);

      const unassigned = callers.get('external not assigned') as Caller;
      expect((await unassigned.get(`/api/v1/clients/${clientId}`)).statusCode).toBe(404);
      expect((await unassigned.get(`/api/v1/clients/${otherClientId}`)).statusCode).toBe(200);
      expect((await unassigned.get(`/api/v1/sessions?clientId=${clientId}`)).json().items).toEqual([]);
    });

    it('should count only readable remarks for each reader in one list', async () => {
      const partnerList = (await (callers.get('relationship partner') as Caller).get(`/api/v1/sessions?clientId=${clientId}`)).json();
      expect(partnerList.items.map((s: { remarkCount: number }) => s.remarkCount)).toEqual([2, 2]);
      // The member interviewer is not on the team: they see their own session only, with everything.
      const interviewerList = (await (callers.get('interviewer (member)') as Caller).get(`/api/v1/sessions?clientId=${clientId}`)).json();
      expect(interviewerList.items.map((s: { id: string; remarkCount: number }) => [s.id, s.remarkCount])).toEqual([[sessions.A, 3]]);
      const leadList = (await (callers.get('programme lead') as Caller).get(`/api/v1/sessions?clientId=${clientId}`)).json();
      expect(leadList.items.map((s: { remarkCount: number }) => s.remarkCount)).toEqual([3, 3]);
    });
  });
}
