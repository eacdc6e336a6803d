import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase, type TestDialect } from '../../test/support/dialects.js';
import { createClient } from '../clients/clients.js';
import { ClientCreateBody } from '../clients/schemas.js';
import { type DbHandle, openPostgres, openSqlite } from '../db/connect.js';
import { MIGRATION_NAMES } from '../db/migrate.js';
import { actorOf, createSession, createToken } from '../firm/auth.js';
import { createUser, findUserByEmail } from '../firm/users.js';
import { createCalendarToken } from '../preferences/reports-due.js';
import { systemContext } from '../server/context.js';
import { readCatalogue, tablesInDatabase, writeBackup } from './backup.js';
import { BACKUP_TABLE_NAMES, BACKUP_TABLES } from './backup-format.js';
import { loadDemoFirm } from './demo.js';
import { demoUserEmail } from './demo-firm.js';
import {
  cliEnv,
  countsOf,
  type Dump,
  dumpDatabase,
  ensureCliBuilt,
  freshDataDirEnv,
  removeTemporaryDirectories,
  runCli,
  temporaryDirectory,
} from './testing.js';

const LATEST = MIGRATION_NAMES[MIGRATION_NAMES.length - 1];

const POLICY = { sessionIdleMinutes: 60, sessionMaxHours: 12, loginMaxFailures: 5, lockoutMinutes: 15 };

/** A firm with rows in every table: the demo firm, plus an API token and a signed-in session. */
async function populatedDatabase(dialect: TestDialect): Promise<TestDatabase> {
  const database = await createTestDatabase(dialect);
  await loadDemoFirm(database.db, { password: 'backup test password' });
  const partner = await findUserByEmail(database.db, demoUserEmail({ key: 'catherine.ashworth' }));
  if (!partner) {
    throw new Error('the demo firm has no Catherine Ashworth');
  }
  await createToken(systemContext(database.db, 'test'), { name: 'Reporting script', expiresInDays: 30 }, partner.id);
  await createSession(database.db, POLICY, partner, 'vitest');
  await createCalendarToken({ db: database.db, actor: actorOf(partner) });
  return database;
}

/** The lines of a backup file, decompressed. */
function readLines(file: string): string[] {
  return gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
}

function writeLines(file: string, lines: string[]): string {
  writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
  return file;
}

/** PostgreSQL's true/false as SQLite's 1/0, to compare a dump from each. */
function booleansAsIntegers(dump: Dump): Dump {
  return Object.fromEntries(
    Object.entries(dump).map(([t, rows]) => [
      t,
      rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v]))),
    ]),
  );
}

function expectNoLeftovers(dir: string) {
  expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
}

beforeAll(ensureCliBuilt, 180_000);
afterAll(removeTemporaryDirectories);

