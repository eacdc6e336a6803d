import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { visibleActions } from '../actions/access.js';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import type { ClientStatus } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { requirePermission, visibleClients } from '../http/access.js';
import { NotFoundError } from '../http/errors.js';
import { contactShown, visibleInsights } from '../insights/access.js';
import { todayUtc } from '../insights/insights.js';
import { visibleSessions } from '../listening/access.js';
import { HELD_STATUSES } from '../listening/session-states.js';
import { standings } from '../relationships/check-ins.js';
import { visibleProblems } from '../relationships/problems.js';
import { type ServiceContext, systemContext } from '../server/context.js';
import type { Answer } from './counting.js';
import { filteredClients, resolveAnalyticsFilters } from './filters.js';
import {
  BAND_FLOORS,
  compareRisk,
  computeHealth,
  DEFAULT_HEALTH_WEIGHTS,
  type Health,
  type HealthSignals,
  type HealthWeights,
  LOOKBACK_DAYS,
  parseHealthWeights,
  type Severity,
  singleThreadWarnings,
  validateHealthWeights,
} from './health.js';
import type { ClientHealth, HealthList, HealthListQuery, HealthSettings, HealthWeightsBody } from './health-schemas.js';

/** The settings key of the health weights (JSON object of weight → points). */
export const HEALTH_WEIGHTS_KEY = 'health.weights';

export const HEALTH_RULES =
  'Each client starts at 100; each warning sign takes off its weight in points (per occurrence), never below 0: ' +
  'latest NPS a detractor or a passive and NPS falling quarter on quarter (the counting rule: latest answer per quarter), latest satisfaction 6/10 or lower, ' +
  `open concerns and risks by severity (heard in the last ${LOOKBACK_DAYS} days, no action on them done), overdue actions, check-in cadence red, ` +
  `no held session for over ${LOOKBACK_DAYS} days (or never), unresolved problems, key contacts who left in the last ${LOOKBACK_DAYS} days, ` +
  'and fees falling (the latest recorded change of annual fees lowered them; clients keep no other fee history). ' +
  `Bands: healthy from ${BAND_FLOORS.healthy}, watch from ${BAND_FLOORS.watch}, at risk below. Only what you may see is counted.`;

export async function readHealthWeights(db: Db): Promise<HealthWeights> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', HEALTH_WEIGHTS_KEY).executeTakeFirst();
  return parseHealthWeights(row?.value);
}

interface ClientBase {
  id: string;
  name: string;
  status: ClientStatus;
  isKeyClient: boolean;
  annualFees: number | null;
}

interface ContactHealthRow {
  contact: { id: string; name: string };
  jobTitle: string | null;
  isDecisionMaker: boolean;
  lastHeardOn: string | null;
  health: Health;
}

interface ClientHealthRow extends ClientBase {
  health: Health;
  warnings: ReturnType<typeof singleThreadWarnings>;
  contacts: ContactHealthRow[];
}

