import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/support/dialects.js';
import { createClient } from '../clients/clients.js';
import { systemContext } from '../server/context.js';
import { cliEnv, ensureCliBuilt, removeTemporaryDirectories, runCli } from './testing.js';

beforeAll(ensureCliBuilt, 180_000);
afterAll(removeTemporaryDirectories);

for (const dialect of DIALECTS) {
  describe(`${dialect}: hearken health snapshot`, () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const ctx = systemContext(database.db, 'test');
      await createClient(ctx, { name: 'Snap Co', status: 'active', isKeyClient: false, competitors: [], walled: false });
      await createClient(ctx, { name: 'Gone Co', status: 'lost', isKeyClient: false, competitors: [], walled: false });
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('stores one snapshot per active client and day; a second run adds nothing', async () => {
      const env = cliEnv(database);
      const first = await runCli(['health', 'snapshot', '--date', '2026-05-04'], env);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain('1 taken, 0 already taken');
      const again = await runCli(['health', 'snapshot', '--date', '2026-05-04', '--format', 'json'], env);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toEqual({ taken: 0, skipped: 1 });
      const rows = await database.db.selectFrom('health_snapshots').select(['score', 'band']).execute();
      // Never listened to (10) and cadence red (10).
      expect(rows.map((r) => [Number(r.score), r.band])).toEqual([[80, 'healthy']]);
    });

    it('names a bad --date', async () => {
      const bad = await runCli(['health', 'snapshot', '--date', 'tomorrow'], cliEnv(database));
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('--date: must be a date as YYYY-MM-DD');
    });
  });
}
