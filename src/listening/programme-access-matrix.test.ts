import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { createClient } from '../clients/clients.js';
import { putTeam } from '../clients/team.js';
import type { ClientTeamRole, Role } from '../db/schema.js';
import { scopeFor } from '../http/access.js';
import { systemContext } from '../server/context.js';
import { nominate } from './nominations.js';
import { createProgramme } from './programmes.js';

/**
 * The access matrix for programmes and nominations, end to end: every kind of user × every
 * programme and nomination action × an open client, a walled client they are listed on, and a
 * walled client they are not. Expectations come from the policy table, the wall rule (not
 * listed → 404, or 400 when the client is named in a body) and "partners read only the
 * nominations addressed to them", so a route that forgets its check fails here.
 */
interface Persona {
  label: string;
  role: Role;
  teamRole?: ClientTeamRole;
}

const PERSONAS: Persona[] = [
  { label: 'admin', role: 'admin' },
  { label: 'programme lead', role: 'programme_lead' },
  { label: 'management', role: 'management' },
  { label: 'addressed partner', role: 'partner', teamRole: 'relationship_partner' },
  { label: 'partner on the team', role: 'partner', teamRole: 'member' },
  { label: 'partner off the team', role: 'partner' },
  { label: 'member on the team', role: 'member', teamRole: 'member' },
  { label: 'external', role: 'external' },
];

type ClientKind = 'open' | 'walled, listed' | 'walled, not listed';
const KINDS: ClientKind[] = ['open', 'walled, listed', 'walled, not listed'];

interface Fixture {
  programmeId: string;
  /** A client whose relationship partner has a proposed nomination for it. */
  clientId: string;
  nominationId: string;
  /** A client of the same kind and team, not nominated yet. */
  spareClientId: string;
}

type Outcome = 'ok' | 'created';
interface Case {
  name: string;
  success: Outcome;
  run(caller: Caller, f: Fixture): Promise<{ statusCode: number }>;
  expected(p: Persona, clientVisible: boolean): number | Outcome;
}

const may = (p: Persona, resource: 'programme' | 'nomination', action: string) => scopeFor(p.role, resource, action as never) !== undefined;
/** A nomination exists for a reader when they read them all, or it is addressed to them. */
const readsNomination = (p: Persona, clientVisible: boolean) =>
  clientVisible && (scopeFor(p.role, 'nomination', 'read') === 'any' || (may(p, 'nomination', 'read') && p.label === 'addressed partner'));

