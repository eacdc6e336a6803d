/**
 * Test support for the CLI: build it once, run `node bin/hearken.js …` as a person would, and
 * read whole databases back for comparison. Not part of the build (only tests import it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Kysely } from 'kysely';
import type { TestDatabase } from '../../test/support/dialects.js';
import type { Db } from '../db/connect.js';
import { BACKUP_TABLES } from './backup-format.js';

export const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = join(ROOT, 'dist', 'cli', 'main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      newest = entry.name === 'web' && dir.endsWith('src') ? newest : Math.max(newest, newestSource(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && entry.name !== 'testing.ts') {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `npm run build:server` unless dist is newer than every server source. Test files run in
 * parallel workers, so a lock directory makes the second one wait for the first one's build
 * instead of writing the same files at the same time.
 */
export async function ensureCliBuilt(): Promise<void> {
  const lock = join(tmpdir(), `hearken-cli-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than any build is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) {
        rmdirSync(lock);
      } else if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for another build to release ${lock}`);
      }
      await sleep(250);
    }
  }
  try {
    if (existsSync(ENTRY) && statSync(ENTRY).mtimeMs >= newestSource(join(ROOT, 'src'))) {
      return;
    }
    const built = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: ROOT, encoding: 'utf8' });
    if (built.status !== 0) {
      throw new Error(`npm run build:server failed:\n${built.stdout}${built.stderr}`);
    }
  } finally {
    rmdirSync(lock);
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with the given environment (and standard input), as a person at a terminal would. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'hearken.js'), ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

const temporaryDirectories: string[] = [];

/** A new, empty directory, removed by `removeTemporaryDirectories`. */
export function temporaryDirectory(purpose: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hearken-cli-${purpose}-`));
  temporaryDirectories.push(dir);
  return dir;
}

/** Removes every directory `temporaryDirectory` made (call it in afterAll). */
export function removeTemporaryDirectories(): void {
  for (const dir of temporaryDirectories.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The environment that points the CLI at a test database (and nowhere else). */
export function cliEnv(database: Pick<TestDatabase, 'file' | 'url'>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  if (database.file) {
    return { ...env, HEARKEN_DATA_DIR: dirname(database.file) };
  }
  if (!database.url) {
    throw new Error('A test database has either a file or a URL');
  }
  // The data directory still holds secrets.json on PostgreSQL.
  return { ...env, DATABASE_URL: database.url, HEARKEN_DATA_DIR: temporaryDirectory('data') };
}

/** An environment for a SQLite data directory that has no database yet. */
export function freshDataDirEnv(): { env: NodeJS.ProcessEnv; dataDir: string } {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const dataDir = temporaryDirectory('fresh');
  return { env: { ...env, HEARKEN_DATA_DIR: dataDir }, dataDir };
}

export type Dump = Record<string, Record<string, unknown>[]>;

/** Every row of every table, in key order: two databases with equal dumps hold the same data. */
export async function dumpDatabase(db: Db): Promise<Dump> {
  // biome-ignore lint/suspicious/noExplicitAny: the tables come from BACKUP_TABLES
  const anyDb = db as unknown as Kysely<any>;
  const dump: Dump = {};
  for (const t of BACKUP_TABLES) {
    let query = anyDb.selectFrom(t.name).selectAll();
    for (const column of t.key) {
      query = query.orderBy(column);
    }
    dump[t.name] = await query.execute();
  }
  return dump;
}

/** Row counts per table, from a dump. */
export function countsOf(dump: Dump): Record<string, number> {
  return Object.fromEntries(Object.entries(dump).map(([t, rows]) => [t, rows.length]));
}
