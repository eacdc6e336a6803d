import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { openSqlite } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { ClientStatus, MatterStatus, Role } from '../src/db/schema.js';
import { actorOf, createToken } from '../src/firm/auth.js';
import { createUser } from '../src/firm/users.js';
import { systemContext } from '../src/server/context.js';
import {
  COMPETITOR_FIRMS,
  CONTACT_ROLES,
  FIRST_NAMES,
  INDUSTRIES,
  JOB_TITLES,
  MATTER_TOPICS,
  NAME_ACTIVITIES,
  NAME_PREFIXES,
  NAME_SUFFIXES,
  OFFICES,
  PRACTICE_AREAS,
  STAFF_TITLES,
  SURNAMES,
} from './words.js';

/**
 * Bump when the generated data changes shape or distribution: cached databases are keyed by
 * it, so an old cache is never measured as if it were the new one.
 */
export const GENERATOR_VERSION = 1;

export interface FirmSize {
  users: number;
  clients: number;
  contacts: number;
  matters: number;
}

export const FULL_FIRM: FirmSize = { users: 5_000, clients: 20_000, contacts: 200_000, matters: 100_000 };
export const QUICK_FIRM: FirmSize = { users: 500, clients: 2_000, contacts: 20_000, matters: 10_000 };

/**
 * The schema the firm was generated against: a digest of the migration files. Part of the cache
 * key, so that a new migration gives a freshly generated firm instead of one migrated in place.
 */
function schemaFingerprint(): string {
  const dir = join(import.meta.dirname, '..', 'src', 'db', 'migrations');
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).sort()) {
    hash.update(file).update(readFileSync(join(dir, file)));
  }
  return hash.digest('hex').slice(0, 8);
}

/** What a benchmark run needs to know about a generated firm. Stored beside the database. */
export interface Dataset {
  version: number;
  schema: string;
  size: FirmSize;
  /** The cached database: copied for each run, never served or written to directly. */
  dbFile: string;
  generatedAt: string;
  generationMs: number;
  /** The benchmark user (a partner) and its API token; the token only ever opens this local file. */
  benchUser: { id: string; email: string };
  token: string;
  /** Rows actually written, per table. */
  rows: Record<string, number>;
  /** Client-name words whose search finds tens to hundreds of clients (scaled for the quick firm). */
  searchTerms: { term: string; hits: number }[];
  /** Clients the benchmark user may see, for the rotating detail requests. */
  detailIds: string[];
}

/** Deterministic PRNG (mulberry32): the same version and size give the same firm. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const chance = (p: number) => next() < p;
  /** Roughly log-normal, for skewed quantities (fees, contacts per client). */
  const skewed = (sigma: number) => Math.exp(sigma * (next() + next() + next() + next() - 2) * 1.7);
  const bytes = () => {
    const out = new Uint8Array(16);
    for (let i = 0; i < 16; i += 4) {
      const v = (next() * 4_294_967_296) >>> 0;
      out[i] = v & 0xff;
      out[i + 1] = (v >>> 8) & 0xff;
      out[i + 2] = (v >>> 16) & 0xff;
      out[i + 3] = (v >>> 24) & 0xff;
    }
    return out;
  };
  return { next, int, pick, chance, skewed, bytes };
}

type Rng = ReturnType<typeof rng>;

/** Ids are UUIDv7 stamped with the row's creation time, so sorting by id sorts by time, as in the app. */
function idAt(r: Rng, ms: number): string {
  return uuidv7({ msecs: ms, random: r.bytes() });
}

const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);
const DAY_MS = 86_400_000;

/** Generated users cannot sign in: a fixed string that no password verifies against (argon2 for 5,000 users would take minutes). */
const DUMMY_PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2gtZHVtbXktc2FsdA$bm90LWEtcmVhbC1oYXNoLWJlbmNoLW9ubHk';

