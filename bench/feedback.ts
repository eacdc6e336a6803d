/**
 * The feedback loop of the generated firm, at the scale of issue 6 point 8: insights, actions,
 * check-ins and cadences, problems, referrals, nominations and programme commitments, health
 * snapshots and the audit rows the analytics read (status and fee changes). Written straight
 * into SQLite with prepared statements in one transaction, like the rest of the firm (see
 * generate.ts), following the services' invariants: UUIDv7 ids stamped with each row's
 * creation time, ISO timestamps, ISO dates, 0/1 booleans, owners and check-in holders from the
 * client's team, a remark promoted at most once and keeping its confidentiality.
 *
 * Distributions: a client's mood (−3 unhappy … +1 delighted; lost and lapsed clients lower)
 * shifts its NPS answers (generate.ts), the types and severities of what is heard (more
 * concerns and risks, more high ones), its problems and its referrals. A lost or lapsed client
 * is heard from only until it left. Actions close after a skewed delay (a day to many months),
 * some are abandoned (won't do), some still open and overdue.
 */
import type { DbHandle } from '../src/db/connect.js';
import type { ActionOrigin, ActionPriority, CheckInChannel, Confidentiality, InsightSource, InsightType, Severity } from '../src/db/schema.js';
import type { GeneratedClient, Rng } from './generate.js';
import { apportion, day, idAt, iso, weighted } from './generate.js';
import { MATTER_TOPICS, PRACTICE_AREAS, REMARK_SUBJECTS } from './words.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A held session as generate.ts wrote it, for the insights and actions that follow from it. */
export interface HeldSession {
  id: string;
  client: GeneratedClient;
  programmeIndex: number;
  completedMs: number;
  nps: number | null;
  interviewerId: string;
  remarks: { id: string; confidentiality: Confidentiality; speaker: string | null; text: string }[];
}

export interface FeedbackSize {
  insights: number;
  actions: number;
  checkIns: number;
  problems: number;
  referrals: number;
}

export interface FeedbackInput {
  now: number;
  size: FeedbackSize;
  clients: GeneratedClient[];
  held: HeldSession[];
  /** Sessions per programme (oldest first), with the clients heard in each. */
  programmes: { id: string; year: number; created: number; status: 'active' | 'closed'; clients: Set<GeneratedClient> }[];
  partners: string[];
  inactive: Set<string>;
  leadId: string;
  count: (table: string, n?: number) => void;
}

const SEVERITY_MIX = (mood: number): readonly (readonly [Severity, number])[] => [
  ['high', Math.max(0.05, 0.15 - 0.07 * mood)],
  ['medium', 0.45],
  ['low', Math.max(0.1, 0.4 + 0.05 * mood)],
];
const TYPE_MIX = (mood: number): readonly (readonly [InsightType, number])[] => [
  ['concern', Math.max(0.05, 0.2 - 0.07 * mood)],
  ['risk', Math.max(0.02, 0.05 - 0.03 * mood)],
  ['praise', Math.max(0.05, 0.3 + 0.07 * mood)],
  ['opportunity', 0.17],
  ['preference', 0.18],
  ['idea', 0.07],
];
const OTHER_SOURCES: readonly (readonly [InsightSource, number])[] = [
  ['call', 0.35],
  ['meeting', 0.35],
  ['email', 0.2],
  ['other', 0.1],
];
const CHANNELS: readonly (readonly [CheckInChannel, number])[] = [
  ['meeting', 0.3],
  ['call', 0.35],
  ['video', 0.2],
  ['email', 0.1],
  ['event', 0.03],
  ['other', 0.02],
];

