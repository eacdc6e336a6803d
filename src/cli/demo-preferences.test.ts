import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import type { Role } from '../db/schema.js';
import { checkInvoiceFile } from '../preferences/checks.js';
import { listPreferences, loadRuleSources } from '../preferences/preferences.js';
import { systemContext } from '../server/context.js';
import { loadDemoFirm } from './demo.js';
import { DEMO_CLIENTS, DEMO_USERS, demoUserEmail } from './demo-firm.js';
import { DEMO_PREFERENCES, loadPreferencesDemo } from './demo-preferences.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: demo preferences`, () => {
    let database: TestDatabase;
    const clientIds = new Map<string, string>();

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const { db } = database;
      await loadDemoFirm(db, { password: 'listen to the client' });
      for (const c of DEMO_CLIENTS) {
        clientIds.set(c.key, (await db.selectFrom('clients').select('id').where('name', '=', c.name).executeTakeFirstOrThrow()).id);
      }
      // The demo command may already load them; otherwise load them here, as the demo does.
      const existing = await db.selectFrom('preferences').select('id').executeTakeFirst();
      if (!existing) {
        const users = new Map<string, { id: string; role: Role; name: string; email: string }>();
        for (const u of DEMO_USERS) {
          users.set(
            u.key,
            await db.selectFrom('users').select(['id', 'role', 'name', 'email']).where('email', '=', demoUserEmail(u)).executeTakeFirstOrThrow(),
          );
        }
        const result = await loadPreferencesDemo(db, users, clientIds);
        expect(result.preferences).toBe(DEMO_PREFERENCES.length);
      }
    }, 180_000);
    afterAll(async () => database?.drop());

    it('should express every seed example as a rule the checks can load', async () => {
      const { db } = database;
      const rules = (await Promise.all([...clientIds.values()].map((id) => loadRuleSources(db, id)))).flat().map((s) => s.rule);
      const kinds = new Set(rules.map((r) => r.kind));
      expect(kinds).toEqual(
        new Set(['billing', 'avoid_brands', 'reporting_schedule', 'unwanted_report', 'channel', 'restricted_recipient', 'naming', 'meeting_platform']),
      );
      const billing = rules.filter((r) => r.kind === 'billing');
      expect(billing.some((r) => r.lateEntryGraceDays !== null)).toBe(true);
      expect(billing.some((r) => r.splitByProjectCode)).toBe(true);
      expect(billing.some((r) => r.disallowedPhrases.includes('review of file'))).toBe(true);
      expect(billing.some((r) => r.descriptionDetail === 'summary')).toBe(true);
      const brands = rules.flatMap((r) => (r.kind === 'avoid_brands' ? r.brands : []));
      expect(brands.map((b) => b.name)).toEqual(expect.arrayContaining(['Chevrolet', 'PepsiCo', 'FedEx']));
      expect(brands.find((b) => b.name === 'Chevrolet')?.aliases).toContain('Chevy');
    });

    it('should flag every rule of the sample invoice on the demo client with the billing guidelines (docs/guardrails.md)', async () => {
      const bytes = readFileSync(join(import.meta.dirname, '..', 'preferences', 'guardrails', 'fixtures', 'trips-every-rule.ledes.txt'));
      const sterling = clientIds.get('sterling') ?? '';
      const outcome = await checkInvoiceFile(
        systemContext(database.db),
        { clientId: sterling, bytes, filename: 'trips-every-rule.ledes.txt' },
        new Date('2026-11-23T12:00:00Z'),
      );
      const kinds = new Set(outcome.check?.findings.map((f) => f.kind));
      for (const k of [
        'disallowed_phrase',
        'block_billing',
        'vague_description',
        'rate_above_cap',
        'unknown_code',
        'missing_code',
        'missing_project_code',
        'late_entry',
        'late_invoice',
      ]) {
        expect(kinds).toContain(k);
      }
      expect(kinds).not.toContain('rule_conflict');
    });

    it('should leave some preferences due an "ask again"', async () => {
      const stale = await listPreferences(systemContext(database.db), { stale: true, limit: 50 });
      expect(stale.items.length).toBeGreaterThanOrEqual(2);
    });
  });
}
