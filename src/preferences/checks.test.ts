import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, type Caller, createTestApp, signIn, type TestApp } from '../../test/support/app.js';
import { DIALECTS } from '../../test/support/dialects.js';
import { createMatter } from '../clients/matters.js';
import type { ClientTeamRole, Role } from '../db/schema.js';
import { POLICY, scopeSatisfied } from '../http/access.js';
import { buildClientWithTeam } from '../listening/testing.js';
import { systemContext } from '../server/context.js';
import { MAX_INVOICE_BYTES } from './guardrails/parse-invoice.js';
import { createPreference } from './preferences.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'guardrails', 'fixtures', name));

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
  { label: 'member on the team', role: 'member', teamRole: 'member' },
  { label: 'partner off the team', role: 'partner' },
  { label: 'member off the team', role: 'member' },
  { label: 'external', role: 'external' },
];
type Kind = 'open' | 'walled, listed' | 'walled, not listed';
const KINDS: Kind[] = ['open', 'walled, listed', 'walled, not listed'];

const readScope = (role: Role) => (POLICY.preference.read as Partial<Record<Role, 'any' | 'client_team' | 'relationship_partner'>>)[role];

/** What a persona should get: a role that may never read preferences 403; a client it cannot see 404. */
function expected(p: Persona, kind: Kind): number {
  const scope = readScope(p.role);
  if (!scope) {
    return 403;
  }
  if (kind === 'walled, not listed') {
    return 404;
  }
  return scopeSatisfied(scope, p.teamRole) ? 200 : 403;
}

const BILLING = {
  kind: 'billing' as const,
  descriptionDetail: null,
  disallowedPhrases: ['Review of file'],
  noBlockBilling: true,
  rateCaps: [{ timekeeperClass: 'PT' as const, maxRate: 750 }],
  lateEntryGraceDays: 5,
  splitByProjectCode: true,
  requireUtbmsCodes: true,
  noVagueDescriptions: true,
};