const INSIGHT_SUMMARIES: Record<InsightType, readonly string[]> = {
  concern: [
    'Invoices on the {topic} work arrive late and are hard to follow',
    'Updates on {topic} come after the client has heard from the other side',
    'Too many new faces on the {topic} file this year',
    'Fee estimates on {topic} were exceeded without warning',
    'Partner hard to reach during the {topic} negotiation',
    'First drafts on {topic} took longer than agreed',
  ],
  risk: [
    'Panel review next year: the client is talking to two other firms about {topic}',
    'New general counsel has no history with the firm',
    'Budget cut for external {topic} advice announced',
    'A competitor firm pitched for the {topic} work last month',
  ],
  praise: [
    'Very happy with the advice on {topic}',
    'The senior associate on {topic} is the best they have worked with',
    'Board singled out the {topic} memo as exemplary',
    'Quick turnaround on {topic} saved the deal',
  ],
  opportunity: [
    'Expects more {topic} work next year as the regulation lands',
    'Asked whether we also advise on {topic} in other jurisdictions',
    'Subsidiary will need {topic} support after the acquisition',
    'In-house team wants training on {topic}',
  ],
  preference: [
    'Prefers one page of status with the decision points first',
    'Wants Teams for quick questions and a written update every Friday',
    'Asks for fee estimates before any new {topic} work starts',
    'Likes the partner to visit once a quarter',
  ],
  idea: [
    'Suggests a shared tracker for the {topic} matters',
    'Proposes a fixed fee for recurring {topic} work',
    'Would value a yearly briefing on {topic} for their board',
  ],
};
const ACTION_TITLES = [
  'Call the client about {topic}',
  'Send a fee estimate for the {topic} work',
  'Agree a reporting format for {topic}',
  'Introduce the {topic} team',
  'Review staffing on the {topic} file',
  'Fix the invoicing on the {topic} matters',
  'Follow up on the {topic} opportunity',
  'Set a quarterly visit with the general counsel',
  'Share the {topic} briefing with the in-house team',
  'Write to the client about what we changed on {topic}',
] as const;
const CLOSURE_NOTES = [
  'Done and confirmed with the client.',
  'Client thanked us; agreed to review at the next check-in.',
  'New reporting format in place since this month.',
  'Estimate sent and accepted.',
  'Staffing changed; the same associate stays on the file.',
] as const;
const WONT_DO_REASONS = [
  'Client no longer needs it.',
  'Superseded by the panel review.',
  'Not economic at the agreed fees.',
  'Client asked us to hold off.',
] as const;
const CHECK_IN_LIKES = [
  'Speed on the {topic} work',
  'The partner’s availability',
  'Clear, short advice',
  'Knowing our business',
  'Same team every time',
] as const;
const CHECK_IN_BETTER = [
  'Earlier warning on costs',
  'Shorter reports on {topic}',
  'Fewer handovers',
  'A single point of contact',
  'Quicker replies to email',
] as const;
const PROBLEM_TITLES = [
  'Invoice disputed on the {topic} matter',
  'Missed filing deadline on {topic}',
  'Wrong entity named in the {topic} draft',
  'Conflict query delayed the {topic} instruction',
  'Data room access failed before the {topic} closing',
  'Associate left mid-way through the {topic} work',
] as const;

/** Days, roughly log-normal around `median` (a few days to many months for median 20, sigma 1.1). */
function lognormalDays(r: Rng, median: number, sigma: number): number {
  const z = (r.next() + r.next() + r.next() + r.next() + r.next() + r.next() - 3) * Math.SQRT2;
  return median * Math.exp(sigma * z);
}

/** The working life of a client in the generated history: from when it is heard from, to when it left (or now). */
function window(c: GeneratedClient, now: number): [number, number] {
  const end = Math.min(c.leftMs ?? now, now - DAY_MS);
  const start = Math.max(c.created, Math.min(Math.max(c.created + 30 * DAY_MS, now - 4 * 365 * DAY_MS), end - DAY_MS));
  return [start, Math.max(start, end)];
}

/** A moment in the client's window, leaning recent (more records in the later years, as a programme grows). */
function momentIn(r: Rng, c: GeneratedClient, now: number): number {
  const [start, end] = window(c, now);
  return start + Math.sqrt(r.next()) * (end - start);
}

interface ActionSeed {
  client: GeneratedClient;
  originMs: number;
  origin: ActionOrigin;
  insightId: string | null;
  sessionId: string | null;
  checkInId: string | null;
  problemId: string | null;
  severity: Severity | null;
  title: string;
}

