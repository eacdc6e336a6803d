import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { createTestDatabase, DIALECTS } from '../../test/support/dialects.js';
import { addComment } from '../actions/actions.js';
import { buildAction } from '../actions/testing.js';
import { restoreBackup, writeBackup } from '../cli/backup.js';
import type { Role } from '../db/schema.js';
import { buildInsight, themeId } from '../insights/testing.js';
import { deleteRemark, updateRemark } from '../listening/capture.js';
import { buildClientWithTeam, buildCompletedSession } from '../listening/testing.js';
import { createCheckIn } from '../relationships/check-ins.js';
import { createProblem, deleteProblem, updateProblem } from '../relationships/problems.js';
import { type ServiceContext, systemContext } from '../server/context.js';
import { rebuildSearchIndex } from './indexer.js';
import { MARK_END, MARK_START } from './query.js';
import { SearchQuery, type SearchResults } from './schemas.js';
import { search } from './search.js';

/**
 * Who finds what, written out by hand from the access model (not derived from the policy
 * table). One open client holds one record of each kind, all mentioning "zephyr"; a walled
 * client holds one more insight. Each persona must get exactly its records, and a total that
 * counts nothing else.
 */
const PERSONAS: { key: string; role: Role }[] = [
  { key: 'programme lead', role: 'programme_lead' },
  { key: 'management', role: 'management' },
  { key: 'partner on team', role: 'partner' },
  { key: 'partner off team', role: 'partner' },
  { key: 'member on team', role: 'member' },
  { key: 'external interviewer', role: 'external' },
  { key: 'walled outsider', role: 'partner' },
  { key: 'admin', role: 'admin' },
];

type Record_ =
  | 'insight'
  | 'insight_programme_only'
  | 'note'
  | 'remark'
  | 'remark_non_attributable'
  | 'remark_programme_only'
  | 'check_in'
  | 'problem'
  | 'action'
  | 'walled_insight';

const TEAM: Record_[] = ['insight', 'note', 'remark', 'remark_non_attributable', 'check_in', 'problem', 'action'];
const EXPECTED: Record<string, Record_[]> = {
  // Walls apply to programme leads too: the walled insight does not exist for them.
  'programme lead': [
    'insight',
    'insight_programme_only',
    'note',
    'remark',
    'remark_non_attributable',
    'remark_programme_only',
    'check_in',
    'problem',
    'action',
  ],
  management: TEAM,
  'partner on team': [...TEAM, 'walled_insight'],
  'partner off team': [],
  'member on team': TEAM,
  // Interviewers read their sessions, confidential remarks included, and nothing else.
  'external interviewer': ['note', 'remark', 'remark_non_attributable', 'remark_programme_only'],
  'walled outsider': [],
  admin: [],
};

const NASTY = [
  '"',
  'a"b',
  '""',
  'OR',
  'zephyr OR',
  'AND NOT',
  'NEAR(',
  'NEAR(zephyr billing, 2)',
  '*',
  'zeph*',
  'title:foo',
  'body:zephyr',
  '-x',
  '^zephyr',
  'zephyr:*',
  "'; drop table search_entries; --",
  "') or 1=1 --",
  '\\',
  'zephyr\\',
  '(((',
  '{a b}',
  '!zephyr & | <->',
  '🙂 zephyr 🚀',
  '🙂',
  '\u0000zephyr',
  '\u0002zephyr\u0003',
  'a'.repeat(2000),
  'zephyr '.repeat(285),
];

