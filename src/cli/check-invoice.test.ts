import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { createClient } from '../clients/clients.js';
import { createMatter } from '../clients/matters.js';
import { MAX_INVOICE_BYTES } from '../preferences/guardrails/parse-invoice.js';
import { createPreference } from '../preferences/preferences.js';
import { systemContext } from '../server/context.js';
import { cliEnv, ensureCliBuilt, ROOT, removeTemporaryDirectories, runCli } from './testing.js';

beforeAll(ensureCliBuilt, 180_000);
afterAll(removeTemporaryDirectories);

const FIXTURES = join(ROOT, 'src', 'preferences', 'guardrails', 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'hearken-check-invoice-'));

for (const dialect of DIALECTS) {
  describe(`${dialect}: hearken check-invoice`, () => {
    let database: TestDatabase;
    let clientId: string;
    let plainClientId: string;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const ctx = systemContext(database.db, 'test');
      const client = await createClient(ctx, {
        name: 'Kestrel Holdings',
        status: 'active',
        isKeyClient: false,
        competitors: [],
        walled: true,
        wallMemberIds: [],
      });
      clientId = client.id;
      await createMatter(ctx, clientId, {
        name: 'Kestrel acquisition',
        reference: 'K-100',
        status: 'closed',
        closedOn: '2026-11-15',
        clientProjectCode: 'KP-01',
      });
      await createPreference(ctx, {
        clientId,
        category: 'billing',
        statement: 'No "review of file", no block billing, partners capped at $750',
        source: 'person',
        rule: {
          kind: 'billing',
          disallowedPhrases: ['review of file'],
          noBlockBilling: true,
          rateCaps: [{ timekeeperClass: 'PT', maxRate: 750 }],
          lateEntryGraceDays: 5,
          splitByProjectCode: true,
          requireUtbmsCodes: true,
          noVagueDescriptions: true,
          descriptionDetail: null,
        },
      });
      const plain = await createClient(ctx, { name: 'Plain Co', status: 'active', isKeyClient: false, competitors: [], walled: false });
      plainClientId = plain.id;
    });
    afterAll(async () => {
      await database.drop();
    });

    it('flags every rule of the sample invoice (even on a walled client: the CLI is the system) and exits 2', async () => {
      const res = await runCli(['check-invoice', join(FIXTURES, 'trips-every-rule.ledes.txt'), '--client', clientId], cliEnv(database));
      expect(res.stderr).toBe('');
      expect(res.code).toBe(2);
      expect(res.stdout).toContain('trips-every-rule.ledes.txt: ledes1998b, 1 invoice');
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
        expect(res.stdout).toContain(k);
      }
      expect(res.stdout).toContain('Preference: “No "review of file"');
    });

    it('prints JSON with --format json', async () => {
      const res = await runCli(
        ['check-invoice', join(FIXTURES, 'trips-every-rule.csv'), '--client', clientId, '--format', 'json', '--date-order', 'mdy'],
        cliEnv(database),
      );
      expect(res.code).toBe(2);
      const body = JSON.parse(res.stdout);
      expect(body.format).toBe('csv');
      expect(body.summary.linesChecked).toBe(9);
      expect(body.findings.length).toBeGreaterThan(5);
    });

    it('exits 0 when nothing is at error severity', async () => {
      const res = await runCli(['check-invoice', join(FIXTURES, 'us-clean-crlf.ledes.txt'), '--client', plainClientId, '--format', 'json'], cliEnv(database));
      expect(res.stderr).toBe('');
      const body = JSON.parse(res.stdout);
      expect(body.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
      expect(res.code).toBe(0);
    });

    it('exits 1 on a malformed file, naming the file and the line on stderr', async () => {
      const file = join(FIXTURES, 'malformed.ledes.txt');
      const res = await runCli(['check-invoice', file, '--client', clientId], cliEnv(database));
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(new RegExp(`^hearken: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: `, 'm'));
      expect(res.stdout).toContain('could not be read');
    });

    it('exits 1 on an empty file, a binary file, a missing file, an unknown client and bad options', async () => {
      const empty = join(scratch, 'empty.txt');
      writeFileSync(empty, '');
      const res = await runCli(['check-invoice', empty, '--client', clientId], cliEnv(database));
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`hearken: ${empty}:1`);

      const binary = join(scratch, 'invoice.pdf');
      writeFileSync(binary, Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02]));
      const bin = await runCli(['check-invoice', binary, '--client', clientId], cliEnv(database));
      expect(bin.code).toBe(1);
      expect(bin.stderr).toContain('not a text file');

      const missing = await runCli(['check-invoice', join(scratch, 'nope.txt'), '--client', clientId], cliEnv(database));
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('nope.txt: cannot read the file (ENOENT)');

      const unknown = await runCli(
        ['check-invoice', join(FIXTURES, 'us-clean-crlf.ledes.txt'), '--client', '0190a000-0000-7000-8000-000000000000'],
        cliEnv(database),
      );
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe('hearken: Client not found\n');

      const format = await runCli(['check-invoice', empty, '--client', clientId, '--format', 'xml'], cliEnv(database));
      expect(format.code).toBe(1);
      expect(format.stderr).toContain('--format');
    });

    it('refuses a file over the limit from its size, without reading it', async () => {
      const big = join(scratch, 'huge.txt');
      const fd = openSync(big, 'w');
      closeSync(fd);
      const handle = await open(big, 'r+');
      await handle.truncate(MAX_INVOICE_BYTES + 1); // sparse: no 50 MB written
      await handle.close();
      const res = await runCli(['check-invoice', big, '--client', clientId], cliEnv(database));
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`hearken: ${big}: `);
      expect(res.stderr).toContain('invoices up to 50.0 MB can be checked');
    });
  });
}