for (const dialect of DIALECTS) {
  describe(`${dialect}: hearken backup and restore`, () => {
    const dir = temporaryDirectory('backups');
    const backupFile = join(dir, 'firm.jsonl.gz');
    let source: TestDatabase;
    let sourceDump: Dump;
    let backupOutput: string;
    /** A database with data of its own, which failed restores must leave exactly as it is. */
    let bystander: TestDatabase;
    let bystanderDump: Dump;

    beforeAll(async () => {
      source = await populatedDatabase(dialect);
      sourceDump = await dumpDatabase(source.db);
      const result = await runCli(['backup', backupFile], cliEnv(source));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      backupOutput = result.stdout;

      bystander = await createTestDatabase(dialect);
      await createUser(systemContext(bystander.db, 'test'), { email: 'only@firm.test', name: 'Only User', title: null, office: null, role: 'admin' });
      await createClient(systemContext(bystander.db, 'test'), ClientCreateBody.parse({ name: 'Bystander Holdings', isKeyClient: true }));
      bystanderDump = await dumpDatabase(bystander.db);
    });
    afterAll(async () => {
      await source.drop();
      await bystander.drop();
    });

    it('should write every table to one owner-only file and print the counts', () => {
      for (const table of BACKUP_TABLE_NAMES) {
        expect(sourceDump[table]?.length, table).toBeGreaterThan(0);
        expect(backupOutput).toMatch(new RegExp(`^  ${table} +${sourceDump[table]?.length}$`, 'm'));
      }
      expect(statSync(backupFile).mode & 0o777).toBe(0o600);
      expectNoLeftovers(dir);
      const lines = readLines(backupFile);
      const header = JSON.parse(lines[0] ?? '');
      expect(header).toMatchObject({ format: 'hearken-backup', version: 1, schemaVersion: LATEST, dialect, tables: BACKUP_TABLE_NAMES });
      expect(JSON.parse(lines.at(-1) ?? '')).toEqual({ end: true, counts: countsOf(sourceDump) });
      expect(lines).toHaveLength(2 + Object.values(countsOf(sourceDump)).reduce((a, b) => a + b, 0));
    });

    it('should restore into a fresh database with every row of every table identical', async () => {
      const target = await createTestDatabase(dialect);
      try {
        const result = await runCli(['restore', backupFile], cliEnv(target));
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(new RegExp(`^Restored \\d+ rows from .* \\(taken .* from ${dialect}, schema ${LATEST}\\):\n`));
        expect(result.stdout).toMatch(new RegExp(`^  audit_log +${sourceDump.audit_log?.length}$`, 'm'));
        expect(await dumpDatabase(target.db)).toEqual(sourceDump);
      } finally {
        await target.drop();
      }
    });

    it('should refuse to restore over data without --force, and replace all of it with --force', async () => {
      const target = await createTestDatabase(dialect);
      try {
        await createClient(systemContext(target.db, 'test'), ClientCreateBody.parse({ name: 'Someone Else plc' }));
        const before = await dumpDatabase(target.db);
        const refused = await runCli(['restore', backupFile], cliEnv(target));
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/^hearken: the database already holds data \(1 clients, 1 audit_log\); .*pass --force/);
        expect(await dumpDatabase(target.db)).toEqual(before);

        const forced = await runCli(['restore', backupFile, '--force'], cliEnv(target));
        expect(forced.stderr).toBe('');
        expect(forced.code).toBe(0);
        expect(await dumpDatabase(target.db)).toEqual(sourceDump);
      } finally {
        await target.drop();
      }
    });

    const damaged: [string, () => string, RegExp][] = [
      [
        'a file that is not gzip',
        () => {
          writeFileSync(join(dir, 'plain.txt'), 'users,clients\n');
          return join(dir, 'plain.txt');
        },
        /is not a Hearken backup \(it is not gzip-compressed\)/,
      ],
      [
        'a gzip file of something else',
        () => writeLines(join(dir, 'foreign.gz'), ['{"hello":"world"}']),
        /is not a Hearken backup \(it has no backup header\)/,
      ],
      [
        'a backup cut short mid-stream',
        () => {
          const bytes = readFileSync(backupFile);
          writeFileSync(join(dir, 'cut.gz'), bytes.subarray(0, Math.floor(bytes.length * 0.8)));
          return join(dir, 'cut.gz');
        },
        /is damaged \(unexpected end of file\); nothing was restored/,
      ],
      [
        'a backup without its end marker',
        () => writeLines(join(dir, 'no-end.gz'), readLines(backupFile).slice(0, -1)),
        /is incomplete: its end marker is missing.*; nothing was restored/,
      ],
      [
        'a backup whose counts do not match its rows',
        () => {
          const lines = readLines(backupFile);
          const end = JSON.parse(lines.pop() ?? '');
          end.counts.matters += 1;
          return writeLines(join(dir, 'miscounted.gz'), [...lines, JSON.stringify(end)]);
        },
        /is damaged: it should hold \d+ row\(s\) of matters but holds \d+; nothing was restored/,
      ],
      [
        'a backup from a schema this build does not know',
        () => {
          const [first, ...rest] = readLines(backupFile);
          return writeLines(join(dir, 'future-schema.gz'), [JSON.stringify({ ...JSON.parse(first ?? ''), schemaVersion: '0999_from_the_future' }), ...rest]);
        },
        new RegExp(`has schema version 0999_from_the_future, which this build of Hearken does not know \\(it knows ${MIGRATION_NAMES.join(', ')}\\)`),
      ],
      [
        'a backup in a newer format',
        () => {
          const [first, ...rest] = readLines(backupFile);
          return writeLines(join(dir, 'future-format.gz'), [JSON.stringify({ ...JSON.parse(first ?? ''), version: 2 }), ...rest]);
        },
        /was written in backup format version 2, and this build of Hearken reads version 1/,
      ],
      [
        'a row with a column the database does not have (late in the file)',
        () => {
          const lines = readLines(backupFile);
          const at = lines.findIndex((l) => l.startsWith('{"table":"matters"'));
          const line = JSON.parse(lines[at] ?? '');
          line.row.shoe_size = 42;
          lines[at] = JSON.stringify(line);
          return writeLines(join(dir, 'extra-column.gz'), lines);
        },
        /does not fit this database: matters has no column shoe_size; nothing was restored/,
      ],
      [
        'a row the database rejects (a duplicate key)',
        () => {
          const lines = readLines(backupFile);
          const at = lines.findIndex((l) => l.startsWith('{"table":"contacts"'));
          lines.splice(at, 0, lines[at] ?? '');
          return writeLines(join(dir, 'duplicate.gz'), lines);
        },
        /the restore stopped at line \d+ of .* \(contacts\): .*(unique|UNIQUE).*; nothing was restored/,
      ],
      ['a file that does not exist', () => join(dir, 'missing.gz'), /missing\.gz does not exist/],
    ];

    it.each(damaged)('should refuse %s with a clear message and leave the database as it was', async (_label, makeFile, message) => {
      const file = makeFile();
      // --force, so that the restore gets as far as deleting: only the transaction keeps the data.
      const result = await runCli(['restore', file, '--force'], cliEnv(bystander));
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^hearken: [^\n]+\n$/);
      expect(result.stderr).toMatch(message);
      expect(await dumpDatabase(bystander.db)).toEqual(bystanderDump);
    });

    // A PostgreSQL database is created by its administrator, not by Hearken.
    if (dialect === 'sqlite') {
      it('should restore into a data directory that has no database yet, creating it', async () => {
        const { env, dataDir } = freshDataDirEnv();
        const result = await runCli(['restore', backupFile], env);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const restored = openSqlite(join(dataDir, 'hearken.db'));
        try {
          expect(await dumpDatabase(restored.db)).toEqual(sourceDump);
        } finally {
          await restored.close();
        }
      });
    }

    it('should refuse to back up a table it does not know about, leaving no file', async () => {
      const odd = await createTestDatabase(dialect);
      try {
        await sql`create table side_notes (id text primary key)`.execute(odd.db);
        const file = join(dir, 'odd.jsonl.gz');
        const result = await runCli(['backup', file], cliEnv(odd));
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(
          'hearken: the database has table(s) this build of Hearken does not back up: side_notes; use the Hearken version that created them\n',
        );
        expect(existsSync(file)).toBe(false);
        expectNoLeftovers(dir);
      } finally {
        await odd.drop();
      }
    });

    it('should refuse to write into a folder that does not exist', async () => {
      const result = await runCli(['backup', join(dir, 'no', 'such', 'folder.gz')], cliEnv(source));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^hearken: cannot write .*folder\.gz: the folder .* does not exist\n$/);
    });

    it('should read every row exactly once whatever the page size, composite keys included', async () => {
      const paged = join(dir, 'paged.jsonl.gz');
      await writeBackup(source, paged, { pageSize: 3 });
      expect(readLines(paged).slice(1)).toEqual(readLines(backupFile).slice(1));
    });

    it('should know every table of the migrated schema', async () => {
      const catalogue = await readCatalogue(source.db, source.dialect);
      expect(tablesInDatabase(catalogue).map((t) => t.name)).toEqual(BACKUP_TABLE_NAMES);
    });

    it('should take a consistent snapshot while another connection keeps writing', async () => {
      const database = await createTestDatabase(dialect);
      const writer: DbHandle = database.file ? openSqlite(database.file) : openPostgres(database.url ?? '', 2);
      try {
        for (let i = 0; i < 20; i++) {
          await createClient(systemContext(database.db, 'test'), ClientCreateBody.parse({ name: `Before ${i}` }));
        }
        let written = 0;
        let stop = false;
        const writing = (async () => {
          while (!stop) {
            await createClient(systemContext(writer.db, 'writer'), ClientCreateBody.parse({ name: `During ${written}` }));
            written += 1;
            // better-sqlite3 answers synchronously, so without this the loop would never let the backup (or a timer) run.
            await new Promise((resolve) => setImmediate(resolve));
          }
        })();
        while (written < 2) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const writtenBefore = written;
        // Two rows a page: the backup reads in many steps, and the writer commits between them.
        const file = join(dir, 'snapshot.jsonl.gz');
        const summary = await writeBackup(database, file, { pageSize: 2 });
        const writtenDuring = written - writtenBefore;
        stop = true;
        await writing;
        expect(writtenDuring).toBeGreaterThan(0);

        const lines = readLines(file).map((l) => JSON.parse(l));
        const clients = new Set(lines.filter((l) => l.table === 'clients').map((l) => l.row.id));
        const created = new Set(lines.filter((l) => l.table === 'audit_log' && l.row.action === 'client.create').map((l) => l.row.entity_id));
        // clients is read long before audit_log: only a snapshot makes the two agree.
        expect(created).toEqual(clients);
        expect(summary.counts.clients).toBe(clients.size);
        const now = await database.db
          .selectFrom('clients')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(now.n)).toBeGreaterThan(clients.size);
      } finally {
        await writer.close();
        await database.drop();
      }
    });
  });
}

