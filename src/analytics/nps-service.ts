import { decodeCursor, encodeCursor } from '../db/pagination.js';
import { toBool } from '../db/values.js';
import { requirePermission } from '../http/access.js';
import { ValidationError } from '../http/errors.js';
import { visibleSessions } from '../listening/access.js';
import { HELD_STATUSES } from '../listening/session-states.js';
import type { ServiceContext } from '../server/context.js';
import { type Answer, COUNTING_RULE, type CountedAnswer, countedAnswers } from './counting.js';
import {
  type AnalyticsFilterQuery,
  type AnalyticsFilters,
  type ClientPlacement,
  clientPlacements,
  FEE_BAND_LABELS,
  type FeeBand,
  feeBandOf,
  filteredClients,
  type GroupBy,
  periodBounds,
  quarterOf,
  resolveAnalyticsFilters,
} from './filters.js';
import { averageOf, groupUnder, npsOf } from './nps.js';
import type { NpsAnalytics, NpsFiguresView, NpsSessionPage } from './schemas.js';

/**
 * NPS, satisfaction and score dimensions for the firm, as the reader may see it: only held
 * sessions the reader may read (visibleSessions, inside the SQL), of the clients the filters
 * select, counted by the one counting rule (counting.ts). Readers whose analytics reach is not
 * firm-wide (partners and members: their own clients) see groups answered by fewer than
 * MIN_GROUP_CLIENTS clients suppressed, so a small group never points at one client's answer.
 */

/** Groups answered by fewer clients than this are suppressed for readers who are not firm-wide. */
export const MIN_GROUP_CLIENTS = 3;

export interface NpsQuery extends AnalyticsFilterQuery {
  groupBy?: GroupBy | undefined;
}