const CASES: Case[] = [
  {
    name: 'programme:read',
    success: 'ok',
    run: (c, f) => c.get(`/api/v1/programmes/${f.programmeId}`),
    expected: (p) => (may(p, 'programme', 'read') ? 'ok' : 403),
  },
  {
    name: 'programme:list',
    success: 'ok',
    run: (c) => c.get('/api/v1/programmes'),
    expected: (p) => (may(p, 'programme', 'read') ? 'ok' : 403),
  },
  {
    name: 'programme:create',
    success: 'created',
    run: (c) => c.post('/api/v1/programmes', { name: 'Another', startsOn: '2026-01-01', endsOn: '2026-06-30' }),
    expected: (p) => (may(p, 'programme', 'create') ? 'created' : 403),
  },
  {
    name: 'programme:update',
    success: 'ok',
    run: (c, f) => c.patch(`/api/v1/programmes/${f.programmeId}`, { description: 'Changed' }),
    expected: (p) => (may(p, 'programme', 'update') ? 'ok' : 403),
  },
  {
    name: 'programme:commit',
    success: 'ok',
    run: (c, f) => c.put(`/api/v1/programmes/${f.programmeId}/commitment`, { commitment: 'yes' }),
    expected: (p) => (may(p, 'programme', 'read') && may(p, 'programme', 'commit') ? 'ok' : 403),
  },
  {
    name: 'nomination:read',
    success: 'ok',
    run: (c, f) => c.get(`/api/v1/nominations/${f.nominationId}`),
    expected: (p, visible) => (readsNomination(p, visible) ? 'ok' : 404),
  },
  {
    name: 'nomination:list',
    success: 'ok',
    run: (c, f) => c.get(`/api/v1/programmes/${f.programmeId}/nominations`),
    expected: (p) => (may(p, 'programme', 'read') && may(p, 'nomination', 'read') ? 'ok' : 403),
  },
  {
    name: 'nomination:inbox',
    success: 'ok',
    run: (c) => c.get('/api/v1/nominations?mine=true'),
    expected: (p) => (may(p, 'nomination', 'read') ? 'ok' : 403),
  },
  {
    name: 'nomination:participation',
    success: 'ok',
    run: (c, f) => c.get(`/api/v1/programmes/${f.programmeId}/participation`),
    expected: (p) => (may(p, 'programme', 'read') && may(p, 'nomination', 'read') ? 'ok' : 403),
  },
  {
    name: 'nomination:propose',
    success: 'created',
    run: (c, f) => c.post(`/api/v1/programmes/${f.programmeId}/nominations`, { clientIds: [f.spareClientId] }),
    expected: (p, visible) => (!may(p, 'programme', 'read') || !may(p, 'nomination', 'propose') ? 403 : visible ? 'created' : 400),
  },
  {
    name: 'nomination:volunteer',
    success: 'created',
    run: (c, f) => c.post(`/api/v1/programmes/${f.programmeId}/nominations`, { clientIds: [f.spareClientId], volunteer: true }),
    expected: (p, visible) =>
      !may(p, 'programme', 'read') || !may(p, 'nomination', 'volunteer') ? 403 : !visible ? 400 : p.teamRole === 'relationship_partner' ? 'created' : 403,
  },
  {
    name: 'nomination:respond',
    success: 'ok',
    run: (c, f) => c.post(`/api/v1/nominations/${f.nominationId}/response`, { answer: 'yes' }),
    expected: (p, visible) => (!readsNomination(p, visible) ? 404 : may(p, 'nomination', 'respond') && p.label === 'addressed partner' ? 'ok' : 403),
  },
  {
    name: 'nomination:withdraw',
    success: 'ok',
    run: (c, f) => c.post(`/api/v1/nominations/${f.nominationId}/withdraw`, {}),
    expected: (p, visible) => (!readsNomination(p, visible) ? 404 : may(p, 'nomination', 'withdraw') ? 'ok' : 403),
  },
  {
    name: 'nomination:remind',
    success: 'ok',
    run: (c, f) => c.post(`/api/v1/programmes/${f.programmeId}/reminders`, { days: 0 }),
    expected: (p) => (may(p, 'programme', 'read') && may(p, 'nomination', 'remind') ? 'ok' : 403),
  },
];

const STATUS: Record<Outcome, number> = { ok: 200, created: 201 };

