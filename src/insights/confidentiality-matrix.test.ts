import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import type { Confidentiality, Role } from '../db/schema.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { type ServiceContext, systemContext } from '../server/context.js';
import { buildInsight } from './testing.js';

/**
 * Who reads which insight, on every read path (list, list total, detail, knowledge page), for
 * every kind of reader × attributable / non-attributable / programme-only. Written out by hand
 * from the access model, not derived from the policy table, so a change that leaks shows here:
 * - programme leads and management read any insight, partners and members those of their clients;
 * - a programme-only insight only programme leads and whoever recorded it;
 * - the contact of a non-attributable insight only programme leads and whoever recorded it;
 * - walls always apply: someone not listed on a walled client reads nothing of it.
 */
type Seen = 'with contact' | 'without contact' | 'hidden';

interface Persona {
  key: string;
  role: Role;
}

const PERSONAS: Persona[] = [
  { key: 'programme lead', role: 'programme_lead' },
  { key: 'recorder (member on the team)', role: 'member' },
  { key: 'management', role: 'management' },
  { key: 'relationship partner', role: 'partner' },
  { key: 'member on the team', role: 'member' },
  { key: 'partner off the team', role: 'partner' },
  { key: 'member off the team', role: 'member' },
  { key: 'admin', role: 'admin' },
  { key: 'external', role: 'external' },
];

const KINDS: Confidentiality[] = ['attributable', 'non_attributable', 'programme_only'];

const team: Record<Confidentiality, Seen> = { attributable: 'with contact', non_attributable: 'without contact', programme_only: 'hidden' };
const everything: Record<Confidentiality, Seen> = { attributable: 'with contact', non_attributable: 'with contact', programme_only: 'with contact' };
const nothing: Record<Confidentiality, Seen> = { attributable: 'hidden', non_attributable: 'hidden', programme_only: 'hidden' };

const EXPECTED: Record<string, Record<Confidentiality, Seen>> = {
  'programme lead': everything,
  'recorder (member on the team)': everything,
  management: team,
  'relationship partner': team,
  'member on the team': team,
  'partner off the team': nothing,
  'member off the team': nothing,
  admin: nothing,
  external: nothing,
};