for (const dialect of DIALECTS) {
  describe(`guardrail checks API (${dialect})`, () => {
    let t: TestApp;
    const callers = new Map<string, Caller>();
    let rp: Caller;
    let clientId: string;
    let megge: string;

    /** A raw-body upload as the page sends it. */
    const upload = (caller: Caller, body: Buffer | string, query: string, contentType = 'text/plain') =>
      caller.app.inject({
        method: 'POST',
        url: `/api/v1/checks/invoice?${query}`,
        headers: { ...caller.headers, 'content-type': contentType },
        payload: body,
      });

    beforeAll(async () => {
      t = await createTestApp(dialect);
      const users = new Map<string, { id: string }>();
      for (const p of PERSONAS) {
        const u = await buildUser(t, p.role, { name: p.label });
        users.set(p.label, u);
        callers.set(p.label, await signIn(t.app, u.email));
      }
      rp = callers.get('relationship partner') as Caller;
      const sys = systemContext(t.database.db, 'test');
      const team = { partnerIds: [users.get('relationship partner')?.id ?? ''], memberIds: [users.get('member on the team')?.id ?? ''] };
      const c = await buildClientWithTeam(sys, { ...team, name: `Kestrel Holdings ${dialect}`, contacts: ['Megge Ross'] });
      clientId = c.client.id;
      megge = c.contacts[0]?.id ?? '';
      await createMatter(sys, clientId, {
        name: 'Kestrel acquisition',
        reference: 'K-100',
        status: 'closed',
        closedOn: '2026-11-15',
        clientProjectCode: 'KP-01',
      });
      await createPreference(sys, {
        clientId,
        category: 'billing',
        statement: 'Our billing guidelines: no "review of file", no block billing, partners capped at $750.',
        rule: BILLING,
        source: 'person',
      });
      await createPreference(sys, {
        clientId,
        contactId: megge,
        category: 'naming',
        statement: 'She is Megge, never Meg',
        rule: { kind: 'naming', preferredName: 'Megge', avoid: ['Meg'] },
        source: 'person',
      });
      await createPreference(sys, {
        clientId,
        category: 'meetings_platforms',
        statement: 'We are a Microsoft shop: Teams only',
        rule: { kind: 'meeting_platform', preferred: ['Microsoft Teams'], avoid: ['Zoom'] },
        source: 'person',
      });
      await createPreference(sys, {
        clientId,
        category: 'vendors_brands',
        statement: 'Never a Chevy for us',
        rule: { kind: 'avoid_brands', brands: [{ name: 'Chevrolet', aliases: ['Chevy'] }] },
        source: 'person',
      });
    }, 120_000);
    afterAll(async () => t.close());

    describe('POST /api/v1/checks/invoice', () => {
      it('should flag every rule of the sample invoice, with totals, the preference and the matter close date', async () => {
        const res = await upload(rp, fixture('trips-every-rule.ledes.txt'), `clientId=${clientId}&filename=trips-every-rule.ledes.txt`);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body.format).toBe('ledes1998b');
        expect(body.client).toEqual({ id: clientId, name: `Kestrel Holdings ${dialect}` });
        const kinds = new Set(body.findings.map((f: { kind: string }) => f.kind));
        for (const k of [
          'disallowed_phrase',
          'block_billing',
          'vague_description',
          'rate_above_cap',
          'unknown_code',
          'missing_code',
          'missing_project_code',
          'late_entry',
        ]) {
          expect(kinds).toContain(k);
        }
        const phrase = body.findings.find((f: { kind: string }) => f.kind === 'disallowed_phrase');
        expect(phrase).toMatchObject({
          fileLine: 3,
          amountAtRisk: 520,
          source: { statement: expect.stringContaining('review of file') },
          span: { start: 0, end: 14 },
        });
        expect(body.findings.find((f: { kind: string }) => f.kind === 'late_entry')).toMatchObject({ fileLine: 10 });
        expect(body.summary).toMatchObject({ invoices: 1, linesChecked: 9 });
        expect(body.summary.amountAtRisk).toBe(body.summary.amountChecked);
      });

      it('should read the CSV export and a dateOrder, as text/csv', async () => {
        const res = await upload(rp, fixture('trips-every-rule.csv'), `clientId=${clientId}&filename=x.csv&dateOrder=mdy`, 'text/csv');
        expect(res.statusCode).toBe(200);
        expect(res.json().format).toBe('csv');
        expect(res.json().findings.length).toBeGreaterThan(5);
      });

      it('should accept application/octet-stream with a charset-free body', async () => {
        const res = await upload(rp, fixture('us-clean-crlf.ledes.txt'), `clientId=${clientId}`, 'application/octet-stream');
        expect(res.statusCode).toBe(200);
      });

      it('should take a multipart form upload, naming the file from its part', async () => {
        const boundary = '----hearken-test';
        const form = (part: string, data: Buffer) =>
          Buffer.concat([Buffer.from(`--${boundary}\r\n${part}\r\n\r\n`), data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
        const res = await upload(
          rp,
          form('Content-Disposition: form-data; name="file"; filename="trips.csv"\r\nContent-Type: text/csv', fixture('trips-every-rule.csv')),
          `clientId=${clientId}`,
          `multipart/form-data; boundary=${boundary}`,
        );
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ format: 'csv', filename: 'trips.csv' });
        const none = await upload(
          rp,
          form('Content-Disposition: form-data; name="note"', Buffer.from('x')),
          `clientId=${clientId}`,
          `multipart/form-data; boundary=${boundary}`,
        );
        expect(none.statusCode).toBe(400);
        expect(none.json().errors.map((e: { field: string }) => e.field)).toEqual(['file']);
      });

      it('should answer 422 with line and field for a malformed file, keeping the warnings', async () => {
        const res = await upload(rp, fixture('malformed.ledes.txt'), `clientId=${clientId}&filename=malformed.ledes.txt`);
        expect(res.statusCode).toBe(422);
        expect(res.headers['content-type']).toContain('application/problem+json');
        const body = res.json();
        expect(body.code).toBe('invoice_unreadable');
        expect(body.errors.length).toBeGreaterThan(0);
        expect(body.errors[0]).toMatchObject({ line: expect.any(Number), message: expect.any(String) });
        expect(body.errors.some((e: { field?: string }) => typeof e.field === 'string')).toBe(true);
        expect(Array.isArray(body.warnings)).toBe(true);
      });

      it('should refuse an empty file, a binary file and a wrong header with 422', async () => {
        const empty = await upload(rp, '', `clientId=${clientId}`);
        expect(empty.statusCode).toBe(422);
        expect(empty.json().errors[0].line).toBe(1);

        const binary = await upload(rp, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0x10]), `clientId=${clientId}`, 'application/octet-stream');
        expect(binary.statusCode).toBe(422);
        expect(binary.json().errors[0].message).toMatch(/not a text file/);

        const header = await upload(rp, 'LEDES1999Z[]\nINVOICE_DATE|INVOICE_NUMBER[]\n', `clientId=${clientId}&filename=a.txt`);
        expect(header.statusCode).toBe(422);
        expect(header.json().errors[0]).toMatchObject({ line: 1 });
        expect(header.json().detail).toMatch(/^line 1/);
      });

      it('should refuse 50 MiB + 1 byte with 413 naming the limit, and accept the limit itself as far as the size goes', async () => {
        const big = Buffer.alloc(MAX_INVOICE_BYTES + 1, 0x61);
        const res = await upload(rp, big, `clientId=${clientId}`);
        expect(res.statusCode).toBe(413);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().detail).toContain('50 MiB');
        expect(res.json().detail).toContain(String(MAX_INVOICE_BYTES));
      });

      it('should answer 404 for a client that does not exist, 400 without clientId, 415 for JSON, 401 without a session', async () => {
        expect((await upload(rp, 'x', 'clientId=0190a000-0000-7000-8000-000000000000')).statusCode).toBe(404);
        const missing = await upload(rp, 'x', '');
        expect(missing.statusCode).toBe(400);
        expect(missing.json().errors.map((e: { field: string }) => e.field)).toContain('clientId');
        expect((await rp.post(`/api/v1/checks/invoice?clientId=${clientId}`, { file: 'x' })).statusCode).toBe(415);
        expect((await upload(anonymous(t.app), 'x', `clientId=${clientId}`)).statusCode).toBe(401);
      });
    });

    describe('POST /api/v1/checks/message', () => {
      it('should flag Meg for Megge and Zoom for a Teams client, with spans', async () => {
        const res = await rp.post('/api/v1/checks/message', {
          clientId,
          recipients: [{ contactId: megge }],
          salutation: 'Dear Meg,',
          subject: 'Board update',
          body: 'Join us on Zoom: https://zoom.us/j/123',
          channel: 'email',
          meetingPlatform: 'Zoom',
        });
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body.recipientContactIds).toEqual([megge]);
        const name = body.findings.find((f: { kind: string }) => f.kind === 'name_form');
        expect(name).toMatchObject({ field: 'salutation', text: 'Meg', contactId: megge, source: { statement: 'She is Megge, never Meg' } });
        expect('Dear Meg,'.slice(name.span.start, name.span.end)).toBe('Meg');
        expect(body.findings.some((f: { kind: string }) => f.kind === 'meeting_platform')).toBe(true);
      });

      it('should refuse a bad channel naming the field, and 404 an unknown client', async () => {
        const bad = await rp.post('/api/v1/checks/message', { clientId, body: 'x', channel: 'pigeon' });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('channel');
        expect((await rp.post('/api/v1/checks/message', { clientId: '0190a000-0000-7000-8000-000000000000', body: 'x' })).statusCode).toBe(404);
      });
    });

    describe('POST /api/v1/checks/plan', () => {
      it('should find the Chevy in free text and in items', async () => {
        const text = await rp.post('/api/v1/checks/plan', { clientId, plan: 'Airport pickup: rent a Chevy Tahoe for the partners.' });
        expect(text.statusCode).toBe(200);
        expect(text.json().findings[0]).toMatchObject({ brand: 'Chevrolet', term: 'Chevy', text: 'Chevy', itemIndex: null, start: 23, end: 28 });
        const items = await rp.post('/api/v1/checks/plan', { clientId, plan: [{ label: 'Car hire', text: 'Chevrolet Suburban' }, { text: 'Ford Explorer' }] });
        expect(items.json().findings).toHaveLength(1);
        expect(items.json().summary).toEqual({ matches: 1, brands: ['Chevrolet'] });
      });

      it('should refuse a missing plan naming the field', async () => {
        const res = await rp.post('/api/v1/checks/plan', { clientId });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('plan');
      });
    });

    describe('GET/PUT /api/v1/settings/preferences', () => {
      it('should let an admin change the stale age, audited, and refuse others', async () => {
        const admin = callers.get('admin') as Caller;
        expect((await admin.get('/api/v1/settings/preferences')).json()).toEqual({ staleAfterDays: 365 });
        const bad = await admin.put('/api/v1/settings/preferences', { staleAfterDays: 0 });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['staleAfterDays']);
        const ok = await admin.put('/api/v1/settings/preferences', { staleAfterDays: 180 });
        expect(ok.statusCode).toBe(200);
        expect(ok.json()).toEqual({ staleAfterDays: 180 });
        const lead = callers.get('programme lead') as Caller;
        expect((await lead.get('/api/v1/settings/preferences')).json()).toEqual({ staleAfterDays: 180 });
        expect((await lead.put('/api/v1/settings/preferences', { staleAfterDays: 30 })).statusCode).toBe(403);
        expect((await rp.get('/api/v1/settings/preferences')).statusCode).toBe(403);
        const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', 'preferences').execute();
        expect(audit.map((a) => a.action)).toEqual(['settings.preferences.update']);
        await admin.put('/api/v1/settings/preferences', { staleAfterDays: 365 });
      });
    });

    describe('access matrix', () => {
      const clients = new Map<Kind, string>();
      beforeAll(async () => {
        const sys = systemContext(t.database.db, 'test');
        const all = (await t.database.db.selectFrom('users').select('id').execute()).map((u) => u.id);
        const rpUser = await t.database.db.selectFrom('users').select('id').where('name', '=', 'relationship partner').executeTakeFirstOrThrow();
        const memberUser = await t.database.db.selectFrom('users').select('id').where('name', '=', 'member on the team').executeTakeFirstOrThrow();
        const team = { partnerIds: [rpUser.id], memberIds: [memberUser.id] };
        const stranger = await buildUser(t, 'partner');
        for (const kind of KINDS) {
          const c =
            kind === 'open'
              ? await buildClientWithTeam(sys, team)
              : kind === 'walled, listed'
                ? await buildClientWithTeam(sys, { ...team, walled: true, wallMemberIds: all })
                : await buildClientWithTeam(sys, { walled: true, wallMemberIds: [stranger.id], partnerIds: [stranger.id] });
          clients.set(kind, c.client.id);
        }
      });

      for (const p of PERSONAS) {
        for (const kind of KINDS) {
          it(`${p.label} on a ${kind} client`, async () => {
            const id = clients.get(kind) as string;
            const caller = callers.get(p.label) as Caller;
            const want = expected(p, kind);
            expect((await upload(caller, fixture('us-clean-crlf.ledes.txt'), `clientId=${id}`)).statusCode).toBe(want);
            expect((await caller.post('/api/v1/checks/message', { clientId: id, body: 'Hello' })).statusCode).toBe(want);
            expect((await caller.post('/api/v1/checks/plan', { clientId: id, plan: 'Dinner' })).statusCode).toBe(want);
          });
        }
      }

      it('should write no audit row for a check', async () => {
        const before = await t.database.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        await upload(rp, fixture('trips-every-rule.ledes.txt'), `clientId=${clientId}`);
        await rp.post('/api/v1/checks/plan', { clientId, plan: 'Chevy' });
        const after = await t.database.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(after.n)).toBe(Number(before.n));
      });
    });
  });
}
