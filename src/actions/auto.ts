import type { Db } from '../db/connect.js';
import type { InsightRow } from '../db/schema.js';
import type { ServiceContext } from '../server/context.js';
import { insertAction } from './actions.js';
import { addDays, isDetractor, todayUtc } from './loop.js';
import { readLoopSettings } from './settings.js';

/**
 * Actions the loop raises by itself: a follow-up for the relationship partner on every
 * detractor answer (NPS 0–6) and on every high-severity concern, when the settings say so.
 * Each runs inside the caller's transaction, so the trigger and its action stand or fall
 * together, and is audited as the system ("loop") under the request's id.
 */

export type AutoResult = { raised: true; actionId: string } | { raised: false; reason: string };

/**
 * Who follows up on a client: its first relationship partner by name (active); else the owner of
 * the programme (the session's, else the most recent active one); else an active programme lead.
 */
export async function followUpOwner(db: Db, clientId: string, programmeId: string | null = null): Promise<string | undefined> {
  const partner = await db
    .selectFrom('client_team')
    .innerJoin('users', 'users.id', 'client_team.user_id')
    .select('users.id')
    .where('client_team.client_id', '=', clientId)
    .where('client_team.team_role', '=', 'relationship_partner')
    .where('users.active', '=', true)
    .orderBy('users.name')
    .orderBy('users.id')
    .executeTakeFirst();
  if (partner) {
    return partner.id;
  }
  return programmeLead(db, programmeId);
}

/** The programme lead: the owner of the given programme, else of the most recent active one, else any active programme lead. */
export async function programmeLead(db: Db, programmeId: string | null = null): Promise<string | undefined> {
  const owner = await db
    .selectFrom('programmes')
    .innerJoin('users', 'users.id', 'programmes.owner_id')
    .select('users.id')
    .where('users.active', '=', true)
    .where('users.role', '!=', 'external')
    .where((eb) => (programmeId ? eb('programmes.id', '=', programmeId) : eb('programmes.status', '=', 'active')))
    .orderBy('programmes.starts_on', 'desc')
    .orderBy('programmes.id', 'desc')
    .executeTakeFirst();
  if (owner) {
    return owner.id;
  }
  if (programmeId) {
    return programmeLead(db, null);
  }
  const lead = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'programme_lead')
    .where('active', '=', true)
    .orderBy('name')
    .orderBy('id')
    .executeTakeFirst();
  return lead?.id;
}

function loopContext(ctx: ServiceContext): ServiceContext {
  return { db: ctx.db, actor: { id: null, role: 'system', name: 'loop', email: null }, requestId: ctx.requestId };
}

/**
 * Called when a session's NPS is saved (listening capture, putScores), inside its transaction.
 * Raises one follow-up per session: re-saving the score, or changing it to another detractor
 * score, does not raise another.
 */
export async function raiseForDetractor(ctx: ServiceContext, sessionId: string, now = new Date()): Promise<AutoResult> {
  const { db } = ctx;
  const session = await db
    .selectFrom('listening_sessions')
    .innerJoin('clients', 'clients.id', 'listening_sessions.client_id')
    .select([
      'listening_sessions.id',
      'listening_sessions.client_id',
      'listening_sessions.programme_id',
      'listening_sessions.nps',
      'clients.name as client_name',
    ])
    .where('listening_sessions.id', '=', sessionId)
    .executeTakeFirst();
  if (!session || !isDetractor(session.nps)) {
    return { raised: false, reason: 'not a detractor score' };
  }
  const settings = await readLoopSettings(db);
  if (!settings.autoActionOnDetractor) {
    return { raised: false, reason: 'automatic actions on detractor scores are switched off' };
  }
  const existing = await db.selectFrom('actions').select('id').where('session_id', '=', sessionId).where('origin', '=', 'detractor').executeTakeFirst();
  if (existing) {
    return { raised: false, reason: 'this session already has a detractor follow-up' };
  }
  const ownerId = await followUpOwner(db, session.client_id, session.programme_id);
  if (!ownerId) {
    return { raised: false, reason: 'the client has no relationship partner and there is no programme lead' };
  }
  const contact = await db
    .selectFrom('session_contacts')
    .innerJoin('contacts', 'contacts.id', 'session_contacts.contact_id')
    .select('contacts.name')
    .where('session_contacts.session_id', '=', sessionId)
    .orderBy('contacts.name')
    .executeTakeFirst();
  const actionId = await insertAction(loopContext(ctx), {
    clientId: session.client_id,
    title: `Follow up: detractor score (NPS ${session.nps}) from ${contact?.name ?? session.client_name}`,
    description: 'Raised automatically when a detractor score (NPS 0–6) was recorded in a listening session.',
    ownerId,
    dueOn: addDays(todayUtc(now), settings.autoActionDueDays),
    priority: 'high',
    origin: 'detractor',
    insightId: null,
    sessionId,
  });
  return { raised: true, actionId };
}

/**
 * For the insights module: call when an insight is created (inside its transaction, with the
 * transaction's context). Raises a follow-up for a concern of high severity, once per insight.
 */
export async function raiseForHighConcern(
  ctx: ServiceContext,
  insight: Pick<InsightRow, 'id' | 'client_id' | 'type' | 'severity' | 'summary' | 'session_id'>,
  now = new Date(),
): Promise<AutoResult> {
  const { db } = ctx;
  if (insight.type !== 'concern' || insight.severity !== 'high') {
    return { raised: false, reason: 'not a high-severity concern' };
  }
  const settings = await readLoopSettings(db);
  if (!settings.autoActionOnHighConcern) {
    return { raised: false, reason: 'automatic actions on high-severity concerns are switched off' };
  }
  const existing = await db.selectFrom('actions').select('id').where('insight_id', '=', insight.id).where('origin', '=', 'high_concern').executeTakeFirst();
  if (existing) {
    return { raised: false, reason: 'this concern already has a follow-up' };
  }
  const ownerId = await followUpOwner(db, insight.client_id);
  if (!ownerId) {
    return { raised: false, reason: 'the client has no relationship partner and there is no programme lead' };
  }
  const summary = insight.summary.length > 120 ? `${insight.summary.slice(0, 117)}…` : insight.summary;
  const actionId = await insertAction(loopContext(ctx), {
    clientId: insight.client_id,
    title: `Follow up: high-severity concern: ${summary}`,
    description: 'Raised automatically when a high-severity concern was recorded.',
    ownerId,
    dueOn: addDays(todayUtc(now), settings.autoActionDueDays),
    priority: 'high',
    origin: 'high_concern',
    insightId: insight.id,
    sessionId: insight.session_id,
  });
  return { raised: true, actionId };
}
