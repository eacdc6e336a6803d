import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { type DbHandle, openSqlite } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { ClientStatus, Confidentiality, MatterStatus, Role, SessionFormat, SessionStatus } from '../src/db/schema.js';
import { actorOf, createToken } from '../src/firm/auth.js';
import { createUser } from '../src/firm/users.js';
import { rebuildSearchIndex } from '../src/search/indexer.js';
import { systemContext } from '../src/server/context.js';
import { type FeedbackSize, generateFeedback, type HeldSession } from './feedback.js';
import {
  ANSWER_DETAILS,
  ANSWER_LEADS,
  CANCEL_REASONS,
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
  REMARK_OPENERS,
  REMARK_SUBJECTS,
  REMARK_THEMES,
  REMARK_VERDICTS,
  SESSION_AGENDAS,
  SESSION_EXPECTATIONS,
  SESSION_OBJECTIVES,
  STAFF_TITLES,
  SURNAMES,
  VIDEO_PLATFORMS,
} from './words.js';

/**
 * Bump when the generated data changes shape or distribution: cached databases are keyed by
 * it, so an old cache is never measured as if it were the new one.
 */
export const GENERATOR_VERSION = 4;

export interface FirmSize {
  users: number;
  clients: number;
  contacts: number;
  matters: number;
  /** Listening sessions over the three yearly programmes. */
  sessions: number;
  /** Rows of session_scores to aim for: the generated firm scores extra dimensions to reach it. */
  scores: number;
  /** The feedback loop: insights, actions, check-ins, problems, referrals (bench/feedback.ts). */
  feedback: FeedbackSize;
}

export const FULL_FIRM: FirmSize = {
  users: 5_000,
  clients: 20_000,
  contacts: 200_000,
  matters: 100_000,
  sessions: 50_000,
  scores: 1_000_000,
  feedback: { insights: 500_000, actions: 300_000, checkIns: 120_000, problems: 25_000, referrals: 6_000 },
};
export const QUICK_FIRM: FirmSize = {
  users: 500,
  clients: 2_000,
  contacts: 20_000,
  matters: 10_000,
  sessions: 5_000,
  scores: 100_000,
  feedback: { insights: 50_000, actions: 30_000, checkIns: 12_000, problems: 2_500, referrals: 600 },
};

/**
 * Score dimensions the generated firm adds to the five seeded by migration 0002, so that held,
 * scored sessions carry about 25 dimension scores each (a long client questionnaire).
 */
const EXTRA_DIMENSIONS = [
  ['timeliness', 'Meeting deadlines'],
  ['proactivity', 'Proactivity'],
  ['commercial_awareness', 'Commercial awareness'],
  ['fee_predictability', 'Fee predictability'],
  ['billing_clarity', 'Clarity of invoices'],
  ['team_continuity', 'Team continuity'],
  ['partner_availability', 'Partner availability'],
  ['quality_of_advice', 'Quality of advice'],
  ['sector_knowledge', 'Sector knowledge'],
  ['clarity_of_advice', 'Clarity of advice'],
  ['project_management', 'Project management'],
  ['budget_control', 'Keeping to budget'],
  ['reporting', 'Reporting'],
  ['technology', 'Technology and portals'],
  ['innovation', 'Innovation'],
  ['diversity', 'Diversity of the team'],
  ['ease_of_working', 'Ease of working with us'],
  ['risk_management', 'Risk management'],
  ['cross_border', 'Cross-border coordination'],
  ['training', 'Training and know-how sharing'],
  ['secondments', 'Secondments'],
  ['overall_value', 'Overall value of the relationship'],
] as const;

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
  /** A programme lead and its token: reads every session (walls aside) and every remark. */
  benchLead: { id: string; email: string };
  leadToken: string;
  /** A management user (firm-wide reader) and its token, for the analytics scenarios. */
  benchManager: { id: string; email: string };
  managerToken: string;
  /** The current (active) programme, for the participation scenario. */
  currentProgrammeId: string;
  /** Active key clients with 30 days of health history, for the client-health scenario. */
  healthClientIds: string[];
  /** Active score dimensions (5 seeded, the rest added by the generator). */
  scoreDimensions: number;
  /** Of the generation time, the full-text index rebuild (rebuildSearchIndex). */
  searchIndexMs: number;
  /** Rows actually written, per table. */
  rows: Record<string, number>;
  /** Client-name words whose search finds tens to hundreds of clients (scaled for the quick firm). */
  searchTerms: { term: string; hits: number }[];
  /** Clients the benchmark user may see, for the rotating detail requests. */
  detailIds: string[];
  /**
   * Held sessions the benchmark partner reads through the client's relationship team, each with
   * remarks the partner may read (and, on most, programme-only ones the partner may not).
   */
  sessionDetailIds: string[];
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

