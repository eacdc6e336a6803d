import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { createClient, listClients } from '../clients/clients.js';
import { ClientCreateBody, ClientListQuery } from '../clients/schemas.js';
import type { Db } from '../db/connect.js';
import { actorOf, verifyCredentials } from '../firm/auth.js';
import { findUserByEmail } from '../firm/users.js';
import { systemContext } from '../server/context.js';
import { DEMO_CLIENTS, DEMO_FIRM_NAME, DEMO_USERS, demoUserEmail } from './demo-firm.js';
import { cliEnv, countsOf, dumpDatabase, ensureCliBuilt, removeTemporaryDirectories, runCli } from './testing.js';

const DEMO_PASSWORD = 'listen to the client';
const POLICY = { sessionIdleMinutes: 60, sessionMaxHours: 12, loginMaxFailures: 5, lockoutMinutes: 15 };
const email = (key: string) => demoUserEmail({ key });

const expected = {
  contacts: DEMO_CLIENTS.reduce((n, c) => n + c.contacts.length, 0),
  matters: DEMO_CLIENTS.reduce((n, c) => n + c.matters.length, 0),
  teamMembers: DEMO_CLIENTS.reduce((n, c) => n + 1 + c.team.members.length, 0),
};

async function count(db: Db, table: 'users' | 'clients' | 'contacts' | 'matters' | 'teams' | 'client_team' | 'client_wall_members' | 'audit_log') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The clients a demo user can see, by name. */
async function visibleTo(db: Db, key: string): Promise<string[]> {
  const user = await findUserByEmail(db, email(key));
  if (!user) {
    throw new Error(`no demo user ${key}`);
  }
  const page = await listClients({ db, actor: actorOf(user) }, ClientListQuery.parse({ limit: 200 }));
  return page.items.map((c) => c.name);
}

beforeAll(ensureCliBuilt, 180_000);
afterAll(removeTemporaryDirectories);

