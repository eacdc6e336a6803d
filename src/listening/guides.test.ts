import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { systemContext } from '../server/context.js';
import { keyFrom, withKeys } from './guides.js';
import { buildClientWithTeam, buildCompletedSession } from './testing.js';

const SEEDED_GUIDE = '019a0000-0000-7000-8000-000000000001';

const sections = (overrides: Record<string, unknown> = {}) => [
  {
    title: 'Opening',
    questions: [{ text: 'How are things going?', help: 'Let them talk.' }, { text: 'What should we keep doing?' }],
  },
  { title: 'Closing', questions: [{ text: 'Anything else?' }] },
  ...(overrides.extra ? [overrides.extra] : []),
];

describe('guide keys', () => {
  it('should make readable keys from text and never repeat one', () => {
    const taken = new Set(['how_are_things']);
    expect(keyFrom('How are things?', taken)).toBe('how_are_things_2');
    expect(keyFrom('Café — crème brûlée!', taken)).toBe('cafe_creme_brulee');
    expect(keyFrom('???', taken, 'question')).toBe('question');
    expect(keyFrom('???', taken, 'question')).toBe('question_2');
  });

  it('should keep the keys an editor sent and give the rest new ones', () => {
    const result = withKeys([
      { title: 'A', questions: [{ key: 'first', text: 'First?' }, { text: 'first' }] },
      { key: 'a', title: 'A', questions: [{ text: 'Second?', help: null }] },
    ]);
    expect(result.map((s) => s.key)).toEqual(['a_2', 'a']);
    expect(result.flatMap((s) => s.questions.map((q) => q.key))).toEqual(['first', 'first_2', 'second']);
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: interview guides API`, () => {
    let t: TestApp;
    let admin: Caller;
    let lead: Caller;
    let partner: Caller;
    let external: Caller;
    let leadId: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      admin = await signIn(t.app, (await buildUser(t, 'admin')).email);
      const l = await buildUser(t, 'programme_lead', { name: 'Lena Lead' });
      leadId = l.id;
      lead = await signIn(t.app, l.email);
      partner = await signIn(t.app, (await buildUser(t, 'partner')).email);
      external = await signIn(t.app, (await buildUser(t, 'external')).email);
    });
    afterAll(async () => t?.close());

    const auditFor = (entityId: string) => t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();

    describe('GET /api/v1/guides', () => {
      it('should require sign-in', async () => {
        expect((await anonymous(t.app).get('/api/v1/guides')).statusCode).toBe(401);
      });

      it('should list the seeded default guide for every role, externals included', async () => {
        for (const caller of [admin, lead, partner, external]) {
          const res = await caller.get('/api/v1/guides');
          expect(res.statusCode).toBe(200);
          expect(res.json().items).toContainEqual(
            expect.objectContaining({ id: SEEDED_GUIDE, name: 'Client listening guide', isDefault: true, archived: false, latestVersion: 1 }),
          );
        }
      });

      it('should show the seeded guide’s questions, from relationship to the likelihood to recommend', async () => {
        const res = await partner.get(`/api/v1/guides/${SEEDED_GUIDE}`);
        expect(res.statusCode).toBe(200);
        const guide = res.json();
        expect(guide.canEdit).toBe(false);
        expect(guide.current.version).toBe(1);
        const keys = guide.current.sections.flatMap((s: { questions: { key: string }[] }) => s.questions.map((q) => q.key));
        expect(keys).toEqual(
          expect.arrayContaining(['how_going', 'what_works', 'one_thing', 'value', 'understanding', 'communication', 'future_needs', 'recommend']),
        );
        expect(guide.versions).toEqual([{ version: 1, createdAt: expect.any(String), createdBy: null }]);
      });

      it('should answer 404 for an unknown guide or version', async () => {
        expect((await lead.get('/api/v1/guides/01900000-0000-7000-8000-000000000000')).statusCode).toBe(404);
        expect((await lead.get(`/api/v1/guides/${SEEDED_GUIDE}/versions/9`)).statusCode).toBe(404);
        expect((await lead.get(`/api/v1/guides/${SEEDED_GUIDE}/versions/zero`)).statusCode).toBe(400);
      });
    });

    describe('POST /api/v1/guides', () => {
      it('should name each bad field and write nothing', async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{ sections: sections() }, 'name'],
          [{ name: 'Empty', sections: [] }, 'sections'],
          [{ name: 'No questions', sections: [{ title: 'A', questions: [] }] }, 'sections.0.questions'],
          [
            {
              name: 'Blank text',
              sections: [
                { title: 'A', questions: [{ text: 'ok' }] },
                { title: 'B', questions: [{ text: '  ' }] },
              ],
            },
            'sections.1.questions.0.text',
          ],
          [{ name: 'No title', sections: [{ title: '', questions: [{ text: 'ok' }] }] }, 'sections.0.title'],
          [
            {
              name: 'Twice',
              sections: [
                { title: 'A', questions: [{ key: 'same', text: 'one' }] },
                { title: 'B', questions: [{ key: 'same', text: 'two' }] },
              ],
            },
            'sections.1.questions.0.key',
          ],
          [{ name: 'Bad key', sections: [{ title: 'A', questions: [{ key: 'Not A Key', text: 'one' }] }] }, 'sections.0.questions.0.key'],
          [{ name: 'Extra', sections: sections(), colour: 'red' }, 'colour'],
        ];
        for (const [body, field] of cases) {
          const res = await lead.post('/api/v1/guides', body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(res.json().errors[0].field, JSON.stringify(body)).toBe(field);
        }
        const list = (await lead.get('/api/v1/guides')).json().items;
        expect(list).toHaveLength(1);
      });

      it('should refuse roles that may not edit guides', async () => {
        for (const caller of [partner, external]) {
          expect((await caller.post('/api/v1/guides', { name: 'Mine', sections: sections() })).statusCode).toBe(403);
        }
      });

      it('should create version 1 with keys made from the text, and audit it', async () => {
        const res = await lead.post('/api/v1/guides', { name: 'Lost client interview', description: 'For clients we lost', sections: sections() });
        expect(res.statusCode).toBe(201);
        const guide = res.json();
        expect(guide).toMatchObject({ name: 'Lost client interview', description: 'For clients we lost', isDefault: false, latestVersion: 1, canEdit: true });
        expect(guide.current.sections).toEqual([
          {
            key: 'opening',
            title: 'Opening',
            questions: [
              { key: 'how_are_things_going', text: 'How are things going?', help: 'Let them talk.' },
              { key: 'what_should_we_keep_doing', text: 'What should we keep doing?', help: null },
            ],
          },
          { key: 'closing', title: 'Closing', questions: [{ key: 'anything_else', text: 'Anything else?', help: null }] },
        ]);
        expect(guide.current.createdBy).toEqual({ id: leadId, name: 'Lena Lead' });
        const audit = await auditFor(guide.id);
        expect(audit[0]).toMatchObject({ action: 'guide.create', actor_id: leadId });
        expect(JSON.parse(audit[0]?.changes ?? '{}').name).toEqual([null, 'Lost client interview']);
      });

      it('should refuse a name already taken, whatever its case', async () => {
        const res = await admin.post('/api/v1/guides', { name: 'client LISTENING guide', sections: sections() });
        expect(res.statusCode).toBe(409);
        expect(res.json().errors[0].field).toBe('name');
      });
    });

    describe('PUT /api/v1/guides/{id}', () => {
      it('should write the next version and leave the earlier one exactly as it was', async () => {
        const guide = (await admin.post('/api/v1/guides', { name: 'Versioned guide', sections: sections() })).json();
        const v1 = (await admin.get(`/api/v1/guides/${guide.id}/versions/1`)).json();
        const edited = structuredClone(guide.current.sections);
        edited[0].questions[0].text = 'How is the relationship going?';
        edited[0].questions.push({ text: 'What surprised you?' });
        edited.reverse();
        const res = await admin.put(`/api/v1/guides/${guide.id}`, { sections: edited, baseVersion: 1 });
        expect(res.statusCode).toBe(200);
        const saved = res.json();
        expect(saved.latestVersion).toBe(2);
        expect(saved.current.sections.map((s: { key: string }) => s.key)).toEqual(['closing', 'opening']);
        // The edited question keeps its key (notes still match); the new one gets its own.
        expect(saved.current.sections[1].questions.map((q: { key: string; text: string }) => [q.key, q.text])).toEqual([
          ['how_are_things_going', 'How is the relationship going?'],
          ['what_should_we_keep_doing', 'What should we keep doing?'],
          ['what_surprised_you', 'What surprised you?'],
        ]);
        expect(saved.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
        expect((await admin.get(`/api/v1/guides/${guide.id}/versions/1`)).json()).toEqual(v1);
        const audit = (await auditFor(guide.id)).find((a) => a.action === 'guide.version');
        expect(JSON.parse(audit?.changes ?? '{}').latestVersion).toEqual([1, 2]);
      });

      it('should refuse a save made from a version that is no longer the newest', async () => {
        const guide = (await lead.post('/api/v1/guides', { name: 'Raced guide', sections: sections() })).json();
        expect(
          (await lead.put(`/api/v1/guides/${guide.id}`, { sections: sections({ extra: { title: 'Mine', questions: [{ text: 'A?' }] } }), baseVersion: 1 }))
            .statusCode,
        ).toBe(200);
        const stale = await admin.put(`/api/v1/guides/${guide.id}`, {
          sections: sections({ extra: { title: 'Theirs', questions: [{ text: 'B?' }] } }),
          baseVersion: 1,
        });
        expect(stale.statusCode).toBe(409);
        expect(stale.json().errors[0].field).toBe('baseVersion');
        expect((await lead.get(`/api/v1/guides/${guide.id}`)).json().latestVersion).toBe(2);
      });

      it('should write no version when nothing changed', async () => {
        const guide = (await lead.post('/api/v1/guides', { name: 'Unchanged guide', sections: sections() })).json();
        const res = await lead.put(`/api/v1/guides/${guide.id}`, { sections: guide.current.sections });
        expect(res.json().latestVersion).toBe(1);
      });

      it('should name the bad field and refuse partners', async () => {
        const res = await lead.put(`/api/v1/guides/${SEEDED_GUIDE}`, { sections: [{ title: 'A', questions: [{ text: 'ok' }, { text: '' }] }] });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors[0].field).toBe('sections.0.questions.1.text');
        expect((await partner.put(`/api/v1/guides/${SEEDED_GUIDE}`, { sections: sections() })).statusCode).toBe(403);
        expect((await lead.put('/api/v1/guides/01900000-0000-7000-8000-000000000000', { sections: sections() })).statusCode).toBe(404);
      });
    });

    describe('PATCH /api/v1/guides/{id}', () => {
      it('should keep exactly one default guide', async () => {
        const guide = (await lead.post('/api/v1/guides', { name: 'New default', sections: sections() })).json();
        const res = await lead.patch(`/api/v1/guides/${guide.id}`, { isDefault: true });
        expect(res.statusCode).toBe(200);
        const defaults = (await lead.get('/api/v1/guides')).json().items.filter((g: { isDefault: boolean }) => g.isDefault);
        expect(defaults.map((g: { id: string }) => g.id)).toEqual([guide.id]);
        expect((await auditFor(SEEDED_GUIDE)).map((a) => a.action)).toContain('guide.update');
        // Unsetting the default is not a thing: another guide takes it over instead.
        expect((await lead.patch(`/api/v1/guides/${guide.id}`, { isDefault: false })).json().errors[0].field).toBe('isDefault');
        expect((await lead.patch(`/api/v1/guides/${SEEDED_GUIDE}`, { isDefault: true })).statusCode).toBe(200);
      });

      it('should archive and restore, but never the default', async () => {
        const guide = (await admin.post('/api/v1/guides', { name: 'Old guide', sections: sections() })).json();
        const archived = await admin.patch(`/api/v1/guides/${guide.id}`, { archived: true, name: 'Old guide (2025)' });
        expect(archived.json()).toMatchObject({ archived: true, name: 'Old guide (2025)' });
        const asDefault = await admin.patch(`/api/v1/guides/${guide.id}`, { isDefault: true });
        expect(asDefault.statusCode).toBe(400);
        expect(asDefault.json().errors[0].field).toBe('isDefault');
        const current = (await admin.get('/api/v1/guides')).json().items.find((g: { isDefault: boolean }) => g.isDefault);
        const archiveDefault = await admin.patch(`/api/v1/guides/${current.id}`, { archived: true });
        expect(archiveDefault.statusCode).toBe(400);
        expect(archiveDefault.json().errors[0].field).toBe('archived');
        expect((await admin.patch(`/api/v1/guides/${guide.id}`, { archived: false })).json().archived).toBe(false);
        const audit = (await auditFor(guide.id)).filter((a) => a.action === 'guide.update');
        expect(JSON.parse(audit[0]?.changes ?? '{}')).toEqual({ archived: [false, true], name: ['Old guide', 'Old guide (2025)'] });
      });

      it('should refuse a name another guide has, and partners', async () => {
        const guide = (await admin.post('/api/v1/guides', { name: 'Renamed guide', sections: sections() })).json();
        const res = await admin.patch(`/api/v1/guides/${guide.id}`, { name: 'Client listening guide' });
        expect(res.statusCode).toBe(409);
        expect(res.json().errors[0].field).toBe('name');
        expect((await partner.patch(`/api/v1/guides/${guide.id}`, { name: 'Mine now' })).statusCode).toBe(403);
      });
    });

    describe('score dimensions', () => {
      it('should list the seeded dimensions to every role', async () => {
        for (const caller of [partner, external]) {
          const res = await caller.get('/api/v1/score-dimensions');
          expect(res.statusCode).toBe(200);
          expect(res.json().items.map((d: { key: string }) => d.key)).toEqual(['responsiveness', 'understanding', 'value', 'communication', 'expertise']);
        }
      });

      it('should reorder, relabel, add and remove, and audit each change', async () => {
        const res = await lead.put('/api/v1/score-dimensions', {
          items: [
            { key: 'expertise', label: 'Legal expertise' },
            { key: 'responsiveness', label: 'Responsiveness' },
            { label: 'Commercial awareness' },
            { key: 'value', label: 'Value for money', active: false },
            { key: 'communication', label: 'Communication' },
          ],
        });
        expect(res.statusCode).toBe(200);
        expect(res.json().items).toEqual([
          { key: 'expertise', label: 'Legal expertise', position: 0, active: true, inUse: false },
          { key: 'responsiveness', label: 'Responsiveness', position: 1, active: true, inUse: false },
          { key: 'commercial_awareness', label: 'Commercial awareness', position: 2, active: true, inUse: false },
          { key: 'value', label: 'Value for money', position: 3, active: false, inUse: false },
          { key: 'communication', label: 'Communication', position: 4, active: true, inUse: false },
        ]);
        const audit = await t.database.db.selectFrom('audit_log').select(['action', 'entity_id']).where('entity', '=', 'score_dimension').execute();
        expect(audit).toEqual(
          expect.arrayContaining([
            { action: 'score_dimension.delete', entity_id: 'understanding' },
            { action: 'score_dimension.create', entity_id: 'commercial_awareness' },
            { action: 'score_dimension.update', entity_id: 'expertise' },
          ]),
        );
      });

      it('should deactivate, not delete, a dimension that sessions have scores on', async () => {
        const sys = systemContext(t.database.db, 'test');
        const interviewer = await buildUser(t, 'member');
        const { client } = await buildClientWithTeam(sys);
        await buildCompletedSession(sys, { clientId: client.id, interviewerId: interviewer.id, scores: { dimensions: { responsiveness: 4 } } });
        const listed = (await lead.get('/api/v1/score-dimensions')).json().items;
        expect(listed.find((d: { key: string }) => d.key === 'responsiveness')).toMatchObject({ inUse: true, active: true });
        const res = await lead.put('/api/v1/score-dimensions', { items: [{ key: 'expertise', label: 'Legal expertise' }] });
        expect(res.statusCode).toBe(200);
        const keys = res.json().items.map((d: { key: string; active: boolean }) => [d.key, d.active]);
        expect(keys).toEqual([
          ['expertise', true],
          ['responsiveness', false],
        ]);
        const score = await t.database.db.selectFrom('session_scores').select('score').where('dimension', '=', 'responsiveness').executeTakeFirst();
        expect(score?.score).toBe(4);
      });

      it('should name bad fields and refuse partners', async () => {
        const twice = await lead.put('/api/v1/score-dimensions', { items: [{ label: 'Speed' }, { label: 'speed' }] });
        expect(twice.statusCode).toBe(400);
        expect(twice.json().errors[0].field).toBe('items.1.label');
        const blank = await lead.put('/api/v1/score-dimensions', { items: [{ label: ' ' }] });
        expect(blank.json().errors[0].field).toBe('items.0.label');
        expect((await partner.put('/api/v1/score-dimensions', { items: [] })).statusCode).toBe(403);
      });
    });
  });
}
