import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import type { ClientTeamRole, Role } from '../db/schema.js';
import { type Action, type Resource, scopeFor, scopeSatisfied } from '../http/access.js';
import { systemContext } from '../server/context.js';
import { createClient } from './clients.js';
import { createContact } from './contacts.js';
import { createMatter } from './matters.js';
import { putTeam } from './team.js';

/**
 * The access matrix, end to end: every kind of user × every action on a client's records ×
 * an open client, a walled client they are listed on, and a walled client they are not.
 * Expectations come from the policy table plus the wall rule (not listed → 404, never 403),
 * so a route that forgets its check, or checks the wrong thing, fails here.
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
  { label: 'relationship partner', role: 'partner', teamRole: 'relationship_partner' },
  { label: 'partner on the team', role: 'partner', teamRole: 'member' },
  { label: 'partner off the team', role: 'partner' },
  { label: 'member on the team', role: 'member', teamRole: 'member' },
  { label: 'member off the team', role: 'member' },
  { label: 'external', role: 'external' },
];

type ClientKind = 'open' | 'walled, listed' | 'walled, not listed';
const KINDS: ClientKind[] = ['open', 'walled, listed', 'walled, not listed'];

interface Fixture {
  clientId: string;
  contactId: string;
  matterId: string;
}

interface Case<R extends Resource> {
  resource: R;
  action: Action<R>;
  success: number;
  /** Makes the request; gets a fresh client of the right kind when the action destroys it. */
  run(caller: Caller, f: Fixture): Promise<{ statusCode: number }>;
}

const CASES: Case<Resource>[] = [
  { resource: 'client', action: 'read', success: 200, run: (c, f) => c.get(`/api/v1/clients/${f.clientId}`) },
  { resource: 'client', action: 'update', success: 200, run: (c, f) => c.patch(`/api/v1/clients/${f.clientId}`, { notes: 'updated' }) },
  { resource: 'client', action: 'delete', success: 204, run: (c, f) => c.delete(`/api/v1/clients/${f.clientId}?cascade=true`) },
  { resource: 'contact', action: 'read', success: 200, run: (c, f) => c.get(`/api/v1/clients/${f.clientId}/contacts`) },
  { resource: 'contact', action: 'read', success: 200, run: (c, f) => c.get(`/api/v1/clients/${f.clientId}/contacts/${f.contactId}`) },
  { resource: 'contact', action: 'create', success: 201, run: (c, f) => c.post(`/api/v1/clients/${f.clientId}/contacts`, { name: 'New Contact' }) },
  {
    resource: 'contact',
    action: 'update',
    success: 200,
    run: (c, f) => c.patch(`/api/v1/clients/${f.clientId}/contacts/${f.contactId}`, { phone: '+44 20 0000' }),
  },
  { resource: 'contact', action: 'delete', success: 204, run: (c, f) => c.delete(`/api/v1/clients/${f.clientId}/contacts/${f.contactId}`) },
  { resource: 'matter', action: 'read', success: 200, run: (c, f) => c.get(`/api/v1/clients/${f.clientId}/matters`) },
  { resource: 'matter', action: 'create', success: 201, run: (c, f) => c.post(`/api/v1/clients/${f.clientId}/matters`, { name: 'New matter' }) },
  { resource: 'matter', action: 'update', success: 200, run: (c, f) => c.patch(`/api/v1/clients/${f.clientId}/matters/${f.matterId}`, { status: 'on_hold' }) },
  { resource: 'matter', action: 'delete', success: 204, run: (c, f) => c.delete(`/api/v1/clients/${f.clientId}/matters/${f.matterId}`) },
  { resource: 'client_team', action: 'read', success: 200, run: (c, f) => c.get(`/api/v1/clients/${f.clientId}/team`) },
  { resource: 'client_team', action: 'update', success: 200, run: (c, f) => c.put(`/api/v1/clients/${f.clientId}/team`, { members: [] }) },
] as Case<Resource>[];