function companyName(r: Rng): string {
  const roll = r.next();
  if (roll < 0.35) {
    return `${r.pick(NAME_PREFIXES)} ${r.pick(NAME_ACTIVITIES)} ${r.pick(NAME_SUFFIXES)}`;
  }
  if (roll < 0.6) {
    return `${r.pick(SURNAMES)} ${r.pick(NAME_ACTIVITIES)} ${r.pick(NAME_SUFFIXES)}`;
  }
  if (roll < 0.8) {
    return `${r.pick(SURNAMES)} & ${r.pick(SURNAMES)} ${r.pick(NAME_SUFFIXES)}`;
  }
  if (roll < 0.92) {
    return `${r.pick(NAME_PREFIXES)} ${r.pick(NAME_SUFFIXES)}`;
  }
  return `${r.pick(NAME_PREFIXES)} ${r.pick(NAME_ACTIVITIES)} (${r.pick(OFFICES)}) ${r.pick(NAME_SUFFIXES)}`;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function weighted<T>(r: Rng, table: readonly (readonly [T, number])[]): T {
  let roll = r.next() * table.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of table) {
    roll -= w;
    if (roll < 0) {
      return value;
    }
  }
  return (table[table.length - 1] as readonly [T, number])[0];
}

/** Splits `total` over `n` buckets in proportion to the weights, exactly. */
function apportion(r: Rng, total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const counts = weights.map((w) => Math.floor((total * w) / sum));
  let left = total - counts.reduce((s, c) => s + c, 0);
  while (left > 0) {
    const i = r.int(counts.length);
    counts[i] = (counts[i] ?? 0) + 1;
    left -= 1;
  }
  return counts;
}

const ROLE_MIX: readonly (readonly [Role, number])[] = [
  ['admin', 0.002],
  ['programme_lead', 0.004],
  ['management', 0.008],
  ['partner', 0.16],
  ['member', 0.776],
  ['external', 0.05],
];
const STATUS_MIX: readonly (readonly [ClientStatus, number])[] = [
  ['active', 0.7],
  ['prospect', 0.1],
  ['lapsed', 0.1],
  ['lost', 0.07],
  ['pitch_lost', 0.03],
];
const MATTER_MIX: readonly (readonly [MatterStatus, number])[] = [
  ['open', 0.5],
  ['on_hold', 0.05],
  ['closed', 0.45],
];

/**
 * Builds the firm. This is the one place where writing rows straight into SQLite instead of
 * through the services is right: the services would take many minutes (one transaction and
 * one audit row per write, argon2 per user) and measure nothing we care about here. The rows
 * follow the schema and the services' invariants (UUIDv7 ids in creation order, ISO times,
 * 0/1 booleans, JSON competitors, walled clients with listed members who include their team,
 * no external users on teams, parents created before their subsidiaries). The benchmark user
 * and its token go through the real services.
 */