describe.runIf(DIALECTS.includes('postgres'))('sqlite → postgres → sqlite', () => {
  it('should restore a SQLite backup into PostgreSQL and that one back into SQLite, with the same data', async () => {
    const dir = temporaryDirectory('cross');
    const source = await populatedDatabase('sqlite');
    const postgres = await createTestDatabase('postgres');
    const back = await createTestDatabase('sqlite');
    try {
      const sourceDump = await dumpDatabase(source.db);
      expect((await runCli(['backup', join(dir, 'from-sqlite.gz')], cliEnv(source))).code).toBe(0);

      const intoPostgres = await runCli(['restore', join(dir, 'from-sqlite.gz')], cliEnv(postgres));
      expect(intoPostgres.stderr).toBe('');
      expect(intoPostgres.code).toBe(0);
      const postgresDump = await dumpDatabase(postgres.db);
      expect(postgresDump.users?.[0]?.active).toBe(true);
      expect(booleansAsIntegers(postgresDump)).toEqual(sourceDump);

      expect((await runCli(['backup', join(dir, 'from-postgres.gz')], cliEnv(postgres))).code).toBe(0);
      const intoSqlite = await runCli(['restore', join(dir, 'from-postgres.gz')], cliEnv(back));
      expect(intoSqlite.stderr).toBe('');
      expect(intoSqlite.code).toBe(0);
      expect(await dumpDatabase(back.db)).toEqual(sourceDump);
      expect(BACKUP_TABLES.every((t) => (sourceDump[t.name]?.length ?? 0) > 0)).toBe(true);
    } finally {
      await source.drop();
      await postgres.drop();
      await back.drop();
    }
  });
});