for (const dialect of DIALECTS) {
  describe(`${dialect}: access matrix for programmes and nominations`, () => {
    let t: TestApp;
    const callers = new Map<string, Caller>();
    const userIds = new Map<string, string>();
    let bystanderId: string;
    const ctx = () => systemContext(t.database.db, 'test');

    beforeAll(async () => {
      t = await createTestApp(dialect);
      for (const p of PERSONAS) {
        const user = await buildUser(t, p.role, { name: p.label });
        userIds.set(p.label, user.id);
        callers.set(p.label, await signIn(t.app, user.email));
      }
      bystanderId = (await buildUser(t, 'programme_lead', { name: 'Bystander' })).id;
    });
    afterAll(async () => t?.close());

    async function walledClient(name: string, kind: ClientKind, persona: Persona) {
      const walled = kind !== 'open';
      const listed = kind === 'walled, listed' ? [userIds.get(persona.label) as string] : [];
      // The addressed partner is always listed unless the persona itself is kept out, so that
      // the nomination addressed to them can exist.
      const partner = userIds.get('addressed partner') as string;
      const keepOut = kind === 'walled, not listed' ? userIds.get(persona.label) : undefined;
      const members = [...new Set([...listed, bystanderId, ...(partner !== keepOut ? [partner] : [])])];
      const client = await createClient(ctx(), {
        name,
        status: 'lost',
        isKeyClient: false,
        competitors: [],
        walled,
        wallMemberIds: walled ? members : undefined,
      });
      const team = PERSONAS.filter((p) => p.teamRole).map((p) => ({ userId: userIds.get(p.label) as string, teamRole: p.teamRole as ClientTeamRole }));
      await putTeam(ctx(), client.id, { members: team });
      return client.id;
    }

    /** A fresh programme, a nominated client and a spare one, of the kind, for one case. */
    async function fixture(kind: ClientKind, persona: Persona): Promise<Fixture> {
      const programme = await createProgramme(ctx(), {
        name: `Programme for ${persona.label}`,
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        status: 'active',
        ownerId: bystanderId,
      });
      const clientId = await walledClient(`Nominated ${kind}`, kind, persona);
      const spareClientId = await walledClient(`Spare ${kind}`, kind, persona);
      const [nomination] = (await nominate(ctx(), programme.id, { clientIds: [clientId], volunteer: false })).filter(
        (n) => n.partner.id === userIds.get('addressed partner'),
      );
      return { programmeId: programme.id, clientId, spareClientId, nominationId: nomination?.id as string };
    }

    for (const persona of PERSONAS) {
      for (const kind of KINDS) {
        it(`${persona.label} × ${kind} client`, async () => {
          const caller = callers.get(persona.label) as Caller;
          const visible = kind !== 'walled, not listed' && persona.role !== 'external';
          const outcomes: string[] = [];
          const expected: string[] = [];
          for (const c of CASES) {
            const f = await fixture(kind, persona);
            const res = await c.run(caller, f);
            const want = c.expected(persona, visible);
            outcomes.push(`${c.name} → ${res.statusCode}`);
            expected.push(`${c.name} → ${typeof want === 'number' ? want : STATUS[want]}`);
          }
          expect(outcomes).toEqual(expected);
        });
      }
    }

    it('should keep nominations of a walled client out of every list, count and participation for those not listed', async () => {
      const leadPersona = PERSONAS[1] as Persona;
      const f = await fixture('walled, not listed', leadPersona);
      const lead = callers.get('programme lead') as Caller;
      const partner = callers.get('addressed partner') as Caller;
      const ids = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((n) => n.id);
      expect(ids(await lead.get(`/api/v1/programmes/${f.programmeId}/nominations`))).not.toContain(f.nominationId);
      expect(ids(await lead.get('/api/v1/nominations?limit=500'))).not.toContain(f.nominationId);
      const participation = (await lead.get(`/api/v1/programmes/${f.programmeId}/participation`)).json();
      expect(participation.items.every((r: { proposed: number }) => r.proposed === 0)).toBe(true);
      // The partner who is listed sees it, in the programme and in their inbox.
      expect(ids(await partner.get(`/api/v1/programmes/${f.programmeId}/nominations`))).toContain(f.nominationId);
      expect(ids(await partner.get(`/api/v1/nominations?mine=true&programmeId=${f.programmeId}`))).toContain(f.nominationId);
    });

    it('should show a partner only the nominations addressed to them', async () => {
      const f = await fixture('open', PERSONAS[0] as Persona);
      const onTeam = callers.get('partner on the team') as Caller;
      expect((await onTeam.get(`/api/v1/programmes/${f.programmeId}/nominations`)).json().items).toEqual([]);
      expect((await onTeam.get(`/api/v1/nominations/${f.nominationId}`)).statusCode).toBe(404);
    });

    it('should leave a refused write unwritten', async () => {
      const f = await fixture('open', PERSONAS[0] as Persona);
      expect((await (callers.get('management') as Caller).post(`/api/v1/nominations/${f.nominationId}/withdraw`, {})).statusCode).toBe(403);
      expect(
        (await (callers.get('partner off the team') as Caller).post(`/api/v1/nominations/${f.nominationId}/response`, { answer: 'no', reason: 'x' }))
          .statusCode,
      ).toBe(404);
      const row = await t.database.db.selectFrom('nominations').select('status').where('id', '=', f.nominationId).executeTakeFirstOrThrow();
      expect(row.status).toBe('proposed');
    });

    it('should answer 401 to anonymous callers on every programme and nomination route', async () => {
      const f = await fixture('open', PERSONAS[0] as Persona);
      for (const c of CASES) {
        expect((await c.run(anonymous(t.app), f)).statusCode, c.name).toBe(401);
      }
    });
  });
}