export interface NpsSessionQuery extends NpsQuery {
  group?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** A held session with what grouping and figures need about it and its client. */
interface HeldSession {
  id: string;
  clientId: string;
  clientName: string;
  industry: string | null;
  isKeyClient: boolean;
  feeBand: FeeBand;
  at: string;
  nps: number | null;
  satisfaction: number | null;
  scores: Map<string, number>;
}

interface Loaded {
  filters: AnalyticsFilters;
  firmWide: boolean;
  sessions: Map<string, HeldSession>;
  placements: Map<string, ClientPlacement>;
  dimensions: { key: string; label: string }[];
  /** Per measure ('nps', 'satisfaction', 'dim:<key>'), the answers that count. */
  counted: Map<string, CountedAnswer[]>;
}

async function load(ctx: ServiceContext, query: AnalyticsFilterQuery): Promise<Loaded> {
  const scope = requirePermission(ctx.actor, 'analytics', 'read');
  const filters = await resolveAnalyticsFilters(ctx, query);
  const { start, end } = periodBounds(filters);
  const rows = await ctx.db
    .selectFrom('listening_sessions')
    .innerJoin('clients', 'clients.id', 'listening_sessions.client_id')
    .select([
      'listening_sessions.id',
      'listening_sessions.client_id',
      'listening_sessions.completed_at',
      'listening_sessions.nps',
      'listening_sessions.satisfaction',
      'clients.name as client_name',
      'clients.industry',
      'clients.is_key_client',
      'clients.annual_fees',
    ])
    .where('listening_sessions.status', 'in', HELD_STATUSES)
    .where('listening_sessions.completed_at', 'is not', null)
    .where(visibleSessions(ctx.actor))
    .where(filteredClients(filters))
    .$if(start !== null, (q) => q.where('listening_sessions.completed_at', '>=', start ?? ''))
    .$if(end !== null, (q) => q.where('listening_sessions.completed_at', '<', end ?? ''))
    .execute();
  const sessions = new Map<string, HeldSession>();
  for (const r of rows) {
    sessions.set(r.id, {
      id: r.id,
      clientId: r.client_id,
      clientName: r.client_name,
      industry: r.industry,
      isKeyClient: toBool(r.is_key_client),
      feeBand: feeBandOf(r.annual_fees === null ? null : Number(r.annual_fees)),
      at: new Date(r.completed_at ?? '').toISOString(),
      nps: r.nps === null ? null : Number(r.nps),
      satisfaction: r.satisfaction === null ? null : Number(r.satisfaction),
      scores: new Map(),
    });
  }
  const ids = [...sessions.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const scores = await ctx.db
      .selectFrom('session_scores')
      .select(['session_id', 'dimension', 'score'])
      .where('session_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const s of scores) {
      sessions.get(s.session_id)?.scores.set(s.dimension, Number(s.score));
    }
  }
  const dimensions = (await ctx.db.selectFrom('score_dimensions').select(['key', 'label']).orderBy('position').orderBy('key').execute()).filter((d) =>
    [...sessions.values()].some((s) => s.scores.has(d.key)),
  );
  const answersOf = (pick: (s: HeldSession) => number | null | undefined): Answer[] =>
    [...sessions.values()].flatMap((s) => {
      const value = pick(s);
      return value === null || value === undefined ? [] : [{ sessionId: s.id, clientId: s.clientId, at: s.at, value }];
    });
  const counted = new Map<string, CountedAnswer[]>([
    ['nps', countedAnswers(answersOf((s) => s.nps))],
    ['satisfaction', countedAnswers(answersOf((s) => s.satisfaction))],
    ...dimensions.map((d) => [`dim:${d.key}`, countedAnswers(answersOf((s) => s.scores.get(d.key)))] as [string, CountedAnswer[]]),
  ]);
  const placements = await clientPlacements(ctx, [...new Set(rows.map((r) => r.client_id))]);
  return { filters, firmWide: scope === 'any', sessions, placements, dimensions, counted };
}

const NONE = '_none';

/** The groups an answer's client (and quarter) falls in, as [key, label] pairs. */
function groupsOf(loaded: Loaded, groupBy: GroupBy, answer: CountedAnswer): [string, string][] {
  const session = loaded.sessions.get(answer.sessionId);
  const placement = loaded.placements.get(answer.clientId);
  if (!session) {
    return [];
  }
  switch (groupBy) {
    case 'quarter':
      return [[answer.quarter, answer.quarter]];
    case 'industry':
      return [session.industry ? [session.industry, session.industry] : [NONE, 'No industry recorded']];
    case 'segment':
      return [session.isKeyClient ? ['key_client', 'Key clients'] : ['other', 'Other clients']];
    case 'feeBand':
      return [[session.feeBand, FEE_BAND_LABELS[session.feeBand]]];
    case 'practice':
      return placement?.practices.length ? placement.practices.map((p) => [p.id, p.name]) : [[NONE, 'No practice']];
    case 'partner':
      return placement?.partners.length ? placement.partners.map((p) => [p.id, p.name]) : [[NONE, 'No relationship partner']];
    case 'office':
      return placement?.offices.length ? placement.offices.map((o) => [o, o]) : [[NONE, 'No office']];
  }
}

/** Figures for the answers that fall in one group (keep = which counted answers belong). */
function figuresOf(loaded: Loaded, keep: (a: CountedAnswer) => boolean): NpsFiguresView {
  const pick = (measure: string) => (loaded.counted.get(measure) ?? []).filter(keep);
  const nps = pick('nps');
  const satisfaction = pick('satisfaction');
  const dims = loaded.dimensions.map((d) => ({ ...d, answers: pick(`dim:${d.key}`) }));
  const clients = new Set([...nps, ...satisfaction, ...dims.flatMap((d) => d.answers)].map((a) => a.clientId));
  const sessionIds = new Set([...nps, ...satisfaction, ...dims.flatMap((d) => d.answers)].map((a) => a.sessionId));
  const suppressed = !loaded.firmWide && clients.size > 0 && clients.size < MIN_GROUP_CLIENTS;
  const figures = npsOf(nps.map((a) => a.value));
  if (suppressed) {
    return {
      clients: null,
      sessions: null,
      n: null,
      promoters: null,
      passives: null,
      detractors: null,
      nps: null,
      margin: null,
      warning: `Fewer than ${MIN_GROUP_CLIENTS} clients answered: hidden so that no client's answer can be singled out.`,
      reason: 'suppressed',
      satisfaction: { n: null, mean: null },
      dimensions: dims.map((d) => ({ key: d.key, label: d.label, n: null, mean: null })),
    };
  }
  return {
    clients: clients.size,
    sessions: sessionIds.size,
    ...figures,
    reason: figures.n === 0 ? 'no_answers' : null,
    satisfaction: averageOf(satisfaction.map((a) => a.value)),
    dimensions: dims.map((d) => ({ key: d.key, label: d.label, ...averageOf(d.answers.map((a) => a.value)) })),
  };
}

function allAnswers(loaded: Loaded): CountedAnswer[] {
  return [...loaded.counted.values()].flat();
}

export async function npsAnalytics(ctx: ServiceContext, query: NpsQuery): Promise<NpsAnalytics> {
  const loaded = await load(ctx, query);
  const groupBy = query.groupBy ?? null;
  const groups: NpsAnalytics['groups'] = [];
  if (groupBy) {
    const labels = new Map<string, string>();
    const members = groupUnder(allAnswers(loaded), (a) =>
      groupsOf(loaded, groupBy, a).map(([key, label]) => {
        labels.set(key, label);
        return key;
      }),
    );
    for (const key of members.keys()) {
      groups.push({ key, label: labels.get(key) ?? key, figures: figuresOf(loaded, (a) => groupsOf(loaded, groupBy, a).some(([k]) => k === key)) });
    }
    groups.sort((x, y) => (groupBy === 'quarter' ? x.key.localeCompare(y.key) : x.label.localeCompare(y.label) || x.key.localeCompare(y.key)));
  }
  const quarters = [...new Set(allAnswers(loaded).map((a) => a.quarter))].sort();
  const overall = figuresOf(loaded, () => true);
  return {
    period: { from: loaded.filters.from, to: loaded.filters.to },
    groupBy,
    countingRule: COUNTING_RULE,
    state: allAnswers(loaded).length === 0 ? 'no_answers' : 'ok',
    overall,
    groups,
    trend: quarters.map((quarter) => ({ quarter, figures: figuresOf(loaded, (a) => a.quarter === quarter) })),
  };
}

/**
 * The held sessions behind a figure (drill-down): those whose answers count in the group
 * (`groupBy` + `group`), or in the overall figure without them; latest first, paginated.
 * A suppressed group lists nothing.
 */
export async function npsSessions(ctx: ServiceContext, query: NpsSessionQuery): Promise<NpsSessionPage> {
  if ((query.group === undefined) !== (query.groupBy === undefined)) {
    throw new ValidationError(query.group === undefined ? 'group' : 'groupBy', 'groupBy and group go together');
  }
  const loaded = await load(ctx, query);
  const { groupBy, group } = query;
  const keep = (a: CountedAnswer) => (groupBy && group !== undefined ? groupsOf(loaded, groupBy, a).some(([k]) => k === group) : true);
  const figures = figuresOf(loaded, keep);
  if (figures.reason === 'suppressed') {
    return { items: [], nextCursor: null, suppressed: true };
  }
  const ids = new Set(
    allAnswers(loaded)
      .filter(keep)
      .map((a) => a.sessionId),
  );
  const counts = new Map<string, string[]>();
  for (const [measure, answers] of loaded.counted) {
    for (const a of answers) {
      if (ids.has(a.sessionId)) {
        counts.set(a.sessionId, [...(counts.get(a.sessionId) ?? []), measure.replace(/^dim:/, '')]);
      }
    }
  }
  const rows = [...ids]
    .map((id) => loaded.sessions.get(id))
    .filter((s): s is HeldSession => s !== undefined)
    .sort((x, y) => (x.at === y.at ? y.id.localeCompare(x.id) : x.at < y.at ? 1 : -1));
  let startIndex = 0;
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    const at = rows.findIndex((s) => s.at === after.value && s.id === after.id);
    if (at < 0) {
      throw new ValidationError('cursor', 'is not a cursor this list returned');
    }
    startIndex = at + 1;
  }
  const page = rows.slice(startIndex, startIndex + query.limit);
  const last = page[page.length - 1];
  const hasMore = startIndex + query.limit < rows.length;
  return {
    items: page.map((s) => ({
      id: s.id,
      client: { id: s.clientId, name: s.clientName },
      quarter: quarterOf(s.at),
      completedAt: s.at,
      nps: s.nps,
      satisfaction: s.satisfaction,
      countsFor: counts.get(s.id) ?? [],
    })),
    nextCursor: hasMore && last ? encodeCursor(last.at, last.id) : null,
    suppressed: false,
  };
}