export function generateFeedback(sqlite: NonNullable<DbHandle['sqlite']>, r: Rng, input: FeedbackInput): { healthClientIds: string[] } {
  const { now, size, clients, held, count } = input;
  const fill = (text: string) => text.replaceAll('{topic}', r.pick(MATTER_TOPICS));
  const ownersOf = (c: GeneratedClient) => {
    const list = [...c.team.keys()].filter((u) => !input.inactive.has(u));
    return list.length > 0 ? list : [r.pick(input.partners)];
  };
  const partnerOf = (c: GeneratedClient) => {
    const list = [...c.team].filter(([u, role]) => role === 'relationship_partner' && !input.inactive.has(u)).map(([u]) => u);
    return list.length > 0 ? r.pick(list) : r.pick(ownersOf(c));
  };
  const contactAt = (c: GeneratedClient, ms: number) => {
    const list = c.contacts.filter((k) => k.created < ms);
    return list.length > 0 ? r.pick(list).id : null;
  };
  const cap = (ms: number) => Math.min(ms, now - HOUR_MS);

  const insertInsight = sqlite.prepare(
    `insert into insights (id, client_id, type, severity, summary, quote, confidentiality, contact_id, matter_id, source, session_id, remark_id,
       check_in_id, problem_id, heard_on, recorded_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertTheme = sqlite.prepare('insert into insight_themes (insight_id, theme_id) values (?, ?)');
  const insertAction = sqlite.prepare(
    `insert into actions (id, client_id, title, description, owner_id, due_on, priority, status, wont_do_reason, closure_note, origin, insight_id,
       session_id, check_in_id, problem_id, created_by, created_at, updated_at, last_activity_at, closed_at, escalated_at, escalated_to)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCheckIn = sqlite.prepare(
    `insert into check_ins (id, client_id, contact_id, held_on, channel, held_by, likes, one_thing_better, notes, recovery_for_insight_id, recovery_fixed, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, null, ?, ?)`,
  );
  const insertCadence = sqlite.prepare(
    'insert into cadences (id, client_id, contact_id, ideal_days, max_days, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertProblem = sqlite.prepare(
    `insert into problems (id, client_id, title, description, reported_on, reported_by_contact_id, recorded_by, owner_id, matter_id, status, resolution, resolved_on, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?)`,
  );
  const insertReferral = sqlite.prepare(
    `insert into referrals (id, referrer_client_id, referred_by_contact_id, prospect_client_id, prospect_name, referred_on, outcome, outcome_on, notes, recorded_by, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertNomination = sqlite.prepare(
    `insert into nominations (id, programme_id, client_id, partner_id, origin, proposed_by, status, reason, ask_again_on, note, responded_at, last_reminded_at, reminder_count, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?)`,
  );
  const insertNominationEvent = sqlite.prepare(
    'insert into nomination_events (id, nomination_id, at, actor_id, from_status, to_status, reason, ask_again_on) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertCommitment = sqlite.prepare('insert into programme_partners (programme_id, user_id, commitment, responded_at) values (?, ?, ?, ?)');
  const insertSnapshot = sqlite.prepare(
    'insert into health_snapshots (id, client_id, taken_on, score, band, reasons, created_at) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertAudit = sqlite.prepare(
    `insert into audit_log (id, at, actor_id, actor_label, action, entity, entity_id, client_id, client_walled, changes, request_id)
     values (?, ?, ?, ?, 'client.update', 'client', ?, ?, ?, ?, null)`,
  );
  const themes = (sqlite.prepare('select id from themes where parent_id is null and archived = 0 order by position').all() as { id: string }[]).map(
    (t) => t.id,
  );

  const seeds: ActionSeed[] = [];
  let insights = 0;
  const writeInsight = (
    c: GeneratedClient,
    heardMs: number,
    source: InsightSource,
    links: { sessionId?: string; remarkId?: string; checkInId?: string; problemId?: string },
    fixed?: { type: InsightType; confidentiality: Confidentiality; quote: string | null; contactId: string | null; recordedBy: string },
  ) => {
    const type = fixed?.type ?? weighted(r, TYPE_MIX(c.mood));
    const severity: Severity = type === 'concern' || type === 'risk' ? weighted(r, SEVERITY_MIX(c.mood)) : r.chance(0.8) ? 'low' : 'medium';
    const createdMs = cap(heardMs + r.next() * 3 * DAY_MS);
    const id = idAt(r, createdMs);
    const summary = fill(r.pick(INSIGHT_SUMMARIES[type]));
    insertInsight.run(
      id,
      c.id,
      type,
      severity,
      summary,
      fixed?.quote ?? (r.chance(0.3) ? `“${fill(r.pick(REMARK_SUBJECTS))} matters to us.”` : null),
      fixed?.confidentiality ??
        weighted(r, [
          ['attributable', 0.75],
          ['non_attributable', 0.2],
          ['programme_only', 0.05],
        ] as const),
      fixed ? fixed.contactId : r.chance(0.7) ? contactAt(c, heardMs) : null,
      source,
      links.sessionId ?? null,
      links.remarkId ?? null,
      links.checkInId ?? null,
      links.problemId ?? null,
      day(heardMs),
      fixed?.recordedBy ?? r.pick(ownersOf(c)),
      iso(createdMs),
      iso(r.chance(0.15) ? cap(createdMs + r.next() * 20 * DAY_MS) : createdMs),
    );
    insights += 1;
    if (themes.length > 0 && r.chance(0.8)) {
      insertTheme.run(id, r.pick(themes));
      count('insight_themes');
    }
    // Concerns and risks are followed up more often, the serious ones nearly always; opportunities often.
    const actionChance =
      type === 'concern' || type === 'risk' ? (severity === 'high' ? 0.85 : severity === 'medium' ? 0.55 : 0.3) : type === 'opportunity' ? 0.45 : 0.05;
    if (r.chance(actionChance)) {
      seeds.push({
        client: c,
        originMs: createdMs,
        origin: type === 'concern' && severity === 'high' && r.chance(0.5) ? 'high_concern' : 'insight',
        insightId: id,
        sessionId: links.sessionId ?? null,
        checkInId: null,
        problemId: null,
        severity,
        title: type === 'opportunity' ? `Follow up: ${summary}` : `Respond to: ${summary}`,
      });
    }
  };

  sqlite.transaction(() => {
    // Audit history the analytics read: when a client left (status) and when its fees changed.
    for (const c of clients) {
      if (c.leftMs !== undefined) {
        const from = c.status === 'pitch_lost' ? 'prospect' : 'active';
        insertAudit.run(idAt(r, c.leftMs), iso(c.leftMs), null, 'bench import', c.id, c.id, c.walled ? 1 : 0, JSON.stringify({ status: [from, c.status] }));
        count('audit_log');
      }
      if (c.fees !== null && c.status === 'active' && r.chance(0.08)) {
        const ms = now - r.next() * 400 * DAY_MS;
        const before = Math.round(c.fees * (c.mood < 0 ? 1.2 + r.next() * 0.6 : 0.7 + r.next() * 0.5));
        insertAudit.run(idAt(r, ms), iso(ms), null, 'bench import', c.id, c.id, c.walled ? 1 : 0, JSON.stringify({ annualFees: [before, c.fees] }));
        count('audit_log');
      }
    }

    // Insights from held sessions: about 40% of the remarks promoted (keeping their confidentiality
    // and speaker), and a few more noted straight from the session.
    for (const s of held) {
      for (const m of s.remarks) {
        if (r.chance(0.4)) {
          writeInsight(
            s.client,
            s.completedMs,
            'session',
            { sessionId: s.id, remarkId: m.id },
            {
              type: weighted(r, TYPE_MIX(s.client.mood + (s.nps !== null && s.nps <= 6 ? -1 : 0))),
              confidentiality: m.confidentiality,
              quote: m.text,
              contactId: m.speaker,
              recordedBy: s.interviewerId,
            },
          );
        }
      }
      const extra = r.int(3);
      for (let k = 0; k < extra; k += 1) {
        writeInsight(s.client, s.completedMs, 'session', { sessionId: s.id });
      }
      // A detractor answer raises an action for the relationship partner; other sessions often leave one or two.
      if (s.nps !== null && s.nps <= 6) {
        seeds.push({
          client: s.client,
          originMs: s.completedMs,
          origin: 'detractor',
          insightId: null,
          sessionId: s.id,
          checkInId: null,
          problemId: null,
          severity: 'high',
          title: 'Call the client after a detractor answer',
        });
      }
      const followUps = r.chance(0.5) ? 1 + r.int(2) : 0;
      for (let k = 0; k < followUps; k += 1) {
        seeds.push({
          client: s.client,
          originMs: s.completedMs,
          origin: 'session',
          insightId: null,
          sessionId: s.id,
          checkInId: null,
          problemId: null,
          severity: null,
          title: fill(r.pick(ACTION_TITLES)),
        });
      }
    }

    // Cadences: most key clients have their own, and some of their decision makers too.
    for (const c of clients) {
      if (!c.key || c.status === 'prospect') {
        continue;
      }
      if (r.chance(0.6)) {
        const ms = c.created + r.next() * (now - c.created);
        const ideal = r.pick([21, 30, 45]);
        insertCadence.run(idAt(r, ms), c.id, null, ideal, ideal * 2, iso(ms), iso(ms));
        count('cadences');
      }
      for (const k of c.contacts) {
        if (k.decisionMaker && r.chance(0.3)) {
          const ms = k.created + r.next() * (now - k.created);
          const ideal = r.pick([30, 60, 90]);
          insertCadence.run(idAt(r, ms), c.id, k.id, ideal, ideal * 2, iso(ms), iso(ms));
          count('cadences');
        }
      }
    }

    // Check-ins: key and active clients far more often; about a third yield an insight.
    const checkInWeight = (c: GeneratedClient) =>
      c.contacts.length === 0 ? 0 : (c.key ? 5 : 1) * { active: 1, prospect: 0.15, lapsed: 0.4, lost: 0.3, pitch_lost: 0.1 }[c.status];
    const checkInCounts = apportion(r, size.checkIns, clients.map(checkInWeight));
    let checkIns = 0;
    clients.forEach((c, ci) => {
      for (let k = 0; k < (checkInCounts[ci] ?? 0); k += 1) {
        const heldMs = momentIn(r, c, now);
        const createdMs = cap(heldMs + r.next() * 2 * DAY_MS);
        const id = idAt(r, createdMs);
        insertCheckIn.run(
          id,
          c.id,
          contactAt(c, heldMs),
          day(heldMs),
          weighted(r, CHANNELS),
          r.chance(0.6) ? partnerOf(c) : r.pick(ownersOf(c)),
          r.chance(0.7) ? fill(r.pick(CHECK_IN_LIKES)) : null,
          r.chance(0.6) || c.mood < 0 ? fill(r.pick(CHECK_IN_BETTER)) : null,
          r.chance(0.3) ? `Discussed the ${r.pick(PRACTICE_AREAS)} pipeline.` : null,
          iso(createdMs),
          iso(createdMs),
        );
        checkIns += 1;
        if (r.chance(0.33)) {
          writeInsight(c, heldMs, 'check_in', { checkInId: id });
        }
        if (r.chance(0.08)) {
          seeds.push({
            client: c,
            originMs: createdMs,
            origin: 'manual',
            insightId: null,
            sessionId: null,
            checkInId: id,
            problemId: null,
            severity: null,
            title: fill(r.pick(ACTION_TITLES)),
          });
        }
      }
    });
    count('check_ins', checkIns);

    // Problems: unhappy clients report more; most are resolved after days to months.
    const problemCounts = apportion(
      r,
      size.problems,
      clients.map((c) => (c.status === 'prospect' || c.status === 'pitch_lost' ? 0 : (c.key ? 3 : 1) * (1.5 - c.mood))),
    );
    let problems = 0;
    clients.forEach((c, ci) => {
      for (let k = 0; k < (problemCounts[ci] ?? 0); k += 1) {
        const reportedMs = momentIn(r, c, now);
        const createdMs = cap(reportedMs + r.next() * DAY_MS);
        const id = idAt(r, createdMs);
        const resolvedMs = reportedMs + lognormalDays(r, 12, 1) * DAY_MS;
        const resolved = resolvedMs < now - DAY_MS && r.chance(0.92);
        const status = resolved ? (r.chance(0.6) ? 'closed' : 'resolved') : r.chance(0.5) ? 'investigating' : 'open';
        const title = fill(r.pick(PROBLEM_TITLES));
        insertProblem.run(
          id,
          c.id,
          title,
          r.chance(0.6) ? 'Raised by the client; see the matter file.' : null,
          day(reportedMs),
          r.chance(0.7) ? contactAt(c, reportedMs) : null,
          r.pick(ownersOf(c)),
          r.chance(0.9) ? partnerOf(c) : null,
          status,
          resolved ? 'Fixed, explained to the client and confirmed in writing.' : null,
          resolved ? day(resolvedMs) : null,
          iso(createdMs),
          iso(resolved ? cap(resolvedMs) : createdMs),
        );
        problems += 1;
        if (r.chance(0.6)) {
          writeInsight(
            c,
            reportedMs,
            'problem',
            { problemId: id },
            {
              type: 'concern',
              confidentiality: 'attributable',
              quote: null,
              contactId: null,
              recordedBy: r.pick(ownersOf(c)),
            },
          );
        }
        if (r.chance(0.7)) {
          seeds.push({
            client: c,
            originMs: createdMs,
            origin: 'manual',
            insightId: null,
            sessionId: null,
            checkInId: null,
            problemId: id,
            severity: 'medium',
            title: `Resolve: ${title}`,
          });
        }
      }
    });
    count('problems', problems);

    // The rest of what was heard: calls, meetings and emails, to the insight total.
    const rest = Math.max(0, size.insights - insights);
    const restCounts = apportion(
      r,
      rest,
      clients.map((c) => (c.status === 'prospect' ? 0.2 : 1) * (c.key ? 4 : 1) * (c.status === 'pitch_lost' ? 0.2 : 1)),
    );
    clients.forEach((c, ci) => {
      for (let k = 0; k < (restCounts[ci] ?? 0); k += 1) {
        // A client that left was heard from most in its last year: its concerns come before it goes.
        const [start, end] = window(c, now);
        const heardMs = c.leftMs !== undefined && r.chance(0.6) ? Math.max(start, end - r.next() * 365 * DAY_MS) : momentIn(r, c, now);
        writeInsight(c, heardMs, weighted(r, OTHER_SOURCES), {});
      }
    });
    count('insights', insights);

    // Actions: the seeds above (insights, sessions, check-ins, problems), trimmed or topped up with manual ones.
    let chosen = seeds;
    if (seeds.length > size.actions) {
      const keep = size.actions / seeds.length;
      chosen = seeds.filter(() => r.chance(keep)).slice(0, size.actions);
    }
    const manual = size.actions - chosen.length;
    const manualCounts = apportion(
      r,
      Math.max(0, manual),
      clients.map((c) => (c.status === 'prospect' ? 0.3 : 1) * (c.key ? 4 : 1) * (1.2 - 0.2 * c.mood)),
    );
    clients.forEach((c, ci) => {
      for (let k = 0; k < (manualCounts[ci] ?? 0); k += 1) {
        chosen.push({
          client: c,
          originMs: momentIn(r, c, now),
          origin: 'manual',
          insightId: null,
          sessionId: null,
          checkInId: null,
          problemId: null,
          severity: null,
          title: fill(r.pick(ACTION_TITLES)),
        });
      }
    });
    for (const a of chosen) {
      const createdMs = cap(a.originMs + (a.origin === 'insight' || a.origin === 'manual' ? r.next() * 5 * DAY_MS : r.next() * HOUR_MS));
      const id = idAt(r, createdMs);
      const owner = a.origin === 'detractor' || a.origin === 'high_concern' ? partnerOf(a.client) : r.pick(ownersOf(a.client));
      const dueMs = r.chance(0.9) ? createdMs + r.pick([7, 14, 14, 30, 30, 60]) * DAY_MS : null;
      const priority: ActionPriority =
        a.severity === 'high'
          ? weighted(r, [
              ['high', 0.6],
              ['urgent', 0.3],
              ['normal', 0.1],
            ] as const)
          : weighted(r, [
              ['low', 0.2],
              ['normal', 0.65],
              ['high', 0.15],
            ] as const);
      // Time to close: median about three weeks, from a day to many months; a tenth are forgotten.
      const closedMs = createdMs + lognormalDays(r, a.severity === 'high' ? 12 : 22, 1.1) * DAY_MS;
      const closed = closedMs < now - HOUR_MS && r.chance(a.client.leftMs !== undefined ? 0.75 : 0.95);
      const wontDo = closed && r.chance(0.15);
      const status = closed ? (wontDo ? 'wont_do' : 'done') : r.chance(0.6) ? 'open' : 'in_progress';
      const lastActivityMs = closed ? closedMs : cap(createdMs + r.next() * Math.min(60 * DAY_MS, now - createdMs));
      const escalated = !closed && now - lastActivityMs > 21 * DAY_MS && r.chance(0.5);
      insertAction.run(
        id,
        a.client.id,
        a.title.slice(0, 200),
        r.chance(0.5) ? `Agreed after we heard it; ${fill('keep the {topic} team informed')}.` : null,
        owner,
        dueMs === null ? null : day(dueMs),
        priority,
        status,
        wontDo ? r.pick(WONT_DO_REASONS) : null,
        closed && !wontDo && r.chance(0.7) ? r.pick(CLOSURE_NOTES) : null,
        a.origin,
        a.insightId,
        a.sessionId,
        a.checkInId,
        a.problemId,
        a.origin === 'detractor' || a.origin === 'high_concern' ? null : r.pick(ownersOf(a.client)),
        iso(createdMs),
        iso(lastActivityMs),
        iso(lastActivityMs),
        closed ? iso(closedMs) : null,
        escalated ? iso(lastActivityMs + 21 * DAY_MS) : null,
        escalated ? input.leadId : null,
      );
    }
    count('actions', chosen.length);

    // Referrals: happy active clients refer; some prospects become client records.
    const prospects = clients.filter((c) => c.status === 'prospect');
    const referrerCounts = apportion(
      r,
      size.referrals,
      clients.map((c) => (c.status === 'active' ? Math.max(0.1, 1 + c.mood) * (c.key ? 3 : 1) : 0)),
    );
    clients.forEach((c, ci) => {
      for (let k = 0; k < (referrerCounts[ci] ?? 0); k += 1) {
        const ms = momentIn(r, c, now);
        const prospect = r.chance(0.4) && prospects.length > 0 ? r.pick(prospects) : undefined;
        const decidedMs = ms + lognormalDays(r, 60, 0.8) * DAY_MS;
        const decided = decidedMs < now - DAY_MS;
        const outcome = decided
          ? weighted(r, [
              ['won', 0.35],
              ['lost', 0.4],
              ['no_fit', 0.25],
            ] as const)
          : 'pending';
        insertReferral.run(
          idAt(r, ms),
          c.id,
          r.chance(0.8) ? contactAt(c, ms) : null,
          prospect?.id ?? null,
          prospect?.name ?? `${r.pick(MATTER_TOPICS)} Holdings ${1 + r.int(900)}`,
          day(ms),
          outcome,
          decided ? day(decidedMs) : null,
          r.chance(0.3) ? 'Introduced by the general counsel.' : null,
          partnerOf(c),
          iso(ms),
          iso(decided ? decidedMs : ms),
        );
        count('referrals');
      }
    });

    // Programme commitments and nominations: every client heard in a programme was put forward
    // (proposed by the lead and accepted, or volunteered); others were proposed and deferred,
    // declined, withdrawn or, in the current programme, not answered yet. A few partners said
    // yes and then put nothing forward.
    const activePartners = input.partners.filter((u) => !input.inactive.has(u));
    for (const p of input.programmes) {
      const laggards = new Set<string>();
      /** One nomination per (programme, client, partner). */
      const nominated = new Set<string>();
      for (const u of activePartners) {
        if (r.chance(0.85)) {
          const yes = r.chance(0.85);
          insertCommitment.run(p.id, u, yes ? 'yes' : 'no', iso(p.created + r.next() * 40 * DAY_MS));
          count('programme_partners');
          if (yes && r.chance(0.06)) {
            laggards.add(u);
          }
        }
      }
      const nominate = (c: GeneratedClient, status: 'accepted' | 'deferred' | 'declined' | 'withdrawn' | 'proposed') => {
        const rps = [...c.team].filter(([u, role]) => role === 'relationship_partner' && !input.inactive.has(u) && !laggards.has(u)).map(([u]) => u);
        if (rps.length === 0) {
          return;
        }
        const partner = r.pick(rps);
        if (nominated.has(`${c.id}:${partner}`)) {
          return;
        }
        nominated.add(`${c.id}:${partner}`);
        const volunteered = status === 'accepted' && r.chance(0.25);
        const createdMs = cap(p.created + r.next() * 60 * DAY_MS);
        const id = idAt(r, createdMs);
        const respondedMs = status === 'proposed' ? null : cap(createdMs + (volunteered ? 0 : lognormalDays(r, 10, 0.8) * DAY_MS));
        const reminders = status === 'proposed' ? r.int(4) : r.chance(0.3) ? 1 + r.int(2) : 0;
        insertNomination.run(
          id,
          p.id,
          c.id,
          partner,
          volunteered ? 'volunteered' : 'proposed',
          volunteered ? null : input.leadId,
          status,
          status === 'deferred' ? 'Mid-deal: ask again after closing.' : status === 'declined' ? 'Relationship too sensitive this year.' : null,
          status === 'deferred' ? day(cap(createdMs + 120 * DAY_MS)) : null,
          respondedMs === null ? null : iso(respondedMs),
          reminders > 0 ? iso(cap(createdMs + 14 * DAY_MS)) : null,
          reminders,
          iso(createdMs),
          iso(respondedMs ?? createdMs),
        );
        count('nominations');
        insertNominationEvent.run(
          idAt(r, createdMs),
          id,
          iso(createdMs),
          volunteered ? partner : input.leadId,
          null,
          volunteered ? 'accepted' : 'proposed',
          null,
          null,
        );
        count('nomination_events');
        if (!volunteered && respondedMs !== null) {
          insertNominationEvent.run(
            idAt(r, respondedMs),
            id,
            iso(respondedMs),
            status === 'withdrawn' ? input.leadId : partner,
            'proposed',
            status,
            null,
            null,
          );
          count('nomination_events');
        }
      };
      for (const c of p.clients) {
        nominate(c, 'accepted');
      }
      const others = clients.filter((c) => !p.clients.has(c) && c.status !== 'prospect' && c.contacts.length > 0);
      const extra = Math.round(p.clients.size * 0.5);
      for (let k = 0; k < extra && others.length > 0; k += 1) {
        const c = others[r.int(others.length)] as GeneratedClient;
        const status = weighted(r, [
          ['deferred', 0.35],
          ['declined', 0.25],
          ['withdrawn', 0.1],
          ['proposed', p.status === 'active' ? 0.3 : 0],
        ] as const);
        nominate(c, status);
      }
    }

    // Health history: the last 30 days of the active key clients, drifting around their mood.
    const healthClients = clients.filter((c) => c.key && c.status === 'active');
    for (const c of healthClients) {
      let score = Math.max(5, Math.min(100, 78 + 12 * c.mood + r.int(15)));
      for (let d = 30; d >= 1; d -= 1) {
        const dayMs = now - d * DAY_MS;
        score = Math.max(0, Math.min(100, score + r.int(5) - 2));
        const band = score >= 70 ? 'healthy' : score >= 40 ? 'watch' : 'at_risk';
        const reasons =
          score >= 100
            ? []
            : [
                { kind: 'concernMedium', points: Math.min(100 - score, 20), count: 1, text: '1 open medium concern', ids: [] },
                ...(score < 80
                  ? [{ kind: 'overdueAction', points: 100 - score - Math.min(100 - score, 20), count: 1, text: '1 overdue action', ids: [] }]
                  : []),
              ];
        const takenMs = Date.UTC(new Date(dayMs).getUTCFullYear(), new Date(dayMs).getUTCMonth(), new Date(dayMs).getUTCDate(), 2);
        insertSnapshot.run(idAt(r, takenMs), c.id, day(takenMs), score, band, JSON.stringify(reasons), iso(takenMs));
        count('health_snapshots');
      }
    }
  })();
  const keyIds = clients.filter((c) => c.key && c.status === 'active').map((c) => c.id);
  const healthClientIds = [0, 0.25, 0.5, 0.75].map((f) => keyIds[Math.floor(f * keyIds.length)]).filter((id): id is string => id !== undefined);
  return { healthClientIds };
}