for (const dialect of DIALECTS) {
  describe(`${dialect}: hearken demo`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await database.drop();
    });

    it('should load the demo firm through the services and print how to sign in', async () => {
      const result = await runCli(['demo', '--password', DEMO_PASSWORD], cliEnv(database));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Loaded the demo firm ${DEMO_FIRM_NAME}`);
      expect(result.stdout).toContain('30 clients (3 prospect, 21 active, 2 lapsed, 2 lost, 2 pitch_lost)');
      for (const user of DEMO_USERS) {
        expect(result.stdout).toContain(demoUserEmail(user));
      }
      expect(result.stdout).toContain('the one given with --password');
      expect(result.stdout).not.toContain(DEMO_PASSWORD);

      const db = database.db;
      expect(await count(db, 'users')).toBe(12);
      expect(await count(db, 'teams')).toBe(3);
      expect(await count(db, 'clients')).toBe(30);
      expect(await count(db, 'contacts')).toBe(expected.contacts);
      expect(await count(db, 'matters')).toBe(expected.matters);
      expect(await count(db, 'client_team')).toBe(expected.teamMembers);
      expect(await count(db, 'client_wall_members')).toBe(2);
      // Every change went through a service, so every one of them is in the audit log.
      const firmAudit = await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('entity', 'in', ['user', 'team', 'client', 'contact', 'matter', 'client_team'])
        .executeTakeFirstOrThrow();
      expect(Number(firmAudit.n)).toBe(12 + 3 + 30 + expected.contacts + expected.matters + 30);

      // The listening programme: nominations in every state, sessions at every stage, remarks of each confidentiality.
      const statuses = async (table: 'nominations' | 'listening_sessions') =>
        (await db.selectFrom(table).select('status').distinct().execute()).map((r) => r.status).sort();
      expect(await statuses('nominations')).toEqual(['accepted', 'declined', 'deferred', 'proposed', 'withdrawn']);
      expect(await statuses('listening_sessions')).toEqual([
        'cancelled',
        'completed',
        'planned',
        'scheduled',
        'summary_drafted',
        'summary_reviewed',
        'summary_shared',
      ]);
      const volunteered = await db.selectFrom('nominations').select('id').where('origin', '=', 'volunteered').execute();
      expect(volunteered.length).toBeGreaterThan(0);
      const kinds = (await db.selectFrom('session_remarks').select('confidentiality').distinct().execute()).map((r) => r.confidentiality).sort();
      expect(kinds).toEqual(['attributable', 'non_attributable', 'programme_only']);
      const scored = await db.selectFrom('listening_sessions').select('nps').where('nps', 'is not', null).execute();
      expect(scored.length).toBeGreaterThanOrEqual(4);
      expect(result.stdout).toMatch(/listening sessions \(4 held/);

      // Insights across every type, and actions in every state, some raised by the loop itself.
      const types = (await db.selectFrom('insights').select('type').distinct().execute()).map((r) => r.type).sort();
      expect(types).toEqual(['concern', 'idea', 'opportunity', 'praise', 'preference', 'risk']);
      const actionStatuses = (await db.selectFrom('actions').select('status').distinct().execute()).map((r) => r.status).sort();
      expect(actionStatuses).toEqual(['done', 'in_progress', 'open', 'wont_do']);
      const origins = (await db.selectFrom('actions').select('origin').distinct().execute()).map((r) => r.origin);
      expect(origins).toEqual(expect.arrayContaining(['detractor', 'high_concern']));
      const escalated = await db.selectFrom('actions').select('id').where('escalated_at', 'is not', null).execute();
      expect(escalated.length).toBeGreaterThan(0);

      const byStatus = await db
        .selectFrom('clients')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      expect(Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]))).toEqual({ active: 21, prospect: 3, lapsed: 2, lost: 2, pitch_lost: 2 });
      const subsidiary = await db
        .selectFrom('clients')
        .select('parent_id')
        .where('name', '=', 'Northbridge Asset Management Limited')
        .executeTakeFirstOrThrow();
      const parent = await db.selectFrom('clients').select('id').where('name', '=', 'Northbridge Banking Group plc').executeTakeFirstOrThrow();
      expect(subsidiary.parent_id).toBe(parent.id);
      const megge = await db.selectFrom('contacts').select(['preferred_name', 'role']).where('name', '=', 'Margaret Hollis').executeTakeFirstOrThrow();
      expect(megge).toEqual({ preferred_name: 'Megge', role: 'General Counsel' });
      const left = await db.selectFrom('contacts').select('name').where('left_on', 'is not', null).orderBy('name').execute();
      expect(left.map((r) => r.name)).toEqual(['Alistair Gow', 'Duncan Moore']);

      // Partners sign in as their email with the password given.
      await expect(verifyCredentials(db, POLICY, email('catherine.ashworth'), DEMO_PASSWORD)).resolves.toMatchObject({ role: 'partner' });
      // The walled client exists only for the two people listed on it.
      expect(await visibleTo(db, 'richard.beaumont')).toContain('Kestrel Pharmaceuticals plc');
      expect(await visibleTo(db, 'aisha.siddiqui')).toContain('Kestrel Pharmaceuticals plc');
      const forAshworth = await visibleTo(db, 'catherine.ashworth');
      expect(forAshworth).toHaveLength(29);
      expect(forAshworth).not.toContain('Kestrel Pharmaceuticals plc');
    });

    it('should refuse to load it a second time, --force or not, and change nothing', async () => {
      const before = countsOf(await dumpDatabase(database.db));
      for (const args of [['demo'], ['demo', '--force', '--password', DEMO_PASSWORD]]) {
        const result = await runCli(args, cliEnv(database));
        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(/^hearken: the demo firm is already loaded \(.+@hartwellpryce\.example exists\)/);
      }
      expect(countsOf(await dumpDatabase(database.db))).toEqual(before);
    });

    it('should refuse a firm that has clients of its own unless --force, and then print a generated password once', async () => {
      const firm = await createTestDatabase(dialect);
      try {
        await createClient(systemContext(firm.db, 'test'), ClientCreateBody.parse({ name: 'An Existing Client Ltd' }));

        const short = await runCli(['demo', '--password', 'too short'], cliEnv(firm));
        expect(short.code).toBe(1);
        expect(short.stderr).toBe('hearken: --password: must be at least 12 characters\n');

        const refused = await runCli(['demo'], cliEnv(firm));
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/^hearken: the database already holds 1 client\(s\).*Pass --force/);
        expect(await count(firm.db, 'users')).toBe(0);

        const forced = await runCli(['demo', '--force'], cliEnv(firm));
        expect(forced.stderr).toBe('');
        expect(forced.code).toBe(0);
        expect(await count(firm.db, 'clients')).toBe(31);
        const shown = /Password for every demo user \(shown once\): (\S+)\n/.exec(forced.stdout);
        expect(shown).not.toBeNull();
        const password = shown?.[1] ?? '';
        expect(forced.stdout.split(password)).toHaveLength(2);
        await expect(verifyCredentials(firm.db, POLICY, email('olivia.grant'), password)).resolves.toMatchObject({ role: 'programme_lead' });
      } finally {
        await firm.drop();
      }
    });
  });
}