function ids(body: SearchResults) {
  return body.items.map((i) => i.id).sort();
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: full-text search`, () => {
    let t: TestApp;
    let ctx: ServiceContext;
    const callers = new Map<string, Caller>();
    const userIds = new Map<string, string>();
    const records = new Map<Record_, string>();
    let clientId: string;
    let otherClientId: string;
    let sessionId: string;
    let problemId: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      ctx = systemContext(t.database.db, 'test');
      for (const p of PERSONAS) {
        const user = await buildUser(t, p.role, { name: p.key });
        userIds.set(p.key, user.id);
        callers.set(p.key, await signIn(t.app, user.email));
      }
      const uid = (key: string) => userIds.get(key) as string;
      const built = await buildClientWithTeam(ctx, {
        name: 'Zenith Holdings',
        partnerIds: [uid('partner on team')],
        memberIds: [uid('member on team')],
        contacts: ['Grace Speaker'],
      });
      clientId = built.client.id;
      const contactId = built.contacts[0]?.id as string;
      const walled = await buildClientWithTeam(ctx, {
        name: 'Walled Co',
        walled: true,
        wallMemberIds: [uid('partner on team')],
        partnerIds: [uid('partner on team'), uid('walled outsider')],
      });
      otherClientId = walled.client.id;

      records.set(
        'insight',
        (
          await buildInsight(ctx, {
            clientId,
            type: 'concern',
            summary: 'Zephyr billing surprises',
            quote: 'The invoices for the zephyr matter arrived late',
            heardOn: '2026-01-10',
            themeIds: [await themeId(t.database.db, 'Responsiveness')],
          })
        ).id,
      );
      records.set(
        'insight_programme_only',
        (
          await buildInsight(ctx, {
            clientId,
            type: 'risk',
            summary: 'Zephyr may move the next deal',
            confidentiality: 'programme_only',
            heardOn: '2026-02-01',
            themeIds: [await themeId(t.database.db, 'Billing and value')],
          })
        ).id,
      );
      records.set('walled_insight', (await buildInsight(ctx, { clientId: otherClientId, summary: 'Zephyr behind the wall', heardOn: '2026-01-15' })).id);

      const session = await buildCompletedSession(ctx, {
        clientId,
        interviewerId: uid('external interviewer'),
        answers: { how_going: 'They said the zephyr team communicates well' },
        remarks: [
          { text: 'The zephyr partner is always available.', confidentiality: 'attributable', speakerContactId: contactId },
          { text: 'Zephyr invoices surprise our finance team.', confidentiality: 'non_attributable', speakerContactId: contactId },
          { text: 'We are talking to another firm about zephyr.', confidentiality: 'programme_only', speakerContactId: contactId },
        ],
      });
      sessionId = session.id;
      records.set('note', `${sessionId}:how_going`);
      const remarks = await t.database.db.selectFrom('session_remarks').select(['id', 'confidentiality']).where('session_id', '=', sessionId).execute();
      for (const r of remarks) {
        records.set(
          r.confidentiality === 'attributable' ? 'remark' : r.confidentiality === 'non_attributable' ? 'remark_non_attributable' : 'remark_programme_only',
          r.id,
        );
      }
      const checkIn = await createCheckIn(ctx, {
        clientId,
        heldOn: '2026-03-05',
        channel: 'call',
        likes: 'The zephyr dashboards',
        oneThingBetter: 'Fewer surprises',
        notes: null,
      });
      records.set('check_in', checkIn.id);
      const problem = await createProblem(ctx, { clientId, title: 'Zephyr filing missed', description: 'A deadline slipped', reportedOn: '2026-03-06' });
      problemId = problem.id;
      records.set('problem', problem.id);
      const action = await buildAction(ctx, {
        clientId,
        ownerId: uid('partner on team'),
        title: 'Call about the zephyr invoices',
        description: 'Agree a billing calendar',
      });
      records.set('action', action.id);
    });
    afterAll(async () => t?.close());

    async function find(caller: Caller, query: string): Promise<SearchResults> {
      const res = await caller.get(`/api/v1/search?${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
      return res.json() as SearchResults;
    }

    for (const persona of PERSONAS) {
      it(`${persona.key}: finds exactly the records it may read, and a total that counts nothing else`, async () => {
        const caller = callers.get(persona.key) as Caller;
        const expected = (EXPECTED[persona.key] ?? []).map((r) => records.get(r) as string).sort();
        const body = await find(caller, 'q=zephyr&limit=50');
        expect(ids(body)).toEqual(expected);
        expect(body.total).toBe(expected.length);
        // The walled client cannot be probed through a filter either.
        const probe = await find(caller, `q=zephyr&clientId=${otherClientId}`);
        expect(probe.total).toBe(persona.key === 'partner on team' ? 1 : 0);
        // Nor the programme-only insight through its type.
        const risk = await find(caller, 'q=zephyr&insightType=risk');
        expect(risk.total).toBe(persona.key === 'programme lead' ? 1 : 0);
      });
    }

    it('should refuse anonymous callers', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/search?q=zephyr' });
      expect(res.statusCode).toBe(401);
    });

    it('should find the problems and actions a member owns on a client whose team they are not on, and nothing else there', async () => {
      const owner = await buildUser(t, 'member', { name: 'owner off team' });
      const problem = await createProblem(ctx, { clientId, title: 'Quasar filing missed', reportedOn: '2026-03-07', ownerId: owner.id });
      const action = await buildAction(ctx, { clientId, ownerId: owner.id, title: 'Quasar follow-up' });
      await buildAction(ctx, { clientId, ownerId: userIds.get('partner on team') as string, title: 'Another quasar follow-up' });
      const body = await find(await signIn(t.app, owner.email), 'q=quasar&limit=50');
      expect(ids(body)).toEqual([problem.id, action.id].sort());
      expect(body.total).toBe(2);
      expect((await find(callers.get('member on team') as Caller, 'q=quasar')).total).toBe(3);
    });

    it('should find each kind, with the kind filter, marked snippets and the client', async () => {
      const lead = callers.get('programme lead') as Caller;
      const byKind = {
        insight: ['insight', 'insight_programme_only'],
        session_note: ['note'],
        remark: ['remark', 'remark_non_attributable', 'remark_programme_only'],
        check_in: ['check_in'],
        problem: ['problem'],
        action: ['action'],
      } as const;
      for (const [kind, expected] of Object.entries(byKind)) {
        const body = await find(lead, `q=zephyr&kind=${kind}`);
        expect(ids(body), kind).toEqual(expected.map((r) => records.get(r)).sort());
        for (const item of body.items) {
          expect(item.kind).toBe(kind);
          expect(item.clientName).toBe('Zenith Holdings');
          const marked = [...item.title, ...item.snippet].filter((s) => s.match).map((s) => s.text.toLowerCase());
          expect(marked, kind).toContain('zephyr');
          const text = [...item.title, ...item.snippet].map((s) => s.text).join('');
          expect(text.includes(MARK_START) || text.includes(MARK_END)).toBe(false);
        }
      }
      const note = (await find(lead, 'q=communicates')).items[0];
      expect(note?.sessionId).toBe(sessionId);
      expect(note?.heading).toBe('Hear how the relationship is going');
    });

    it('should stem words and fold case', async () => {
      const lead = callers.get('programme lead') as Caller;
      expect(ids(await find(lead, 'q=SURPRISE'))).toEqual([records.get('insight'), records.get('remark_non_attributable'), records.get('check_in')].sort());
      expect(ids(await find(lead, 'q=invoice%20zephyr'))).toEqual(
        [records.get('insight'), records.get('remark_non_attributable'), records.get('action')].sort(),
      );
    });

    it('should rank a match in the title above one in the text', async () => {
      const low = await buildInsight(ctx, {
        clientId,
        summary: 'Something else entirely',
        quote: 'A passing mention of quokka among many other words here',
        heardOn: '2026-01-01',
      });
      const high = await buildInsight(ctx, { clientId, summary: 'Quokka pricing', heardOn: '2026-01-01' });
      const body = await find(callers.get('programme lead') as Caller, 'q=quokka');
      expect(body.items.map((i) => i.id)).toEqual([high.id, low.id]);
      expect(body.items[0]?.title).toEqual([
        { text: 'Quokka', match: true },
        { text: ' pricing', match: false },
      ]);
    });

    it('should filter by insight type, theme, client and dates', async () => {
      const lead = callers.get('programme lead') as Caller;
      expect(ids(await find(lead, 'q=zephyr&insightType=concern'))).toEqual([records.get('insight')]);
      const responsiveness = await themeId(t.database.db, 'Responsiveness');
      expect(ids(await find(lead, `q=zephyr&themeId=${responsiveness}`))).toEqual([records.get('insight')]);
      expect((await find(lead, `q=zephyr&clientId=${clientId}`)).total).toBe(9);
      expect(ids(await find(lead, 'q=zephyr&from=2026-03-05&to=2026-03-05'))).toEqual([records.get('check_in')]);
      expect(ids(await find(lead, 'q=zephyr&from=2026-01-01&to=2026-01-31'))).toEqual([records.get('insight')]);
      const bad = await lead.get('/api/v1/search?q=zephyr&from=2026-02-01&to=2026-01-01');
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('to');
      expect((await lead.get('/api/v1/search?q=zephyr&from=31/01/2026')).statusCode).toBe(400);
      expect((await lead.get(`/api/v1/search?q=${'a'.repeat(2001)}`)).statusCode).toBe(400);
    });

    it('should page with a cursor, the total on every page', async () => {
      const lead = callers.get('programme lead') as Caller;
      const first = await find(lead, 'q=zephyr&limit=4');
      expect(first.items).toHaveLength(4);
      expect(first.total).toBe(9);
      const second = await find(lead, `q=zephyr&limit=4&cursor=${first.nextCursor}`);
      const third = await find(lead, `q=zephyr&limit=4&cursor=${second.nextCursor}`);
      expect(third.nextCursor).toBeNull();
      const all = [...first.items, ...second.items, ...third.items].map((i) => i.id);
      expect(new Set(all).size).toBe(9);
      expect((await lead.get('/api/v1/search?q=zephyr&cursor=nonsense')).statusCode).toBe(400);
    });

    it('should treat search syntax, quotes and injection attempts as plain words', async () => {
      const lead = callers.get('programme lead') as Caller;
      for (const q of NASTY) {
        const res = await lead.get(`/api/v1/search?q=${encodeURIComponent(q)}`);
        expect(res.statusCode, JSON.stringify(q)).toBe(200);
        const body = res.json() as SearchResults;
        expect(body.total, JSON.stringify(q)).toBe(body.items.length < 20 ? body.items.length : body.total);
      }
      // Words around operators still search: "zephyr OR" finds zephyr records that also hold "or" on SQLite,
      // and on PostgreSQL "or" is a stop word; either way no error, and the table is still there.
      const count = await t.database.db
        .selectFrom('search_entries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBeGreaterThan(9);
      expect((await find(lead, `q=${encodeURIComponent('"zephyr')}`)).total).toBe(9);
      expect((await find(lead, `q=${encodeURIComponent('zephyr:*')}`)).total).toBe(9);
      expect((await find(lead, `q=${encodeURIComponent('-zephyr')}`)).total).toBe(9);
      expect((await find(lead, 'q=%F0%9F%99%82')).total).toBe(0);
    });

    it('should keep the index current when records change and go', async () => {
      const lead = callers.get('programme lead') as Caller;
      await updateProblem(ctx, problemId, { title: 'Walrus filing missed' });
      expect(ids(await find(lead, 'q=walrus'))).toEqual([problemId]);
      expect(ids(await find(lead, 'q=zephyr&kind=problem'))).toEqual([]);
      await deleteProblem(ctx, problemId);
      expect((await find(lead, 'q=walrus')).total).toBe(0);

      const remarkId = records.get('remark') as string;
      await updateRemark(ctx, sessionId, remarkId, { text: 'The ocelot partner is always available.', baseVersion: 1 });
      expect(ids(await find(lead, 'q=ocelot'))).toEqual([remarkId]);
      await deleteRemark(ctx, sessionId, remarkId);
      expect((await find(lead, 'q=ocelot')).total).toBe(0);

      await addComment(ctx, records.get('action') as string, 'Spoke to the narwhal team');
      expect(ids(await find(lead, 'q=narwhal'))).toEqual([records.get('action')]);

      // A session's new objective shows on its notes.
      await t.database.db.updateTable('listening_sessions').set({ objective: 'Hear about the pelican programme' }).where('id', '=', sessionId).execute();
      expect((await find(lead, 'q=communicates')).items[0]?.heading).toBe('Hear about the pelican programme');
    });

    it('should rebuild the index from the records, and survive VACUUM on SQLite', async () => {
      const lead = callers.get('programme lead') as Caller;
      const before = await find(lead, 'q=zephyr&limit=50');
      await t.database.db.deleteFrom('search_entries').execute();
      expect((await find(lead, 'q=zephyr')).total).toBe(0);
      const counts = await rebuildSearchIndex(t.database.db);
      expect(counts.session_note).toBe(1);
      expect(counts.check_in).toBe(1);
      if (dialect === 'sqlite') {
        await sql`vacuum`.execute(t.database.db);
      }
      const after = await find(lead, 'q=zephyr&limit=50');
      expect(ids(after)).toEqual(ids(before));
      expect(after.total).toBe(before.total);
    });

    it('should fill the index of a restored database, which the backup leaves out', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hearken-search-backup-'));
      const target = await createTestDatabase(dialect);
      try {
        const file = join(dir, 'backup.jsonl.gz');
        const written = await writeBackup(t.database, file);
        expect(written.header.tables).not.toContain('search_entries');
        await restoreBackup(target, file);
        const query = SearchQuery.parse({ q: 'zephyr', limit: 50 });
        const restored = await search(systemContext(target.db), query);
        const original = await search(ctx, query);
        expect(restored.total).toBe(original.total);
        expect(ids(restored)).toEqual(ids(original));
      } finally {
        await target.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