export type Rng = ReturnType<typeof rng>;

/** Ids are UUIDv7 stamped with the row's creation time, so sorting by id sorts by time, as in the app. */
export function idAt(r: Rng, ms: number): string {
  return uuidv7({ msecs: ms, random: r.bytes() });
}

export const iso = (ms: number) => new Date(ms).toISOString();
export const day = (ms: number) => iso(ms).slice(0, 10);
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

export function weighted<T>(r: Rng, table: readonly (readonly [T, number])[]): T {
  let roll = r.next() * table.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of table) {
    roll -= w;
    if (roll < 0) {
      return value;
    }
  }
  return (table[table.length - 1] as readonly [T, number])[0];
}

/** A shuffled copy (Fisher–Yates). */
function shuffled<T>(r: Rng, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = r.int(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Splits `total` over `n` buckets in proportion to the weights, exactly. */
export function apportion(r: Rng, total: number, weights: number[]): number[] {
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

export interface GeneratedClient {
  id: string;
  name: string;
  created: number;
  /** How the client feels about the firm: −3 (unhappy) … +1 (delighted); lost and lapsed clients lower. Shifts NPS and what is heard. */
  mood: number;
  /** When a lapsed, lost or pitch-lost client reached that status; undefined for the others. */
  leftMs: number | undefined;
  fees: number | null;
  key: boolean;
  walled: boolean;
  /** Whether the benchmark user may see it (not walled, or listed on the wall). */
  visible: boolean;
  status: ClientStatus;
  team: Map<string, 'relationship_partner' | 'member'>;
  wall: Set<string> | undefined;
  contacts: { id: string; created: number; decisionMaker: boolean }[];
}

/** The default guide's first version, seeded by migration 0002: every generated session keeps it. */
const DEFAULT_GUIDE_VERSION_ID = '019a0000-0000-7000-8000-000000000002';

/** Who listens to which clients: key clients more often, and at-risk clients (lapsed, lost) more than prospects. */
const LISTENING_WEIGHT: Record<ClientStatus, number> = { active: 1, prospect: 0.3, lapsed: 0.8, lost: 0.6, pitch_lost: 0.5 };
const INTERVIEWER_MIX = [
  ['programme_lead', 0.4],
  ['partner', 0.45],
  ['external', 0.15],
] as const;
const FORMAT_MIX: readonly (readonly [SessionFormat, number])[] = [
  ['in_person', 0.45],
  ['video', 0.4],
  ['phone', 0.15],
];
const CONFIDENTIALITY_MIX: readonly (readonly [Confidentiality, number])[] = [
  ['attributable', 0.5],
  ['non_attributable', 0.3],
  ['programme_only', 0.2],
];
/** Net promoter answers lean positive, with a tail of detractors. */
const NPS_MIX: readonly (readonly [number, number])[] = [
  [10, 0.12],
  [9, 0.2],
  [8, 0.22],
  [7, 0.16],
  [6, 0.1],
  [5, 0.07],
  [4, 0.05],
  [3, 0.04],
  [2, 0.02],
  [1, 0.01],
  [0, 0.01],
];
const SHARE_CHANNELS = ['email', 'meeting', 'letter', 'portal', 'other'] as const;
const HOUR_MS = 3_600_000;

interface ListeningInput {
  now: number;
  sessions: number;
  clients: GeneratedClient[];
  interviewers: { programme_lead: string[]; partner: string[]; external: string[] };
  inactive: Set<string>;
  benchUserId: string;
  benchLeadId: string;
  /** session_scores rows to aim for: the five standard dimensions are always answered, the extra ones as often as that needs. */
  scores: number;
  count: (table: string, n?: number) => void;
}

interface ListeningOutput {
  sessionDetailIds: string[];
  held: HeldSession[];
  programmes: { id: string; year: number; created: number; status: 'active' | 'closed'; clients: Set<GeneratedClient> }[];
}

/**
 * The listening programme, at a large firm's scale: one programme a year for the last three
 * years (the current one active), and sessions spread over the clients, key and at-risk clients
 * more often. Past sessions were mostly held (completed, then summary drafted, reviewed and
 * shared), some cancelled; this year's future ones are planned or scheduled. Held sessions carry
 * notes on about six guide questions, scores, and about four remarks of mixed confidentiality
 * spoken by the session's stakeholders. Interviewers are active programme leads, partners and
 * external reviewers who are not on the client's relationship team (independence), and on the
 * wall of a walled client; attendees come from the client's team.
 */
function generateListening(sqlite: NonNullable<DbHandle['sqlite']>, r: Rng, input: ListeningInput): ListeningOutput {
  const { now, clients, interviewers, inactive, benchUserId, benchLeadId, count } = input;
  const guide = sqlite.prepare('select sections from guide_versions where id = ?').get(DEFAULT_GUIDE_VERSION_ID) as { sections: string } | undefined;
  if (!guide) {
    throw new Error(`the default guide version ${DEFAULT_GUIDE_VERSION_ID} is not seeded`);
  }
  const questionKeys = (JSON.parse(guide.sections) as { questions: { key: string }[] }[]).flatMap((s) => s.questions.map((q) => q.key));
  const dimensions = (sqlite.prepare('select key from score_dimensions where active = 1 order by position').all() as { key: string }[]).map((d) => d.key);
  const standard = dimensions.slice(0, 5);
  const extra = dimensions.slice(5);
  // The extra dimensions are answered as often as it takes to reach the target number of scores,
  // re-estimated as the sessions are drawn (later programmes have more sessions still to come).
  let scoreRows = 0;
  let scoredSessions = 0;
  let drawnSessions = 0;
  const leads = interviewers.programme_lead.length > 0 ? interviewers.programme_lead : [benchLeadId];
  const fill = (text: string) => text.replaceAll('{topic}', r.pick(MATTER_TOPICS));

  const insertProgramme = sqlite.prepare(
    `insert into programmes (id, name, description, starts_on, ends_on, owner_id, status, target_sessions, target_key_client_share, target_at_risk_share, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertSession = sqlite.prepare(
    `insert into listening_sessions (id, client_id, programme_id, nomination_id, status, objective, expectations, agenda, interviewer_id,
       independence_override_reason, independence_override_by, format, location, video_platform, video_link, starts_at, duration_minutes,
       guide_version_id, ics_sequence, cancel_reason, nps, satisfaction, completed_at, summary, summary_version, summary_reviewed_by,
       summary_reviewed_at, summary_shared_on, summary_shared_channel, created_by, created_at, updated_at)
     values (?, ?, ?, null, ?, ?, ?, ?, ?, null, null, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertSessionContact = sqlite.prepare('insert into session_contacts (session_id, contact_id) values (?, ?)');
  const insertAttendee = sqlite.prepare('insert into session_attendees (session_id, user_id) values (?, ?)');
  const insertAnswer = sqlite.prepare(
    'insert into session_answers (session_id, question_key, notes, version, updated_by, updated_at) values (?, ?, ?, ?, ?, ?)',
  );
  const insertScore = sqlite.prepare('insert into session_scores (session_id, dimension, score) values (?, ?, ?)');
  const insertRemark = sqlite.prepare(
    `insert into session_remarks (id, session_id, speaker_contact_id, text, theme, confidentiality, version, created_by, updated_by, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  // Clients drawn by weight (cumulative weights, binary search).
  const cumulative = new Float64Array(clients.length);
  let total = 0;
  clients.forEach((c, i) => {
    total += LISTENING_WEIGHT[c.status] * (c.key ? 4 : 1) * (c.contacts.length > 0 ? 1 : 0);
    cumulative[i] = total;
  });
  const drawClient = (): GeneratedClient => {
    const x = r.next() * total;
    let lo = 0;
    let hi = clients.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return clients[lo] as GeneratedClient;
  };
  /** An independent interviewer for the client: not on its team, on its wall if walled, active. */
  const pickInterviewer = (c: GeneratedClient): string | undefined => {
    if (c.wall) {
      const eligible = [...c.wall].filter((u) => !c.team.has(u) && !inactive.has(u));
      return eligible.length > 0 ? r.pick(eligible) : undefined;
    }
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const role = weighted(r, INTERVIEWER_MIX);
      const pool = role === 'programme_lead' ? leads : interviewers[role];
      const candidate = pool.length > 0 ? r.pick(pool) : undefined;
      if (candidate && !c.team.has(candidate)) {
        return candidate;
      }
    }
    return undefined;
  };

  const year = new Date(now).getUTCFullYear();
  const programmes = [year - 2, year - 1, year].map((y, k) => ({
    id: idAt(r, Date.UTC(y - 1, 10, 15)),
    year: y,
    created: Date.UTC(y - 1, 10, 15),
    sessions: Math.round(input.sessions * ([0.3, 0.33, 0.37][k] ?? 0)),
  }));
  const lastProgramme = programmes[programmes.length - 1];
  if (lastProgramme) {
    lastProgramme.sessions = input.sessions - programmes.slice(0, -1).reduce((s, p) => s + p.sessions, 0);
  }

  const sessionDetailIds: string[] = [];
  const heldSessions: HeldSession[] = [];
  const heardIn = programmes.map(() => new Set<GeneratedClient>());
  sqlite.transaction(() => {
    for (const [programmeIndex, p] of programmes.entries()) {
      insertProgramme.run(
        p.id,
        `Client listening ${p.year}`,
        `The firm’s client listening programme for ${p.year}: key clients first, and every client we are at risk of losing.`,
        `${p.year}-01-01`,
        `${p.year}-12-31`,
        benchLeadId,
        p.year < year ? 'closed' : 'active',
        Math.round(p.sessions * 1.1),
        0.6,
        0.15,
        iso(p.created),
        iso(p.year < year ? Date.UTC(p.year + 1, 0, 20) : p.created + 30 * DAY_MS),
      );
      count('programmes');
      const windowStart = Date.UTC(p.year, 0, 10);
      const windowEnd = Date.UTC(p.year, 11, 15);
      let made = 0;
      while (made < p.sessions) {
        // When: a weekday morning or afternoon slot in the programme's year.
        const dayMs = windowStart + Math.floor(r.next() * ((windowEnd - windowStart) / DAY_MS)) * DAY_MS;
        const startMs = dayMs + (8 + r.int(9)) * HOUR_MS + (r.chance(0.5) ? HOUR_MS / 2 : 0);
        const c = drawClient();
        // The client existed and had a contact to talk to a month before the session.
        const contacts = c.contacts.filter((k) => k.created < Math.min(startMs, now) - 30 * DAY_MS);
        if (c.created > startMs - 30 * DAY_MS || contacts.length === 0) {
          continue;
        }
        const interviewerId = pickInterviewer(c);
        if (!interviewerId) {
          continue;
        }
        made += 1;
        drawnSessions += 1;
        const past = startMs < now - DAY_MS;
        const ageDays = (now - startMs) / DAY_MS;
        let status: SessionStatus;
        if (past) {
          status = r.chance(0.08)
            ? 'cancelled'
            : ageDays < 14
              ? weighted(r, [
                  ['completed', 0.6],
                  ['summary_drafted', 0.3],
                  ['summary_reviewed', 0.1],
                ] as const)
              : ageDays < 60
                ? weighted(r, [
                    ['completed', 0.2],
                    ['summary_drafted', 0.25],
                    ['summary_reviewed', 0.2],
                    ['summary_shared', 0.35],
                  ] as const)
                : weighted(r, [
                    ['completed', 0.13],
                    ['summary_drafted', 0.07],
                    ['summary_reviewed', 0.08],
                    ['summary_shared', 0.72],
                  ] as const);
        } else {
          status = r.chance(0.03) ? 'cancelled' : startMs < now + 60 * DAY_MS && r.chance(0.7) ? 'scheduled' : 'planned';
        }
        const held = status !== 'planned' && status !== 'scheduled' && status !== 'cancelled';
        const dated = status !== 'planned' || r.chance(0.6);
        const durationMinutes = weighted(r, [
          [45, 0.2],
          [60, 0.6],
          [90, 0.2],
        ] as const);
        const createdMs = dated ? Math.min(now - HOUR_MS, startMs - (14 + r.int(50)) * DAY_MS) : now - r.next() * 30 * DAY_MS;
        // Planned after the programme opened: sessions early in the year were planned in its first weeks.
        const createdAtMs = createdMs >= p.created ? createdMs : p.created + r.next() * Math.max(0, Math.min(startMs, now) - p.created) * 0.5;
        const id = idAt(r, createdAtMs);
        const format = weighted(r, FORMAT_MIX);
        const platform = format === 'video' ? r.pick(VIDEO_PLATFORMS) : null;
        const createdBy = r.chance(0.6) ? r.pick(leads) : ([...c.team].find(([, role]) => role === 'relationship_partner')?.[0] ?? r.pick(leads));

        // Stakeholders: one to three of the client's contacts.
        const stakeholders = new Set<string>();
        const wanted = Math.min(
          contacts.length,
          1 +
            weighted(r, [
              [0, 0.5],
              [1, 0.35],
              [2, 0.15],
            ] as const),
        );
        while (stakeholders.size < wanted) {
          stakeholders.add(r.pick(contacts).id);
        }
        const speakers = [...stakeholders];
        // Firm attendees: often the relationship partner, sometimes someone else from the team.
        const attendees = new Set<string>();
        for (const [userId, role] of c.team) {
          if (userId !== interviewerId && !inactive.has(userId) && r.chance(role === 'relationship_partner' ? 0.4 : 0.1)) {
            attendees.add(userId);
          }
        }

        // What happened: completion, capture, scores, summary.
        const endMs = startMs + durationMinutes * 60_000;
        const completedMs = held ? Math.min(now - HOUR_MS, endMs + r.next() * 2 * DAY_MS) : null;
        let updatedMs = completedMs ?? (status === 'cancelled' ? Math.min(now - HOUR_MS, startMs - r.next() * 10 * DAY_MS) : createdMs);
        let nps: number | null = null;
        let satisfaction: number | null = null;
        let summary: string | null = null;
        let summaryVersion = 0;
        let reviewedBy: string | null = null;
        let reviewedMs: number | null = null;
        let sharedOn: string | null = null;
        let sharedChannel: string | null = null;
        const shareable: { theme: string; text: string }[] = [];
        let readableRemarks = 0;
        /** Capture rows, written once the session row exists. */
        const children: (() => void)[] = [];
        if (held && completedMs !== null) {
          const answered = shuffled(r, questionKeys).slice(0, 5 + r.int(3));
          for (const key of answered) {
            const version = r.chance(0.3) ? 2 : 1;
            const row = [
              id,
              key,
              fill(`${r.pick(ANSWER_LEADS)} ${r.pick(ANSWER_DETAILS)}${r.chance(0.5) ? ` ${r.pick(ANSWER_DETAILS)}` : ''}`),
              version,
              interviewerId,
              iso(Math.min(completedMs, endMs - r.next() * durationMinutes * 60_000 + (version - 1) * HOUR_MS)),
            ];
            children.push(() => insertAnswer.run(...row));
          }
          count('session_answers', answered.length);
          if (r.chance(0.92)) {
            // Unhappy clients answer lower; the answer mix itself leans positive.
            nps = Math.max(0, Math.min(10, weighted(r, NPS_MIX) + Math.round(c.mood)));
            satisfaction = Math.max(1, Math.min(10, nps + r.int(3) - 1));
            scoredSessions += 1;
            const remainingScored = (input.sessions - drawnSessions) * (scoredSessions / drawnSessions);
            const extraChance =
              extra.length === 0
                ? 0
                : Math.max(0, Math.min(1, (input.scores - scoreRows - standard.length * (remainingScored + 1)) / ((remainingScored + 1) * extra.length)));
            const answered = [...standard, ...extra.filter(() => r.chance(extraChance))];
            for (const d of answered) {
              const score = Math.max(1, Math.min(5, Math.round(nps / 2) + r.int(3) - 1));
              children.push(() => insertScore.run(id, d, score));
            }
            scoreRows += answered.length;
            count('session_scores', answered.length);
          }
          const remarks = 2 + r.int(5);
          const heldRemarks: HeldSession['remarks'] = [];
          for (let k = 0; k < remarks; k += 1) {
            const createdAt = startMs + r.next() * durationMinutes * 60_000;
            const confidentiality = weighted(r, CONFIDENTIALITY_MIX);
            const theme = r.chance(0.9) ? r.pick(REMARK_THEMES) : null;
            const text = fill(`${r.pick(REMARK_OPENERS)} ${r.pick(REMARK_SUBJECTS)} ${r.pick(REMARK_VERDICTS)}`);
            const edited = r.chance(0.2);
            const updatedAt = edited ? Math.min(completedMs, createdAt + r.next() * DAY_MS) : createdAt;
            const remarkId = idAt(r, createdAt);
            const speaker = r.chance(0.9) ? r.pick(speakers) : null;
            heldRemarks.push({ id: remarkId, confidentiality, speaker: speaker ?? null, text });
            const row = [remarkId, id, speaker, text, theme, confidentiality, edited ? 2 : 1, interviewerId, interviewerId, iso(createdAt), iso(updatedAt)];
            children.push(() => insertRemark.run(...row));
            if (confidentiality !== 'programme_only') {
              readableRemarks += 1;
              shareable.push({ theme: theme ?? 'general', text });
            }
          }
          count('session_remarks', remarks);
          heldSessions.push({ id, client: c, programmeIndex, completedMs, nps, interviewerId, remarks: heldRemarks });
          heardIn[programmeIndex]?.add(c);
          if (status !== 'completed') {
            const themes = [...new Set(shareable.map((s) => s.theme))];
            summary = JSON.stringify({
              thanks: 'Thank you for your time and your candour. This note records what we heard and what we will do about it.',
              heard: themes.map((theme) => ({ theme, points: shareable.filter((s) => s.theme === theme).map((s) => s.text) })),
              willDo: ['Send a one-page status with the decision points first, every Friday.', 'Agree fee estimates before new work starts.'],
              nextSteps: ['Relationship partner to follow up within a month.', 'Review progress at next year’s session.'],
            });
            summaryVersion = 1 + r.int(3);
            updatedMs = Math.min(now - HOUR_MS, completedMs + (1 + r.next() * 5) * DAY_MS);
          }
          if (status === 'summary_reviewed' || status === 'summary_shared') {
            reviewedBy = r.pick(leads);
            reviewedMs = Math.min(now - HOUR_MS, updatedMs + (1 + r.next() * 10) * DAY_MS);
            updatedMs = reviewedMs;
          }
          if (status === 'summary_shared' && reviewedMs !== null) {
            const sharedMs = Math.min(now - HOUR_MS, reviewedMs + r.next() * 10 * DAY_MS);
            sharedOn = day(sharedMs);
            sharedChannel = r.pick(SHARE_CHANNELS);
            updatedMs = sharedMs;
          }
        }

        insertSession.run(
          id,
          c.id,
          p.id,
          status,
          fill(r.pick(SESSION_OBJECTIVES)),
          r.chance(0.8) ? r.pick(SESSION_EXPECTATIONS) : null,
          r.chance(0.5) ? fill(r.pick(SESSION_AGENDAS)) : null,
          interviewerId,
          format,
          format === 'in_person' ? (r.chance(0.5) ? 'At the client’s offices' : `${r.pick(OFFICES)} office, meeting room ${1 + r.int(12)}`) : null,
          platform,
          platform === 'Microsoft Teams' || platform === 'Zoom' ? `https://meet.example/${id.slice(-12)}` : null,
          dated ? iso(startMs) : null,
          durationMinutes,
          DEFAULT_GUIDE_VERSION_ID,
          dated ? r.int(3) : 0,
          status === 'cancelled' ? r.pick(CANCEL_REASONS) : null,
          nps,
          satisfaction,
          completedMs === null ? null : iso(completedMs),
          summary,
          summaryVersion,
          reviewedBy,
          reviewedMs === null ? null : iso(reviewedMs),
          sharedOn,
          sharedChannel,
          createdBy,
          iso(createdAtMs),
          iso(Math.max(createdAtMs, updatedMs)),
        );
        for (const contactId of stakeholders) {
          insertSessionContact.run(id, contactId);
        }
        for (const write of children) {
          write();
        }
        for (const userId of attendees) {
          insertAttendee.run(id, userId);
        }
        count('listening_sessions');
        count('session_contacts', stakeholders.size);
        count('session_attendees', attendees.size);
        if (held && readableRemarks > 0 && c.team.has(benchUserId)) {
          sessionDetailIds.push(id);
        }
      }
    }
  })();
  return {
    sessionDetailIds,
    held: heldSessions,
    programmes: programmes.map((p, k) => ({
      id: p.id,
      year: p.year,
      created: p.created,
      status: p.year < year ? ('closed' as const) : ('active' as const),
      clients: heardIn[k] ?? new Set(),
    })),
  };
}

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
    // No rollback journal either: nothing below rolls back (a failure throws the file away), and
    // a 2 GB firm would otherwise go through the WAL twice.
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('journal_mode = OFF');
    sqlite.pragma('cache_size = -1048576');

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
    // A programme lead for the listening scenarios: reads every session and every remark.
    const leadEmail = 'bench.lead@hearken.bench';
    const { user: benchLead } = await createUser(systemContext(handle.db, 'bench'), {
      email: leadEmail,
      name: 'Bench Lead',
      title: 'Client Listening Lead',
      office: 'London',
      role: 'programme_lead',
      password: `bench-${r.int(1e9)}-${r.int(1e9)}`,
    });
    const leadRow = await handle.db.selectFrom('users').selectAll().where('id', '=', benchLead.id).executeTakeFirstOrThrow();
    const { token: leadToken } = await createToken({ db: handle.db, actor: actorOf(leadRow) }, { name: 'benchmark' });
    count('users');
    // Firm management for the analytics scenarios: reads every figure firm-wide (walls aside).
    const managerEmail = 'bench.management@hearken.bench';
    const { user: benchManager } = await createUser(systemContext(handle.db, 'bench'), {
      email: managerEmail,
      name: 'Bench Management',
      title: 'Managing Partner',
      office: 'London',
      role: 'management',
      password: `bench-${r.int(1e9)}-${r.int(1e9)}`,
    });
    const managerRow = await handle.db.selectFrom('users').selectAll().where('id', '=', benchManager.id).executeTakeFirstOrThrow();
    const { token: managerToken } = await createToken({ db: handle.db, actor: actorOf(managerRow) }, { name: 'benchmark' });
    count('users');

    // Users.
    const insertUser = sqlite.prepare(
      `insert into users (id, email, name, title, office, role, active, password_hash, failed_logins, locked_until, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, 0, null, ?, ?)`,
    );
    const partners: string[] = [benchUser.id];
    const internal: string[] = [benchUser.id];
    const userOffice = new Map<string, string>();
    /** Who may run a listening session: active programme leads, partners and external reviewers. */
    const interviewers = { programme_lead: [] as string[], partner: [benchUser.id], external: [] as string[] };
    const inactive = new Set<string>();
    const userTimes = Array.from({ length: size.users - 1 }, () => firmStart + r.next() * (now - firmStart - DAY_MS)).sort((a, b) => a - b);
    sqlite.transaction(() => {
      userTimes.forEach((ms, i) => {
        const role = weighted(r, ROLE_MIX);
        const first = r.pick(FIRST_NAMES);
        const last = r.pick(SURNAMES);
        const id = idAt(r, ms);
        const office = r.pick(OFFICES);
        const domain = role === 'external' ? 'reviewers.example' : 'firm.example';
        const active = r.chance(0.97);
        insertUser.run(
          id,
          `${first}.${last}.${i + 1}@${domain}`.toLowerCase(),
          `${first} ${last}`,
          r.pick(STAFF_TITLES[role] ?? ['Staff']),
          office,
          role,
          active ? 1 : 0,
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
        if (!active) {
          inactive.add(id);
        } else if (role === 'programme_lead' || role === 'partner' || role === 'external') {
          interviewers[role].push(id);
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
    const clients: GeneratedClient[] = [];
    const benchTeamClients = Math.max(20, Math.round(size.clients / 250));
    sqlite.transaction(() => {
      for (const ms of clientTimes) {
        const id = idAt(r, ms);
        const key = r.chance(0.05);
        const walled = r.chance(0.03);
        const status = weighted(r, STATUS_MIX);
        const parent = clients.length > 50 && r.chance(0.08) ? r.pick(clients) : undefined;
        const competitors = Array.from({ length: r.int(4) }, () => r.pick(COMPETITOR_FIRMS));
        const fees = r.chance(0.12) ? null : Math.round(r.skewed(1) * (key ? 900_000 : 120_000));
        const name = companyName(r);
        insertClient.run(
          id,
          name,
          status,
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
        let wall: Set<string> | undefined;
        if (walled) {
          wall = new Set(team.keys());
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
        // Mood: most clients content, a tail unhappy; those that lapsed or left lower still.
        const baseMood = weighted(r, [
          [1, 0.2],
          [0, 0.55],
          [-1, 0.15],
          [-2, 0.1],
        ] as const);
        const mood = status === 'lost' ? Math.min(baseMood, -1) - r.int(2) : status === 'lapsed' ? Math.min(baseMood, 0) - r.int(2) : baseMood;
        // A client that lapsed or was lost left between a year after it came and a month ago.
        const leftMs =
          status === 'lapsed' || status === 'lost' || status === 'pitch_lost'
            ? Math.min(now - 30 * DAY_MS, ms + (status === 'pitch_lost' ? 60 * DAY_MS : 365 * DAY_MS) + r.next() * Math.max(0, now - ms - 400 * DAY_MS))
            : undefined;
        clients.push({ id, name, created: ms, mood, leftMs, fees, key, walled, visible: !walled || onWall, status, team, wall, contacts: [] });
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
          const contactId = idAt(r, ms);
          const decisionMaker = r.chance(0.15);
          c.contacts.push({ id: contactId, created: ms, decisionMaker });
          insertContact.run(
            contactId,
            c.id,
            `${first} ${last}`,
            r.chance(0.1) ? first.slice(0, Math.max(3, first.length - 2)) : null,
            r.chance(0.6) ? r.pick(CONTACT_ROLES) : null,
            r.chance(0.8) ? r.pick(JOB_TITLES) : null,
            r.chance(0.9) ? `${slug(first)}.${slug(last)}.${k + 1}@${domain}` : null,
            r.chance(0.7) ? `+44 20 7${String(r.int(1_000_000)).padStart(6, '0')}` : null,
            decisionMaker ? 1 : 0,
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

    // The extra score dimensions, after the five the migration seeds.
    const insertDimension = sqlite.prepare('insert into score_dimensions (key, label, position, active) values (?, ?, ?, 1)');
    const firstPosition = (sqlite.prepare('select coalesce(max(position), -1) + 1 as n from score_dimensions').get() as { n: number }).n;
    for (const [k, [key, label]] of EXTRA_DIMENSIONS.entries()) {
      insertDimension.run(key, label, firstPosition + k);
    }
    const scoreDimensions = (sqlite.prepare('select count(*) as n from score_dimensions where active = 1').get() as { n: number }).n;

    // Two families of triggers keep derived data and would fire on every one of the millions of
    // rows below: the full-text index (migration 0006: an FTS5 write per row) and the analytics
    // cache's dirty marks (0009: an upsert per row). Drop them while the bulk rows go in, then
    // rebuild the index with the app's own rebuildSearchIndex and put every trigger back. The
    // analytics cache starts empty with no recorded state, as after a restore, so the first
    // firm-wide read builds it whole (the bench's warm-up request).
    const derivedTriggers = sqlite
      .prepare(
        "select name, sql from sqlite_master where type = 'trigger' and (name like 'search_sync_%' or name like 'search_entries_%' or name like 'analytics_dirty_%')",
      )
      .all() as { name: string; sql: string }[];
    for (const t of derivedTriggers) {
      sqlite.exec(`drop trigger ${t.name}`);
    }

    const listening = generateListening(sqlite, r, {
      now,
      sessions: size.sessions,
      scores: size.scores,
      clients,
      interviewers,
      inactive,
      benchUserId: benchUser.id,
      benchLeadId: benchLead.id,
      count,
    });
    const { sessionDetailIds } = listening;
    const { healthClientIds } = generateFeedback(sqlite, r, {
      now,
      size: size.feedback,
      clients,
      held: listening.held,
      programmes: listening.programmes,
      partners,
      inactive,
      leadId: benchLead.id,
      count,
    });
    const currentProgrammeId = listening.programmes.find((p) => p.status === 'active')?.id;
    if (!currentProgrammeId) {
      throw new Error('no active programme was generated');
    }

    const indexStarted = performance.now();
    // The entries' own FTS triggers stay off during the rebuild: its final 'rebuild' fills the FTS index in one pass.
    const searchCounts = await rebuildSearchIndex(handle.db);
    for (const t of derivedTriggers) {
      sqlite.exec(t.sql);
    }
    count(
      'search_entries',
      Object.values(searchCounts).reduce((a, b) => a + b, 0),
    );
    const indexMs = performance.now() - indexStarted;

    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return {
      version: GENERATOR_VERSION,
      size,
      generatedAt: iso(now),
      benchUser: { id: benchUser.id, email: benchEmail },
      token,
      benchLead: { id: benchLead.id, email: leadEmail },
      leadToken,
      benchManager: { id: benchManager.id, email: managerEmail },
      managerToken,
      currentProgrammeId,
      healthClientIds,
      scoreDimensions,
      searchIndexMs: Math.round(indexMs),
      rows,
      searchTerms,
      detailIds,
      sessionDetailIds,
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