function expectedStatus(persona: Persona, kind: ClientKind, c: Case<Resource>): number {
  // External users see a client only through a session assigned to them; these fixtures have none.
  const readScope = scopeFor(persona.role, 'client', 'read');
  const visible = kind !== 'walled, not listed' && readScope !== undefined && readScope !== 'assigned';
  if (!visible) {
    return 404;
  }
  const scope = scopeFor(persona.role, c.resource, c.action as never);
  return scope && scopeSatisfied(scope, persona.teamRole) ? c.success : 403;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: access matrix for client records`, () => {
    let t: TestApp;
    const callers = new Map<string, Caller>();
    const userIds = new Map<string, string>();

    beforeAll(async () => {
      t = await createTestApp(dialect);
      for (const p of PERSONAS) {
        const user = await buildUser(t, p.role, { name: p.label });
        userIds.set(p.label, user.id);
        callers.set(p.label, await signIn(t.app, user.email));
      }
    });
    afterAll(async () => t?.close());

    /** A fresh client of the kind, with the personas' team places, one contact and one matter. */
    async function fixture(kind: ClientKind, persona: Persona): Promise<Fixture> {
      const ctx = systemContext(t.database.db, 'test');
      const walled = kind !== 'open';
      const listed = kind === 'walled, listed' ? [userIds.get(persona.label) as string] : [];
      const someoneElse = userIds.get('admin') === userIds.get(persona.label) ? userIds.get('management') : userIds.get('admin');
      const client = await createClient(ctx, {
        name: `Client ${kind} for ${persona.label}`,
        status: 'active',
        isKeyClient: false,
        competitors: [],
        walled,
        wallMemberIds: walled ? [...listed, someoneElse as string] : undefined,
      });
      const team = PERSONAS.filter((p) => p.teamRole && p.role !== 'external').map((p) => ({
        userId: userIds.get(p.label) as string,
        teamRole: p.teamRole as ClientTeamRole,
      }));
      await putTeam(ctx, client.id, { members: team });
      const contact = await createContact(ctx, client.id, { name: 'Existing Contact', isDecisionMaker: false });
      const matter = await createMatter(ctx, client.id, { name: 'Existing matter', status: 'open' });
      return { clientId: client.id, contactId: contact.id, matterId: matter.id };
    }

    for (const persona of PERSONAS) {
      for (const kind of KINDS) {
        it(`${persona.label} × ${kind} client`, async () => {
          const caller = callers.get(persona.label) as Caller;
          const outcomes: string[] = [];
          const expected: string[] = [];
          for (const c of CASES) {
            const f = await fixture(kind, persona);
            const res = await c.run(caller, f);
            outcomes.push(`${c.resource}:${c.action} → ${res.statusCode}`);
            expected.push(`${c.resource}:${c.action} → ${expectedStatus(persona, kind, c)}`);
          }
          expect(outcomes).toEqual(expected);
        });
      }
    }

    it('should leave a refused write unwritten', async () => {
      const f = await fixture('open', PERSONAS[2] as Persona);
      const res = await (callers.get('management') as Caller).patch(`/api/v1/clients/${f.clientId}`, { notes: 'sneaky' });
      expect(res.statusCode).toBe(403);
      const row = await t.database.db.selectFrom('clients').select('notes').where('id', '=', f.clientId).executeTakeFirstOrThrow();
      expect(row.notes).toBeNull();
    });

    it('should keep walled clients out of lists and counts for those not listed', async () => {
      const partner = PERSONAS.find((p) => p.label === 'partner off the team') as Persona;
      const listedFor = await fixture('walled, listed', partner);
      const hiddenFrom = await fixture('walled, not listed', partner);
      const caller = callers.get(partner.label) as Caller;
      const all = (await caller.get('/api/v1/clients?limit=200&total=true')).json();
      const ids = all.items.map((c: { id: string }) => c.id);
      expect(ids).toContain(listedFor.clientId);
      expect(ids).not.toContain(hiddenFrom.clientId);
      const visibleInDb = await t.database.db
        .selectFrom('clients')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) =>
          eb.or([
            eb('walled', '=', false),
            eb.exists(
              eb
                .selectFrom('client_wall_members')
                .select('user_id')
                .whereRef('client_id', '=', 'clients.id')
                .where('user_id', '=', userIds.get(partner.label) as string),
            ),
          ]),
        )
        .executeTakeFirstOrThrow();
      expect(all.total).toBe(Number(visibleInDb.n));
      const search = (await caller.get(`/api/v1/clients?q=${encodeURIComponent('walled, not listed')}&total=true`)).json();
      expect(search.items.map((c: { id: string }) => c.id)).not.toContain(hiddenFrom.clientId);
    });

    it('should hide a walled client from an admin who is not listed, in the audit log too', async () => {
      const admin = PERSONAS[0] as Persona;
      const f = await fixture('walled, not listed', admin);
      const caller = callers.get('admin') as Caller;
      expect((await caller.get(`/api/v1/clients/${f.clientId}`)).statusCode).toBe(404);
      const audit = (await caller.get(`/api/v1/audit?clientId=${f.clientId}`)).json();
      expect(audit.items).toEqual([]);
      // Deleting the client must not release its history.
      await t.database.db.deleteFrom('clients').where('id', '=', f.clientId).execute();
      expect((await caller.get(`/api/v1/audit?clientId=${f.clientId}`)).json().items).toEqual([]);
      // The admin still manages the wall list without reading the client.
      const walls = (await caller.get('/api/v1/walls')).json();
      expect(Array.isArray(walls.items)).toBe(true);
    });

    it('should answer 401 to anonymous callers on every client route', async () => {
      const f = await fixture('open', PERSONAS[0] as Persona);
      for (const c of CASES) {
        const res = await c.run(anonymous(t.app), f);
        expect(res.statusCode).toBe(401);
      }
    });
  });
}