async function generate(file: string, size: FirmSize): Promise<Omit<Dataset, 'schema' | 'dbFile' | 'generationMs'>> {
  const r = rng(0x4ea7 + GENERATOR_VERSION);
  const handle = openSqlite(file);
  const sqlite = handle.sqlite;
  if (!sqlite) {
    throw new Error('expected a SQLite handle');
  }
  try {
    await migrateToLatest(handle.db);
    // The file is rebuilt from scratch if anything fails, so durability is not needed while generating.
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -262144');

    const now = Date.now();
    const firmStart = now - 12 * 365 * DAY_MS;
    const rows: Record<string, number> = {};
    const count = (table: string, n = 1) => {
      rows[table] = (rows[table] ?? 0) + n;
    };

    // The benchmark user: a partner, created and given a token through the services.
    const benchEmail = 'bench.partner@hearken.bench';
    const { user: benchUser } = await createUser(systemContext(handle.db, 'bench'), {
      email: benchEmail,
      name: 'Bench Partner',
      title: 'Partner',
      office: 'London',
      role: 'partner',
      password: `bench-${r.int(1e9)}-${r.int(1e9)}`,
    });
    const benchRow = await handle.db.selectFrom('users').selectAll().where('id', '=', benchUser.id).executeTakeFirstOrThrow();
    const { token } = await createToken({ db: handle.db, actor: actorOf(benchRow) }, { name: 'benchmark' });
    count('users');

    // Users.
    const insertUser = sqlite.prepare(
      `insert into users (id, email, name, title, office, role, active, password_hash, failed_logins, locked_until, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, 0, null, ?, ?)`,
    );
    const partners: string[] = [benchUser.id];
    const internal: string[] = [benchUser.id];
    const userOffice = new Map<string, string>();
    const userTimes = Array.from({ length: size.users - 1 }, () => firmStart + r.next() * (now - firmStart - DAY_MS)).sort((a, b) => a - b);
    sqlite.transaction(() => {
      userTimes.forEach((ms, i) => {
        const role = weighted(r, ROLE_MIX);
        const first = r.pick(FIRST_NAMES);
        const last = r.pick(SURNAMES);
        const id = idAt(r, ms);
        const office = r.pick(OFFICES);
        const domain = role === 'external' ? 'reviewers.example' : 'firm.example';
        insertUser.run(
          id,
          `${first}.${last}.${i + 1}@${domain}`.toLowerCase(),
          `${first} ${last}`,
          r.pick(STAFF_TITLES[role] ?? ['Staff']),
          office,
          role,
          r.chance(0.97) ? 1 : 0,
          DUMMY_PASSWORD_HASH,
          iso(ms),
          iso(ms + r.next() * (now - ms)),
        );
        userOffice.set(id, office);
        if (role === 'partner') {
          partners.push(id);
        }
        if (role !== 'external') {
          internal.push(id);
        }
      });
    })();
    count('users', userTimes.length);

    // Practice groups and offices as teams; every internal user is in one of each.
    const insertTeam = sqlite.prepare('insert into teams (id, name, kind, description, created_at, updated_at) values (?, ?, ?, ?, ?, ?)');
    const insertTeamMember = sqlite.prepare('insert into team_members (team_id, user_id, created_at) values (?, ?, ?)');
    sqlite.transaction(() => {
      const groups = PRACTICE_AREAS.map((area) => {
        const id = idAt(r, firmStart);
        insertTeam.run(id, area, 'practice_group', `${area} practice group`, iso(firmStart), iso(firmStart));
        return id;
      });
      const offices = new Map(
        OFFICES.map((office) => {
          const id = idAt(r, firmStart);
          insertTeam.run(id, `${office} office`, 'office', null, iso(firmStart), iso(firmStart));
          return [office, id] as const;
        }),
      );
      count('teams', groups.length + offices.size);
      for (const userId of internal) {
        insertTeamMember.run(r.pick(groups), userId, iso(firmStart));
        insertTeamMember.run(offices.get(userOffice.get(userId) ?? 'London'), userId, iso(firmStart));
        count('team_members', 2);
      }
    })();

    // Clients, their relationship teams and walls.
    const insertClient = sqlite.prepare(
      `insert into clients (id, name, status, industry, annual_fees, is_key_client, parent_id, competitors, notes, walled, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTeamRow = sqlite.prepare('insert into client_team (client_id, user_id, team_role, created_at) values (?, ?, ?, ?)');
    const insertWallMember = sqlite.prepare('insert into client_wall_members (client_id, user_id, created_at) values (?, ?, ?)');
    const clientTimes = Array.from({ length: size.clients }, () => firmStart + r.next() * (now - firmStart - DAY_MS)).sort((a, b) => a - b);
    const clients: { id: string; created: number; key: boolean; walled: boolean; visible: boolean }[] = [];
    const benchTeamClients = Math.max(20, Math.round(size.clients / 250));
    sqlite.transaction(() => {
      for (const ms of clientTimes) {
        const id = idAt(r, ms);
        const key = r.chance(0.05);
        const walled = r.chance(0.03);
        const parent = clients.length > 50 && r.chance(0.08) ? r.pick(clients) : undefined;
        const competitors = Array.from({ length: r.int(4) }, () => r.pick(COMPETITOR_FIRMS));
        const fees = r.chance(0.12) ? null : Math.round(r.skewed(1) * (key ? 900_000 : 120_000));
        insertClient.run(
          id,
          companyName(r),
          weighted(r, STATUS_MIX),
          r.chance(0.9) ? r.pick(INDUSTRIES) : null,
          fees,
          key ? 1 : 0,
          parent?.id ?? null,
          JSON.stringify([...new Set(competitors)]),
          r.chance(0.3) ? `Relationship since ${new Date(ms).getUTCFullYear()}. ${r.pick(MATTER_TOPICS)} work is the core of it.` : null,
          walled ? 1 : 0,
          iso(ms),
          iso(ms + r.next() * (now - ms)),
        );
        // A team of 2–4: one or two relationship partners, the rest members; the benchmark
        // user sits on a few dozen teams, as a partner would.
        const team = new Map<string, 'relationship_partner' | 'member'>();
        const size2to4 = 2 + r.int(3);
        if (clients.length % Math.floor(size.clients / benchTeamClients) === 0) {
          team.set(benchUser.id, r.chance(0.5) ? 'relationship_partner' : 'member');
        }
        while (team.size < size2to4) {
          const hasPartner = [...team.values()].includes('relationship_partner');
          const partnerSlot = !hasPartner || (team.size === 1 && r.chance(0.25));
          const userId = partnerSlot ? r.pick(partners) : r.pick(internal);
          if (!team.has(userId)) {
            team.set(userId, partnerSlot ? 'relationship_partner' : 'member');
          }
        }
        for (const [userId, role] of team) {
          insertTeamRow.run(id, userId, role, iso(ms));
        }
        count('client_team', team.size);
        // A walled client lists its team plus a few others; the benchmark user is on a third of the walls.
        let onWall = false;
        if (walled) {
          const wall = new Set(team.keys());
          const extra = 1 + r.int(8);
          while (wall.size < team.size + extra) {
            wall.add(r.pick(internal));
          }
          if (r.chance(0.33)) {
            wall.add(benchUser.id);
          }
          onWall = wall.has(benchUser.id);
          for (const userId of wall) {
            insertWallMember.run(id, userId, iso(ms));
          }
          count('client_wall_members', wall.size);
        }
        clients.push({ id, created: ms, key, walled, visible: !walled || onWall });
      }
    })();
    count('clients', clients.length);

    // Contacts and matters, skewed: key clients and a long tail have many, most have a handful.
    const contactCounts = apportion(
      r,
      size.contacts,
      clients.map((c) => r.skewed(0.9) * (c.key ? 3 : 1)),
    );
    const matterCounts = apportion(
      r,
      size.matters,
      clients.map((c) => r.skewed(1) * (c.key ? 4 : 1)),
    );
    const insertContact = sqlite.prepare(
      `insert into contacts (id, client_id, name, preferred_name, role, job_title, email, phone, is_decision_maker, left_on, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertMatter = sqlite.prepare(
      `insert into matters (id, client_id, name, reference, practice_area, status, opened_on, closed_on, client_project_code, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let matterNo = 0;
    sqlite.transaction(() => {
      clients.forEach((c, ci) => {
        const domain = `client${ci + 1}.example`;
        for (let k = 0; k < (contactCounts[ci] ?? 0); k += 1) {
          const ms = c.created + r.next() * (now - c.created);
          const first = r.pick(FIRST_NAMES);
          const last = r.pick(SURNAMES);
          insertContact.run(
            idAt(r, ms),
            c.id,
            `${first} ${last}`,
            r.chance(0.1) ? first.slice(0, Math.max(3, first.length - 2)) : null,
            r.chance(0.6) ? r.pick(CONTACT_ROLES) : null,
            r.chance(0.8) ? r.pick(JOB_TITLES) : null,
            r.chance(0.9) ? `${slug(first)}.${slug(last)}.${k + 1}@${domain}` : null,
            r.chance(0.7) ? `+44 20 7${String(r.int(1_000_000)).padStart(6, '0')}` : null,
            r.chance(0.15) ? 1 : 0,
            r.chance(0.1) ? day(ms + r.next() * (now - ms)) : null,
            iso(ms),
            iso(ms + r.next() * (now - ms)),
          );
        }
        for (let k = 0; k < (matterCounts[ci] ?? 0); k += 1) {
          const ms = c.created + r.next() * (now - c.created);
          const status = weighted(r, MATTER_MIX);
          const area = r.pick(PRACTICE_AREAS);
          matterNo += 1;
          insertMatter.run(
            idAt(r, ms),
            c.id,
            `${area}: ${r.pick(MATTER_TOPICS)}`,
            `M-${String(matterNo).padStart(7, '0')}`,
            area,
            status,
            day(ms),
            status === 'closed' ? day(ms + r.next() * (now - ms)) : null,
            r.chance(0.2) ? `PO-${r.int(100_000)}` : null,
            iso(ms),
            iso(ms + r.next() * (now - ms)),
          );
        }
      });
    })();
    count('contacts', size.contacts);
    count('matters', size.matters);

    // Search terms: single words from the name vocabularies that hit tens to hundreds of
    // clients (a tenth of that on the quick firm), spread from the rarer to the commoner.
    const [lo, hi] = [Math.max(2, size.clients / 1000), size.clients / 50];
    const countLike = sqlite.prepare("select count(*) as n from clients where name like ? escape '\\'");
    const candidates = [...NAME_PREFIXES, ...SURNAMES, ...NAME_ACTIVITIES.filter((w) => !w.includes(' '))]
      .map((term) => ({ term, hits: (countLike.get(`%${term}%`) as { n: number }).n }))
      .filter((c) => c.hits >= lo && c.hits <= hi)
      .sort((a, b) => a.hits - b.hits || a.term.localeCompare(b.term));
    const searchTerms = Array.from({ length: Math.min(8, candidates.length) }, (_, i) => candidates[Math.floor((i * candidates.length) / 8)]).filter(
      (c): c is { term: string; hits: number } => c !== undefined,
    );

    // Detail ids: a fixed spread of clients the benchmark user can see, walled ones included.
    const visible = clients.filter((c) => c.visible);
    const detailIds = Array.from({ length: Math.min(500, visible.length) }, (_, i) => visible[Math.floor((i * visible.length) / 500)]?.id).filter(
      (id): id is string => id !== undefined,
    );

    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return {
      version: GENERATOR_VERSION,
      size,
      generatedAt: iso(now),
      benchUser: { id: benchUser.id, email: benchEmail },
      token,
      rows,
      searchTerms,
      detailIds,
    };
  } finally {
    await handle.close();
  }
}

/**
 * Returns the cached firm for this generator version, schema and size, generating it first when
 * it is missing or `force` is set. The firm is built in a scratch folder and renamed into place,
 * so an interrupted run never leaves a half-built cache behind; caches for older versions or
 * schemas of the same size are removed.
 */
export async function prepareDataset(cacheRoot: string, label: string, size: FirmSize, force: boolean): Promise<{ dataset: Dataset; fromCache: boolean }> {
  const schema = schemaFingerprint();
  const name = `firm-v${GENERATOR_VERSION}-${label}-${schema}`;
  const dataDir = join(cacheRoot, name);
  const metaFile = join(dataDir, 'dataset.meta');
  if (!force && existsSync(metaFile) && existsSync(join(dataDir, 'hearken.db'))) {
    const dataset = JSON.parse(readFileSync(metaFile, 'utf8')) as Dataset;
    if (dataset.version === GENERATOR_VERSION && dataset.schema === schema) {
      return { dataset: { ...dataset, dbFile: join(dataDir, 'hearken.db') }, fromCache: true };
    }
  }
  mkdirSync(cacheRoot, { recursive: true });
  for (const old of readdirSync(cacheRoot)) {
    if (old.startsWith('firm-') && old.includes(`-${label}-`) && old !== name) {
      rmSync(join(cacheRoot, old), { recursive: true, force: true });
    }
  }
  const scratch = join(cacheRoot, `.building-${label}-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const started = performance.now();
  try {
    const generated = await generate(join(scratch, 'hearken.db'), size);
    const dataset: Dataset = { ...generated, schema, dbFile: join(dataDir, 'hearken.db'), generationMs: Math.round(performance.now() - started) };
    writeFileSync(join(scratch, 'dataset.meta'), `${JSON.stringify(dataset, null, 2)}\n`);
    rmSync(dataDir, { recursive: true, force: true });
    renameSync(scratch, dataDir);
    return { dataset, fromCache: false };
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
}
