import { visibleActions } from '../actions/access.js';
import { yieldToEventLoop } from '../db/batching.js';
import type { Db } from '../db/connect.js';
import type { ClientStatus } from '../db/schema.js';
import { isoTimestamp, toBool } from '../db/values.js';
import { contactShown, visibleInsights } from '../insights/access.js';
import { visibleSessions } from '../listening/access.js';
import { HELD_STATUSES } from '../listening/session-states.js';
import { standings } from '../relationships/check-ins.js';
import { visibleProblems } from '../relationships/problems.js';
import type { ServiceContext } from '../server/context.js';
import type { Answer } from './counting.js';
import {
  computeHealth,
  type Health,
  type HealthSignals,
  type HealthWeights,
  LOOKBACK_DAYS,
  parseHealthWeights,
  type Severity,
  singleThreadWarnings,
} from './health.js';

/**
 * Gathers each client's health signals (as `ctx.actor` may see them) and scores them: the
 * database side of health.ts. Used live for one client or a partner's few, and for the whole
 * firm by the health cache (health-cache.ts).
 */

export interface ClientBase {
  id: string;
  name: string;
  status: ClientStatus;
  isKeyClient: boolean;
  annualFees: number | null;
}

export interface ContactHealthRow {
  contact: { id: string; name: string };
  jobTitle: string | null;
  isDecisionMaker: boolean;
  lastHeardOn: string | null;
  health: Health;
}

export interface ClientHealthRow extends ClientBase {
  health: Health;
  /** With `bothViews`: the health counting programme-only concerns too (`health` leaves them out). */
  programmeHealth?: Health;
  warnings: ReturnType<typeof singleThreadWarnings>;
  contacts: ContactHealthRow[];
}

/** The settings key of the health weights (JSON object of weight → points). */
export const HEALTH_WEIGHTS_KEY = 'health.weights';

export async function readHealthWeights(db: Db): Promise<HealthWeights> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', HEALTH_WEIGHTS_KEY).executeTakeFirst();
  return parseHealthWeights(row?.value);
}

const HELD = [...HELD_STATUSES];
export const minusDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00.000Z`) - days * 86_400_000).toISOString().slice(0, 10);

export const clientBase = (r: { id: string; name: string; status: ClientStatus; is_key_client: unknown; annual_fees: number | null }): ClientBase => ({
  id: r.id,
  name: r.name,
  status: r.status,
  isKeyClient: toBool(r.is_key_client as boolean | number),
  annualFees: r.annual_fees === null ? null : Number(r.annual_fees),
});

function byClient<T extends { client_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.client_id);
    if (list) {
      list.push(r);
    } else {
      out.set(r.client_id, [r]);
    }
  }
  return out;
}

/**
 * Computes the health of the given clients as `ctx.actor` may see them: sessions, insights,
 * actions and problems are read through their own visibility rules inside SQL. With
 * `snapshotView` (the system taking daily snapshots), programme-only insights are left out, so
 * the stored history never carries what most readers may not see. With `bothViews` (the system
 * filling the health cache), `health` leaves them out and `programmeHealth` counts them.
 */
export async function computeClientHealth(
  ctx: ServiceContext,
  clients: ClientBase[],
  today: string,
  weights: HealthWeights,
  opts: { contacts?: boolean; snapshotView?: boolean; bothViews?: boolean } = {},
): Promise<ClientHealthRow[]> {
  const { db, actor } = ctx;
  const out: ClientHealthRow[] = [];
  const since = minusDays(today, LOOKBACK_DAYS);
  for (let i = 0; i < clients.length; i += 500) {
    if (i > 0) {
      await yieldToEventLoop();
    }
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
        .select(['insights.id', 'insights.client_id', 'insights.severity', 'insights.confidentiality'])
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
          feeChangeOf.set(a.entity_id, { before: change[0], after: change[1], on: isoTimestamp(a.at).slice(0, 10) });
        }
      } catch {
        // an unreadable audit row says nothing about fees
      }
    }
    const sessionsOf = byClient(sessions);
    const concernsOf = byClient(concerns);
    const actionsOf = byClient(actions);
    const problemsOf = byClient(problems);
    const contactsOf = byClient(contacts);
    const partnersOf = byClient(partners);

    for (const c of chunk) {
      const mySessions = sessionsOf.get(c.id) ?? [];
      const answers = (list: typeof sessions, key: 'nps' | 'satisfaction', as: string): Answer[] =>
        list.flatMap((s) => (s[key] === null ? [] : [{ sessionId: s.id, clientId: as, at: isoTimestamp(s.completed_at), value: Number(s[key]) }]));
      const allConcerns = concernsOf.get(c.id) ?? [];
      const myConcerns = opts.bothViews ? allConcerns.filter((x) => x.confidentiality !== 'programme_only') : allConcerns;
      const myContacts = contactsOf.get(c.id) ?? [];
      const lastListened = mySessions.reduce<string | null>((last, s) => {
        const day = isoTimestamp(s.completed_at).slice(0, 10);
        return last === null || day > last ? day : last;
      }, null);
      const signals: HealthSignals = {
        nps: answers(mySessions, 'nps', c.id),
        satisfaction: answers(mySessions, 'satisfaction', c.id),
        concerns: myConcerns.map((x) => ({ id: x.id, severity: x.severity as Severity })),
        overdueActions: (actionsOf.get(c.id) ?? []).map((a) => ({ id: a.id })),
        cadence: cadenceOf.get(c.id) ?? null,
        lastListenedOn: lastListened,
        openProblems: (problemsOf.get(c.id) ?? []).map((p) => ({ id: p.id })),
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
              const day = isoTimestamp(s.completed_at).slice(0, 10);
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
        ...(opts.bothViews
          ? {
              programmeHealth: computeHealth(
                { ...signals, concerns: allConcerns.map((x) => ({ id: x.id, severity: x.severity as Severity })) },
                weights,
                today,
              ),
            }
          : {}),
        warnings: singleThreadWarnings(active.length, (partnersOf.get(c.id) ?? []).length),
        contacts: contactRows,
      });
    }
  }
  return out;
}