const HELD = [...HELD_STATUSES];
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
const minusDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00.000Z`) - days * 86_400_000).toISOString().slice(0, 10);

/**
 * Computes the health of the given clients as `ctx.actor` may see them: sessions, insights,
 * actions and problems are read through their own visibility rules inside SQL. With
 * `snapshotView` (the system taking daily snapshots), programme-only insights are left out, so
 * the stored history never carries what most readers may not see.
 */
async function computeClientHealth(
  ctx: ServiceContext,
  clients: ClientBase[],
  today: string,
  weights: HealthWeights,
  opts: { contacts?: boolean; snapshotView?: boolean } = {},
): Promise<ClientHealthRow[]> {
  const { db, actor } = ctx;
  const out: ClientHealthRow[] = [];
  const since = minusDays(today, LOOKBACK_DAYS);
  for (let i = 0; i < clients.length; i += 500) {
    const chunk = clients.slice(i, i + 500);
    const ids = chunk.map((c) => c.id);
    const [sessions, concerns, actions, problems, contacts, partners, feeAudits, cadence] = await Promise.all([
      db
        .selectFrom('listening_sessions')
        .select([
          'listening_sessions.id',
          'listening_sessions.client_id',
          'listening_sessions.nps',
          'listening_sessions.satisfaction',
          'listening_sessions.completed_at',
        ])
        .where('listening_sessions.client_id', 'in', ids)
        .where('listening_sessions.status', 'in', HELD)
        .where('listening_sessions.completed_at', 'is not', null)
        .where(visibleSessions(actor))
        .execute(),
      db
        .selectFrom('insights')
        .select(['insights.id', 'insights.client_id', 'insights.severity'])
        .select((eb) => eb.case().when(contactShown(actor)(eb)).then(eb.ref('insights.contact_id')).else(null).end().as('contact_id'))
        .where('insights.client_id', 'in', ids)
        .where('insights.type', 'in', ['concern', 'risk'])
        .where('insights.heard_on', '>=', since)
        .where(visibleInsights(actor))
        .$if(opts.snapshotView === true, (qb) => qb.where('insights.confidentiality', '!=', 'programme_only'))
        .where((eb) =>
          eb.not(
            eb.exists(eb.selectFrom('actions').select('actions.id').whereRef('actions.insight_id', '=', 'insights.id').where('actions.status', '=', 'done')),
          ),
        )
        .orderBy('insights.heard_on')
        .orderBy('insights.id')
        .execute(),
      db
        .selectFrom('actions')
        .select(['actions.id', 'actions.client_id'])
        .where('actions.client_id', 'in', ids)
        .where('actions.status', 'in', ['open', 'in_progress'])
        .where('actions.due_on', '<', today)
        .where(visibleActions(actor))
        .orderBy('actions.due_on')
        .orderBy('actions.id')
        .execute(),
      db
        .selectFrom('problems')
        .select(['problems.id', 'problems.client_id'])
        .where('problems.client_id', 'in', ids)
        .where('problems.status', 'in', ['open', 'investigating'])
        .where(visibleProblems(actor))
        .orderBy('problems.reported_on')
        .orderBy('problems.id')
        .execute(),
      db
        .selectFrom('contacts')
        .select(['id', 'client_id', 'name', 'job_title', 'is_decision_maker', 'left_on'])
        .where('client_id', 'in', ids)
        .orderBy('name')
        .orderBy('id')
        .execute(),
      db.selectFrom('client_team').select(['client_id', 'user_id']).where('client_id', 'in', ids).where('team_role', '=', 'relationship_partner').execute(),
      db
        .selectFrom('audit_log')
        .select(['entity_id', 'at', 'changes'])
        .where('entity', '=', 'client')
        .where('action', '=', 'client.update')
        .where('entity_id', 'in', ids)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .execute(),
      standings(
        db,
        chunk.filter((c) => c.status === 'active').map((c) => ({ id: c.id, name: c.name, isKeyClient: c.isKeyClient })),
        today,
      ),
    ]);

    const sessionContacts = new Map<string, string[]>();
    if (opts.contacts && sessions.length > 0) {
      const links = await db
        .selectFrom('session_contacts')
        .select(['session_id', 'contact_id'])
        .where(
          'session_id',
          'in',
          sessions.map((s) => s.id),
        )
        .execute();
      for (const l of links) {
        sessionContacts.set(l.contact_id, [...(sessionContacts.get(l.contact_id) ?? []), l.session_id]);
      }
    }
    const cadenceOf = new Map(cadence.map((s) => [s.client.id, s.standing.status]));
    const feeChangeOf = new Map<string, HealthSignals['feeChange']>();
    for (const a of feeAudits) {
      if (feeChangeOf.has(a.entity_id)) {
        continue;
      }
      try {
        const change = (JSON.parse(a.changes) as Record<string, [unknown, unknown]>).annualFees;
        if (change && typeof change[0] === 'number' && typeof change[1] === 'number') {
          feeChangeOf.set(a.entity_id, { before: change[0], after: change[1], on: iso(a.at).slice(0, 10) });
        }
      } catch {
        // an unreadable audit row says nothing about fees
      }
    }

    for (const c of chunk) {
      const mySessions = sessions.filter((s) => s.client_id === c.id);
      const answers = (list: typeof sessions, key: 'nps' | 'satisfaction', as: string): Answer[] =>
        list.flatMap((s) => (s[key] === null ? [] : [{ sessionId: s.id, clientId: as, at: iso(s.completed_at), value: Number(s[key]) }]));
      const myConcerns = concerns.filter((x) => x.client_id === c.id);
      const myContacts = contacts.filter((k) => k.client_id === c.id);
      const lastListened = mySessions.reduce<string | null>((last, s) => {
        const day = iso(s.completed_at).slice(0, 10);
        return last === null || day > last ? day : last;
      }, null);
      const signals: HealthSignals = {
        nps: answers(mySessions, 'nps', c.id),
        satisfaction: answers(mySessions, 'satisfaction', c.id),
        concerns: myConcerns.map((x) => ({ id: x.id, severity: x.severity as Severity })),
        overdueActions: actions.filter((a) => a.client_id === c.id).map((a) => ({ id: a.id })),
        cadence: cadenceOf.get(c.id) ?? null,
        lastListenedOn: lastListened,
        openProblems: problems.filter((p) => p.client_id === c.id).map((p) => ({ id: p.id })),
        contactsLeft: myContacts
          .filter((k) => toBool(k.is_decision_maker) && k.left_on !== null && k.left_on >= since && k.left_on <= today)
          .map((k) => ({ id: k.id, name: k.name, leftOn: k.left_on as string })),
        feeChange: feeChangeOf.get(c.id) ?? null,
      };
      const active = myContacts.filter((k) => k.left_on === null || k.left_on > today);
      const contactRows: ContactHealthRow[] = opts.contacts
        ? active.map((k) => {
            const theirs = new Set(sessionContacts.get(k.id) ?? []);
            const heard = mySessions.filter((s) => theirs.has(s.id));
            const lastHeardOn = heard.reduce<string | null>((last, s) => {
              const day = iso(s.completed_at).slice(0, 10);
              return last === null || day > last ? day : last;
            }, null);
            const contactSignals: HealthSignals = {
              nps: answers(heard, 'nps', k.id),
              satisfaction: answers(heard, 'satisfaction', k.id),
              concerns: myConcerns.filter((x) => x.contact_id === k.id).map((x) => ({ id: x.id, severity: x.severity as Severity })),
              overdueActions: [],
              cadence: null,
              openProblems: [],
              contactsLeft: [],
              feeChange: null,
            };
            return {
              contact: { id: k.id, name: k.name },
              jobTitle: k.job_title,
              isDecisionMaker: toBool(k.is_decision_maker),
              lastHeardOn,
              health: computeHealth(contactSignals, weights, today),
            };
          })
        : [];
      out.push({
        ...c,
        health: computeHealth(signals, weights, today),
        warnings: singleThreadWarnings(active.length, partners.filter((p) => p.client_id === c.id).length),
        contacts: contactRows,
      });
    }
  }
  return out;
}

/**
 * The clients the reader reaches (as analyticsReach): walls always apply; partners and members
 * (`analytics.read: client_team`) only clients on whose relationship team they sit.
 */
function reachedClients(ctx: ServiceContext) {
  const { actor } = ctx;
  const scope = requirePermission(actor, 'analytics', 'read');
  return ctx.db
    .selectFrom('clients')
    .select(['clients.id', 'clients.name', 'clients.status', 'clients.is_key_client', 'clients.annual_fees'])
    .where(visibleClients(actor))
    .$if(scope !== 'any' && actor.role !== 'system', (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('client_team')
            .select(sql.lit(1).as('one'))
            .whereRef('client_team.client_id', '=', 'clients.id')
            .where('client_team.user_id', '=', actor.id ?? ''),
        ),
      ),
    );
}

const clientBase = (r: { id: string; name: string; status: ClientStatus; is_key_client: unknown; annual_fees: number | null }): ClientBase => ({
  id: r.id,
  name: r.name,
  status: r.status,
  isKeyClient: toBool(r.is_key_client as boolean | number),
  annualFees: r.annual_fees === null ? null : Number(r.annual_fees),
});

const listItem = (r: ClientHealthRow) => ({
  client: { id: r.id, name: r.name },
  status: r.status,
  isKeyClient: r.isKeyClient,
  annualFees: r.annualFees,
  score: r.health.score,
  band: r.health.band,
  reasons: r.health.reasons,
  warnings: r.warnings,
});

/**
 * The early-warning list: the active clients the reader reaches (partners and members: their
 * own; walls always apply), filtered by the shared analytics filters, lowest score first and,
 * among equal scores, the most fees at stake first.
 */
export async function healthList(ctx: ServiceContext, query: HealthListQuery, today = todayUtc()): Promise<HealthList> {
  requirePermission(ctx.actor, 'analytics', 'read');
  const filters = await resolveAnalyticsFilters(ctx, query);
  const rows = await reachedClients(ctx).where('clients.status', '=', 'active').where(filteredClients(filters)).execute();
  const weights = await readHealthWeights(ctx.db);
  const all = (await computeClientHealth(ctx, rows.map(clientBase), today, weights))
    .filter((r) => !query.band || r.health.band === query.band)
    .sort((a, b) => compareRisk({ ...a, score: a.health.score }, { ...b, score: b.health.score }));
  const page = all.slice(query.offset, query.offset + query.limit);
  const feesIn = (band: string) => all.filter((r) => r.health.band === band).reduce((sum, r) => sum + (r.annualFees ?? 0), 0);
  return {
    today,
    rules: HEALTH_RULES,
    bandFloors: { ...BAND_FLOORS },
    items: page.map(listItem),
    total: all.length,
    limit: query.limit,
    offset: query.offset,
    nextOffset: query.offset + query.limit < all.length ? query.offset + query.limit : null,
    feesAtStake: { watch: feesIn('watch'), atRisk: feesIn('at_risk') },
  };
}

/**
 * One client's health: score, reasons, each active contact's health and the single-threaded
 * warnings, with the trend of daily snapshots (last year). A client the reader does not reach
 * is a 404, whether it does not exist or is walled. Snapshots leave programme-only insights out
 * (see takeHealthSnapshots); the trend is shown only to readers with firm-wide analytics.
 */
export async function clientHealth(ctx: ServiceContext, clientId: string, today = todayUtc()): Promise<ClientHealth> {
  const scope = requirePermission(ctx.actor, 'analytics', 'read');
  const row = await reachedClients(ctx).where('clients.id', '=', clientId).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Client');
  }
  const weights = await readHealthWeights(ctx.db);
  const [r] = await computeClientHealth(ctx, [clientBase(row)], today, weights, { contacts: true });
  if (!r) {
    throw new NotFoundError('Client');
  }
  const trend =
    scope === 'any'
      ? await ctx.db
          .selectFrom('health_snapshots')
          .select(['taken_on', 'score', 'band'])
          .where('client_id', '=', clientId)
          .where('taken_on', '>', minusDays(today, 366))
          .orderBy('taken_on')
          .execute()
      : [];
  return {
    ...listItem(r),
    today,
    rules: HEALTH_RULES,
    contacts: r.contacts.map((k) => ({
      contact: k.contact,
      jobTitle: k.jobTitle,
      isDecisionMaker: k.isDecisionMaker,
      lastHeardOn: k.lastHeardOn,
      score: k.health.score,
      band: k.health.band,
      reasons: k.health.reasons,
    })),
    trend: trend.map((t) => ({ takenOn: iso(t.taken_on).slice(0, 10), score: Number(t.score), band: t.band as ClientHealth['band'] })),
  };
}

// ------------------------------------------------------------------ snapshots

/**
 * Stores today's health of every active client (one row per client and day). Idempotent: a
 * client already snapshotted today is left as it is. Computed as the system sees the firm, but
 * without programme-only insights, so the history never carries what most readers may not see.
 */
export async function takeHealthSnapshots(db: Db, today = todayUtc()): Promise<{ taken: number; skipped: number }> {
  const ctx = systemContext(db, 'health snapshot');
  const rows = await db.selectFrom('clients').select(['id', 'name', 'status', 'is_key_client', 'annual_fees']).where('status', '=', 'active').execute();
  const done = new Set((await db.selectFrom('health_snapshots').select('client_id').where('taken_on', '=', today).execute()).map((r) => r.client_id));
  const todo = rows.filter((r) => !done.has(r.id)).map(clientBase);
  const weights = await readHealthWeights(db);
  const healths = await computeClientHealth(ctx, todo, today, weights, { snapshotView: true });
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < healths.length; i += 200) {
      const values = healths.slice(i, i + 200).map((h) => ({
        id: uuidv7(),
        client_id: h.id,
        taken_on: today,
        score: h.health.score,
        band: h.health.band,
        reasons: JSON.stringify(h.health.reasons),
        created_at: now,
      }));
      await trx
        .insertInto('health_snapshots')
        .values(values)
        .onConflict((oc) => oc.columns(['client_id', 'taken_on']).doNothing())
        .execute();
    }
  });
  return { taken: healths.length, skipped: done.size };
}

/** Takes the day's snapshots shortly after start and then every few hours (idempotent per day); never holds the process open. */
export function startHealthSnapshotScheduler(
  db: Db,
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void },
  everyMs = 6 * 60 * 60 * 1000,
) {
  const run = async () => {
    try {
      const report = await takeHealthSnapshots(db);
      if (report.taken > 0) {
        log.info(report, 'client health snapshots');
      }
    } catch (err) {
      log.error({ err }, 'client health snapshots failed');
    }
  };
  const first = setTimeout(() => void run(), 90 * 1000);
  first.unref();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

// ------------------------------------------------------------------ settings

export async function getHealthSettings(ctx: ServiceContext): Promise<HealthSettings> {
  requirePermission(ctx.actor, 'setting', 'read');
  return { weights: await readHealthWeights(ctx.db), defaults: { ...DEFAULT_HEALTH_WEIGHTS } };
}

/** Replaces the weights (those left out go back to their defaults); admins only, audited. */
export async function putHealthSettings(ctx: ServiceContext, input: HealthWeightsBody): Promise<HealthSettings> {
  requirePermission(ctx.actor, 'setting', 'update');
  const weights = validateHealthWeights(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
  return ctx.db.transaction().execute(async (trx) => {
    const before = await readHealthWeights(trx);
    const value = JSON.stringify(weights);
    const now = nowIso();
    await trx
      .insertInto('settings')
      .values({ key: HEALTH_WEIGHTS_KEY, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
    await recordAudit({ ...ctx, db: trx }, { action: 'settings.health.update', entity: 'settings', entityId: 'health', before, after: weights });
    return { weights, defaults: { ...DEFAULT_HEALTH_WEIGHTS } };
  });
}
