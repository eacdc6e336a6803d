import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { createClient } from '../clients/clients.js';
import { putTeam } from '../clients/team.js';
import { createUser } from '../firm/users.js';
import { nominate, respondToNomination } from '../listening/nominations.js';
import { createProgramme, setCommitment } from '../listening/programmes.js';
import { type ServiceContext, systemContext } from '../server/context.js';
import { cliEnv, ensureCliBuilt, removeTemporaryDirectories, runCli } from './testing.js';

beforeAll(ensureCliBuilt, 180_000);
afterAll(removeTemporaryDirectories);

for (const dialect of DIALECTS) {
  describe(`${dialect}: hearken programme report`, () => {
    let database: TestDatabase;
    let programmeId: string;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const ctx = systemContext(database.db, 'test');
      const user = async (name: string, role: 'programme_lead' | 'partner') =>
        (await createUser(ctx, { email: `${name.split(' ')[0]?.toLowerCase()}@firm.test`, name, title: null, office: null, role })).user;
      const lead = await user('Lena Lead', 'programme_lead');
      const ann = await user('Ann Able', 'partner');
      const bob = await user('Bob Brown', 'partner');
      const as = (u: { id: string; name: string; email: string }, role: 'partner' | 'programme_lead'): ServiceContext => ({
        db: database.db,
        actor: { id: u.id, name: u.name, email: u.email, role },
      });
      const programme = await createProgramme(ctx, {
        name: 'Client listening 2026',
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        status: 'active',
        ownerId: lead.id,
        targetSessions: 10,
        targetKeyClientShare: 0.5,
        targetAtRiskShare: 0.25,
      });
      programmeId = programme.id;
      const client = async (name: string, status: 'active' | 'lost', partnerId: string) => {
        const c = await createClient(ctx, { name, status, isKeyClient: true, competitors: [], walled: false });
        await putTeam(ctx, c.id, { members: [{ userId: partnerId, teamRole: 'relationship_partner' }] });
        return c.id;
      };
      const annsLost = await client('Lost Co', 'lost', ann.id);
      const bobs = await client('Bob Co', 'active', bob.id);
      await setCommitment(as(ann, 'partner'), programmeId, { commitment: 'yes' });
      await setCommitment(as(bob, 'partner'), programmeId, { commitment: 'yes' });
      const proposed = await nominate(as(lead, 'programme_lead'), programmeId, { clientIds: [annsLost, bobs], volunteer: false });
      const annsNomination = proposed.find((n) => n.partner.id === ann.id)?.id as string;
      const bobsNomination = proposed.find((n) => n.partner.id === bob.id)?.id as string;
      await respondToNomination(as(ann, 'partner'), annsNomination, { answer: 'yes' });
      await respondToNomination(as(bob, 'partner'), bobsNomination, { answer: 'no', reason: 'Mid-litigation' });
    });
    afterAll(async () => {
      await database.drop();
    });

    it('should print progress and participation as readable text, flagging who said yes but put nothing forward', async () => {
      const result = await runCli(['programme', 'report', programmeId], cliEnv(database));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const out = result.stdout;
      expect(out).toMatch(/^Client listening 2026 \(active\)\n2026-01-01 to 2026-12-31 · owner: Lena Lead\n/);
      expect(out).toMatch(/Sessions\s+0 of 10 \(0 held\)\s+not met/);
      expect(out).toMatch(/Key clients covered\s+0 of 2 \(0%, target 50%\)\s+not met/);
      expect(out).toMatch(/At-risk sessions\s+0 of 0 \(—, minimum 25%\)\s+not met/);
      const annLine = out.split('\n').find((l) => l.includes('Ann Able')) ?? '';
      const bobLine = out.split('\n').find((l) => l.includes('Bob Brown')) ?? '';
      expect(annLine.trim().split(/\s{2,}/)).toEqual(['Ann Able', 'yes', '1', '1', '0', '0', '0', '0', 'yes (1)']);
      expect(bobLine).toMatch(/Bob Brown\s+yes\s+1\s+0\s+0\s+1\s+0\s+0\s+no\s+SAID YES, PUT NOTHING FORWARD$/);
      expect(out).toMatch(/\n1 partner said yes to the programme but put no client forward\.\n$/);
    });

    it('should print the same report as JSON with --format json', async () => {
      const result = await runCli(['programme', 'report', programmeId, '--format', 'json'], cliEnv(database));
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report.programme).toMatchObject({ id: programmeId, name: 'Client listening 2026', progress: { sessions: { target: 10, count: 0 } } });
      expect(report.programme.abilities).toBeUndefined();
      expect(report.participation.flagged).toBe(1);
      expect(
        report.participation.items.map((r: { partner: { name: string }; saidYesPutNothingForward: boolean }) => [r.partner.name, r.saidYesPutNothingForward]),
      ).toEqual([
        ['Ann Able', false],
        ['Bob Brown', true],
      ]);
    });

    it('should refuse an unknown programme with one stderr line and a non-zero exit', async () => {
      const result = await runCli(['programme', 'report', '01900000-0000-7000-8000-000000000000'], cliEnv(database));
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('hearken: Programme not found\n');
    });

    it('should refuse an unknown format, naming --format', async () => {
      const result = await runCli(['programme', 'report', programmeId, '--format', 'xml'], cliEnv(database));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^hearken: --format: [^\n]+\n$/);
    });
  });
}