interface InsightBody {
  id: string;
  confidentiality: Confidentiality;
  contactId: string | null;
  contact: { id: string; name: string } | null;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: insight access and confidentiality matrix`, () => {
    let t: TestApp;
    const callers = new Map<string, Caller>();
    const ids = new Map<string, string>();
    let clientId: string;
    let walledId: string;
    let contactId: string;
    const insights = new Map<Confidentiality, string>();

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const ctx = systemContext(t.database.db, 'test');
      for (const p of PERSONAS) {
        const user = await buildUser(t, p.role, { name: p.key });
        ids.set(p.key, user.id);
        callers.set(p.key, await signIn(t.app, user.email));
      }
      const id = (key: string) => ids.get(key) as string;
      const teamOpts = {
        partnerIds: [id('relationship partner')],
        memberIds: [id('member on the team'), id('recorder (member on the team)')],
        contacts: ['Grace Speaker'],
      };
      const built = await buildClientWithTeam(ctx, { name: 'Insightful Co', ...teamOpts });
      clientId = built.client.id;
      contactId = built.contacts[0]?.id as string;
      const recorder = await t.database.db
        .selectFrom('users')
        .select(['id', 'name', 'email', 'role'])
        .where('id', '=', id('recorder (member on the team)'))
        .executeTakeFirstOrThrow();
      const recorderCtx: ServiceContext = { db: t.database.db, actor: { id: recorder.id, name: recorder.name, email: recorder.email, role: recorder.role } };
      for (const confidentiality of KINDS) {
        const insight = await buildInsight(recorderCtx, { clientId, contactId, confidentiality, summary: `Heard ${confidentiality}` });
        insights.set(confidentiality, insight.id);
      }
      // A walled client on which only the recorder and the team are listed: the programme lead and
      // management are not, so they read nothing of it whatever the insight's confidentiality.
      const walled = await buildClientWithTeam(ctx, {
        name: 'Walled Co',
        walled: true,
        wallMemberIds: [id('relationship partner'), id('member on the team'), id('recorder (member on the team)')],
        ...teamOpts,
      });
      walledId = walled.client.id;
      await buildInsight(recorderCtx, { clientId: walledId, contactId: walled.contacts[0]?.id as string, summary: 'Walled away' });
    });
    afterAll(async () => t?.close());

    function check(body: InsightBody | undefined, seen: Seen, label: string) {
      if (seen === 'hidden') {
        expect(body, label).toBeUndefined();
        return;
      }
      expect(body, label).toBeDefined();
      if (seen === 'with contact') {
        expect(body?.contactId, label).toBe(contactId);
        expect(body?.contact?.name, label).toBe('Grace Speaker');
      } else {
        expect(body?.contactId, label).toBeNull();
        expect(body?.contact, label).toBeNull();
      }
    }

    for (const persona of PERSONAS) {
      const expected = EXPECTED[persona.key] as Record<Confidentiality, Seen>;
      const visibleCount = KINDS.filter((k) => expected[k] !== 'hidden').length;

      it(`${persona.key}: list and its total show exactly the readable insights`, async () => {
        const caller = callers.get(persona.key) as Caller;
        const res = await caller.get(`/api/v1/insights?clientId=${clientId}&total=true`);
        expect(res.statusCode).toBe(200);
        const page = res.json() as { items: InsightBody[]; total: number };
        expect(page.total).toBe(visibleCount);
        expect(page.items).toHaveLength(visibleCount);
        for (const kind of KINDS) {
          check(
            page.items.find((i) => i.id === insights.get(kind)),
            expected[kind],
            `${persona.key} list ${kind}`,
          );
        }
        // Unfiltered, and filtered by theme: still never a hidden row in items or total.
        const all = (await caller.get('/api/v1/insights?total=true')).json() as { items: InsightBody[]; total: number };
        const walledVisible = ['recorder (member on the team)', 'relationship partner', 'member on the team'].includes(persona.key) ? 1 : 0;
        expect(all.total).toBe(visibleCount + walledVisible);
        expect(all.items).toHaveLength(visibleCount + walledVisible);
      });

      it(`${persona.key}: detail reads exactly the readable insights`, async () => {
        const caller = callers.get(persona.key) as Caller;
        for (const kind of KINDS) {
          const res = await caller.get(`/api/v1/insights/${insights.get(kind)}`);
          if (expected[kind] === 'hidden') {
            expect(res.statusCode, `${persona.key} detail ${kind}`).toBe(404);
          } else {
            expect(res.statusCode, `${persona.key} detail ${kind}`).toBe(200);
            check(res.json(), expected[kind], `${persona.key} detail ${kind}`);
          }
        }
      });

      it(`${persona.key}: the knowledge page counts and shows exactly the readable insights`, async () => {
        const caller = callers.get(persona.key) as Caller;
        const res = await caller.get(`/api/v1/clients/${clientId}/knowledge`);
        if (visibleCount === 0) {
          // Off the team (or no insight rights at all): the client may exist for them, its knowledge does not.
          expect([403, 404]).toContain(res.statusCode);
          return;
        }
        expect(res.statusCode).toBe(200);
        const body = res.json() as { total: number; groups: { count: number; insights: InsightBody[] }[]; timeline: { counts: Record<string, number> }[] };
        expect(body.total).toBe(visibleCount);
        expect(body.groups.reduce((n, g) => n + g.count, 0)).toBe(visibleCount);
        expect(body.timeline.reduce((n, q) => n + Object.values(q.counts).reduce((a, b) => a + b, 0), 0)).toBe(visibleCount);
        const shown = body.groups.flatMap((g) => g.insights);
        for (const kind of KINDS) {
          check(
            shown.find((i) => i.id === insights.get(kind)),
            expected[kind],
            `${persona.key} knowledge ${kind}`,
          );
        }
      });
    }

    it('walls apply even to programme leads and management: the walled client’s insights do not exist for them', async () => {
      for (const key of ['programme lead', 'management']) {
        const caller = callers.get(key) as Caller;
        const list = (await caller.get(`/api/v1/insights?clientId=${walledId}&total=true`)).json() as { total: number };
        expect(list.total, key).toBe(0);
        expect((await caller.get(`/api/v1/clients/${walledId}/knowledge`)).statusCode, key).toBe(404);
      }
    });
  });
}
