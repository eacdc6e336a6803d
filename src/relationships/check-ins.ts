import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { createAction } from '../actions/actions.js';
import type { ActionView } from '../actions/schemas.js';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import { decodeCursor, type Page, toPage } from '../db/pagination.js';
import type { ClientTeamRole, Database } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { loadVisibleClient, scopeFor, scopeSatisfied, visibleClients } from '../http/access.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import { visibleInsights } from '../insights/access.js';
import { createInsight, todayUtc } from '../insights/insights.js';
import type { Insight } from '../insights/schemas.js';
import type { Actor, ServiceContext } from '../server/context.js';
import { type CadenceRule, type CadenceStatus, cadenceStatus, compareOverdue, parseCadenceSetting } from './cadence.js';
import type {
  Cadence,
  CadencePutBody,
  CheckIn,
  CheckInActionBody,
  CheckInCreateBody,
  CheckInInsightBody,
  CheckInListQuery,
  CheckInUpdateBody,
  DueItem,
  LastInteraction,
} from './check-in-schemas.js';
import { answerRecoveryCheck } from './recovery-checks.js';

type Resource = 'check_in' | 'cadence';
type Act = 'read' | 'create' | 'update';

function mayOn(actor: Actor, resource: Resource, action: Act, teamRole: ClientTeamRole | undefined): boolean {
  // Cadences are read and updated, never created on their own.
  const scope = resource === 'check_in' ? scopeFor(actor.role, 'check_in', action) : action === 'create' ? undefined : scopeFor(actor.role, 'cadence', action);
  return scope !== undefined && scopeSatisfied(scope, teamRole);
}

/** One client's check-in or cadence rules: a client the actor may not see is a 404, one they see but may not do this on a 403. */
async function requireClient(ctx: ServiceContext, clientId: string, resource: Resource, action: Act) {
  const { actor } = ctx;
  const row = await loadVisibleClient(ctx, clientId);
  const teamRole = row.team_role ?? undefined;
  if (!mayOn(actor, resource, action, teamRole)) {
    throw new ForbiddenError();
  }
  return { client: { id: row.id, name: row.name, isKeyClient: toBool(row.is_key_client) }, teamRole };
}

/** Check-ins the reader may read, decided in SQL: the client is visible and the role reaches it. */
export function visibleCheckIns(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'check_ins'>): Expression<SqlBool> => {
    if (actor.role === 'system') {
      return eb.lit(true);
    }
    const scope = scopeFor(actor.role, 'check_in', 'read');
    if (!scope || actor.id === null) {
      return eb.lit(false);
    }
    const conditions = [
      eb.exists(
        eb
          .selectFrom('clients')
          .select(sql.lit(1).as('one'))
          .whereRef('clients.id', '=', 'check_ins.client_id')
          .where((c) => visibleClients(actor)(c as unknown as ExpressionBuilder<Database, 'clients'>)),
      ),
    ];
    if (scope !== 'any') {
      conditions.push(
        eb.exists(
          eb
            .selectFrom('client_team')
            .select(sql.lit(1).as('one'))
            .whereRef('client_team.client_id', '=', 'check_ins.client_id')
            .where('client_team.user_id', '=', actor.id)
            .$if(scope === 'relationship_partner', (qb) => qb.where('client_team.team_role', '=', 'relationship_partner')),
        ),
      );
    }
    return eb.and(conditions);
  };
}

function checkInRows(db: Db, actor: Actor) {
  return db
    .selectFrom('check_ins')
    .innerJoin('clients', 'clients.id', 'check_ins.client_id')
    .leftJoin('contacts', 'contacts.id', 'check_ins.contact_id')
    .leftJoin('users', 'users.id', 'check_ins.held_by')
    .select([
      'check_ins.id',
      'check_ins.client_id',
      'clients.name as client_name',
      'check_ins.contact_id',
      'contacts.name as contact_name',
      'check_ins.held_on',
      'check_ins.channel',
      'check_ins.held_by',
      'users.name as held_by_name',
      'check_ins.likes',
      'check_ins.one_thing_better',
      'check_ins.notes',
      'check_ins.recovery_for_insight_id',
      'check_ins.recovery_fixed',
      'check_ins.created_at',
      'check_ins.updated_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('client_team')
        .select('client_team.team_role')
        .whereRef('client_team.client_id', '=', 'check_ins.client_id')
        .where('client_team.user_id', '=', actor.id ?? '')
        .as('actor_team_role'),
    )
    .where(visibleCheckIns(actor));
}

type CheckInJoinedRow = Awaited<ReturnType<ReturnType<typeof checkInRows>['executeTakeFirstOrThrow']>>;

/** Edit or delete: POLICY check_in.update, or whoever logged it. */
function mayChange(actor: Actor, heldBy: string | null, teamRole: ClientTeamRole | undefined): boolean {
  return mayOn(actor, 'check_in', 'update', teamRole) || (actor.id !== null && heldBy === actor.id);
}

function toCheckIn(actor: Actor, r: CheckInJoinedRow): CheckIn {
  const change = mayChange(actor, r.held_by, (r.actor_team_role ?? undefined) as ClientTeamRole | undefined);
  return {
    id: r.id,
    client: { id: r.client_id, name: r.client_name },
    contact: r.contact_id ? { id: r.contact_id, name: r.contact_name ?? '' } : null,
    heldOn: r.held_on,
    channel: r.channel,
    heldBy: r.held_by ? { id: r.held_by, name: r.held_by_name ?? '' } : null,
    likes: r.likes,
    oneThingBetter: r.one_thing_better,
    notes: r.notes,
    recovery: r.recovery_for_insight_id && r.recovery_fixed !== null ? { insightId: r.recovery_for_insight_id, fixed: toBool(r.recovery_fixed) } : null,
    abilities: { edit: change, delete: change },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

async function loadCheckIn(ctx: ServiceContext, id: string): Promise<CheckInJoinedRow> {
  const row = await checkInRows(ctx.db, ctx.actor).where('check_ins.id', '=', id).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Check-in');
  }
  return row;
}

export async function getCheckIn(ctx: ServiceContext, id: string): Promise<CheckIn> {
  return toCheckIn(ctx.actor, await loadCheckIn(ctx, id));
}

/** Check-ins the actor may read, filtered, newest first, by keyset. */
export async function listCheckIns(ctx: ServiceContext, query: CheckInListQuery): Promise<Page<CheckIn>> {
  if (query.from && query.to && query.from > query.to) {
    throw new ValidationError('to', 'must be on or after from');
  }
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after && typeof after.value !== 'string') {
    throw new ValidationError('cursor', 'is not a cursor this list returned');
  }
  const filtered = checkInRows(ctx.db, ctx.actor)
    .$if(!!query.clientId, (qb) => qb.where('check_ins.client_id', '=', query.clientId ?? ''))
    .$if(!!query.contactId, (qb) => qb.where('check_ins.contact_id', '=', query.contactId ?? ''))
    .$if(!!query.heldBy, (qb) => qb.where('check_ins.held_by', '=', query.heldBy ?? ''))
    .$if(!!query.from, (qb) => qb.where('check_ins.held_on', '>=', query.from ?? ''))
    .$if(!!query.to, (qb) => qb.where('check_ins.held_on', '<=', query.to ?? ''));
  const rows = await filtered
    .$if(!!after, (qb) => qb.where(sql<SqlBool>`(${sql.ref('check_ins.held_on')}, ${sql.ref('check_ins.id')}) < (${after?.value ?? ''}, ${after?.id ?? ''})`))
    .orderBy('check_ins.held_on', 'desc')
    .orderBy('check_ins.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = toPage(
    rows,
    query.limit,
    (r) => r.held_on,
    (r) => toCheckIn(ctx.actor, r),
  );
  if (query.total) {
    const counted = await filtered
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    page.total = Number(counted.n);
  }
  return page;
}

function assertHeldOn(heldOn: string): void {
  if (heldOn > todayUtc()) {
    throw new ValidationError('heldOn', 'must not be in the future');
  }
}

async function assertContact(db: Db, clientId: string, contactId: string | null | undefined): Promise<void> {
  if (!contactId) {
    return;
  }
  const row = await db.selectFrom('contacts').select('id').where('id', '=', contactId).where('client_id', '=', clientId).executeTakeFirst();
  if (!row) {
    throw new ValidationError('contactId', 'is not a contact of this client');
  }
}

/** The audited view: its handling, never the client's words (audit readers may not read check-ins). */
function audited(r: {
  contact_id: string | null;
  held_on: string;
  channel: string;
  held_by: string | null;
  likes: string | null;
  one_thing_better: string | null;
  notes: string | null;
}) {
  return {
    contactId: r.contact_id,
    heldOn: r.held_on,
    channel: r.channel,
    heldBy: r.held_by,
    answeredLikes: r.likes !== null,
    answeredOneThingBetter: r.one_thing_better !== null,
    hasNotes: r.notes !== null,
  };
}

export async function createCheckIn(ctx: ServiceContext, input: CheckInCreateBody): Promise<CheckIn> {
  await requireClient(ctx, input.clientId, 'check_in', 'create');
  assertHeldOn(input.heldOn);
  await assertContact(ctx.db, input.clientId, input.contactId);
  const now = nowIso();
  const row = {
    id: uuidv7(),
    client_id: input.clientId,
    contact_id: input.contactId ?? null,
    held_on: input.heldOn,
    channel: input.channel,
    held_by: ctx.actor.id,
    likes: input.likes ?? null,
    one_thing_better: input.oneThingBetter ?? null,
    notes: input.notes ?? null,
    recovery_for_insight_id: input.recoveryForInsightId ?? null,
    recovery_fixed: input.recoveryForInsightId ? (input.recoveryFixed ?? null) : null,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('check_ins').values(row).execute();
    await recordAudit({ ...ctx, db: trx }, { action: 'check_in.create', entity: 'check_in', entityId: row.id, clientId: row.client_id, after: audited(row) });
    if (input.recoveryForInsightId) {
      // The check-in asked whether a concern is fixed: the waiting recovery check records the answer.
      await answerRecoveryCheck(
        { ...ctx, db: trx },
        {
          clientId: row.client_id,
          insightId: input.recoveryForInsightId,
          checkInId: row.id,
          fixed: input.recoveryFixed === true,
          answer: input.recoveryAnswer ?? null,
        },
      );
    }
  });
  return getCheckIn(ctx, row.id);
}

async function requireChange(ctx: ServiceContext, id: string): Promise<CheckInJoinedRow> {
  const row = await loadCheckIn(ctx, id);
  if (!mayChange(ctx.actor, row.held_by, (row.actor_team_role ?? undefined) as ClientTeamRole | undefined)) {
    throw new ForbiddenError();
  }
  return row;
}

export async function updateCheckIn(ctx: ServiceContext, id: string, input: CheckInUpdateBody): Promise<CheckIn> {
  const current = await requireChange(ctx, id);
  if (input.heldOn !== undefined) {
    assertHeldOn(input.heldOn);
  }
  await assertContact(ctx.db, current.client_id, input.contactId);
  const next = {
    contact_id: input.contactId === undefined ? current.contact_id : input.contactId,
    held_on: input.heldOn ?? current.held_on,
    channel: input.channel ?? current.channel,
    held_by: current.held_by,
    likes: input.likes === undefined ? current.likes : input.likes,
    one_thing_better: input.oneThingBetter === undefined ? current.one_thing_better : input.oneThingBetter,
    notes: input.notes === undefined ? current.notes : input.notes,
  };
  await ctx.db.transaction().execute(async (trx) => {
    const { held_by: _heldBy, ...changes } = next;
    await trx
      .updateTable('check_ins')
      .set({ ...changes, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'check_in.update', entity: 'check_in', entityId: id, clientId: current.client_id, before: audited(current), after: audited(next) },
    );
  });
  return getCheckIn(ctx, id);
}

export async function deleteCheckIn(ctx: ServiceContext, id: string): Promise<void> {
  const current = await requireChange(ctx, id);
  await ctx.db.transaction().execute(async (trx) => {
    // Insights and actions keep their plain check_in_id column: clear it so nothing points nowhere.
    await trx.updateTable('insights').set({ check_in_id: null }).where('check_in_id', '=', id).execute();
    await trx.updateTable('actions').set({ check_in_id: null }).where('check_in_id', '=', id).execute();
    await trx.deleteFrom('check_ins').where('id', '=', id).execute();
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'check_in.delete', entity: 'check_in', entityId: id, clientId: current.client_id, before: audited(current) },
    );
  });
}

// ---------------------------------------------------------------- one step to an insight or action

const FIELD_COLUMN = { likes: 'likes', oneThingBetter: 'one_thing_better', notes: 'notes' } as const;

/** Turns one answer of a check-in into an insight (source check_in), heard on its date from its contact. */
export async function insightFromCheckIn(ctx: ServiceContext, id: string, input: CheckInInsightBody): Promise<Insight> {
  const row = await loadCheckIn(ctx, id);
  const text = row[FIELD_COLUMN[input.field]];
  if (!text) {
    throw new ValidationError('field', 'has no answer on this check-in');
  }
  return createInsight(
    ctx,
    {
      clientId: row.client_id,
      type: input.type,
      severity: input.severity ?? 'medium',
      summary: text.length > 2000 ? `${text.slice(0, 1999)}…` : text,
      quote: null,
      confidentiality: 'attributable',
      contactId: row.contact_id,
      matterId: null,
      source: 'check_in',
      sessionId: null,
      heardOn: row.held_on,
      themeIds: input.themeIds,
    },
    { checkInId: id },
  );
}

/**
 * A follow-up action for a check-in (origin manual, linked to the check-in). When the check-in
 * answered a recovery check, the action is born from that concern too (when the actor sees it),
 * so closing it schedules the next recovery check.
 */
export async function actionFromCheckIn(ctx: ServiceContext, id: string, input: CheckInActionBody): Promise<ActionView> {
  const row = await loadCheckIn(ctx, id);
  const concern = row.recovery_for_insight_id
    ? await ctx.db
        .selectFrom('insights')
        .select('insights.id')
        .where('insights.id', '=', row.recovery_for_insight_id)
        .where(visibleInsights(ctx.actor))
        .executeTakeFirst()
    : undefined;
  return createAction(
    ctx,
    {
      clientId: row.client_id,
      title: input.title,
      description: input.description ?? null,
      ownerId: input.ownerId,
      dueOn: input.dueOn ?? null,
      priority: input.priority ?? 'normal',
      ...(concern && { insightId: concern.id }),
    },
    { checkInId: id },
  );
}

// ---------------------------------------------------------------- cadence

const FALLBACK = { key: { idealDays: 30, maxDays: 60 }, other: { idealDays: 90, maxDays: 180 } };

export async function readCadenceDefaults(db: Db): Promise<{ key: CadenceRule; other: CadenceRule }> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', ['cadence.key_client', 'cadence.other_client']).execute();
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  return {
    key: parseCadenceSetting(byKey.get('cadence.key_client'), FALLBACK.key),
    other: parseCadenceSetting(byKey.get('cadence.other_client'), FALLBACK.other),
  };
}

interface ClientRef {
  id: string;
  name: string;
  isKeyClient: boolean;
}

interface Rules {
  client: Map<string, CadenceRule & { source: 'client' | 'default' }>;
  contact: Map<string, CadenceRule & { source: 'contact' | 'client' | 'default' }>;
  keyContacts: Map<string, { id: string; name: string }[]>;
}

/** The effective cadence of each client and of each of its key contacts. */
async function cadenceRules(db: Db, clients: ClientRef[]): Promise<Rules> {
  const rules: Rules = { client: new Map(), contact: new Map(), keyContacts: new Map() };
  if (clients.length === 0) {
    return rules;
  }
  const ids = clients.map((c) => c.id);
  const defaults = await readCadenceDefaults(db);
  const rows = await db.selectFrom('cadences').select(['client_id', 'contact_id', 'ideal_days', 'max_days']).where('client_id', 'in', ids).execute();
  const own = new Map(rows.filter((r) => r.contact_id === null).map((r) => [r.client_id, { idealDays: r.ideal_days, maxDays: r.max_days }]));
  const ofContact = new Map(rows.filter((r) => r.contact_id !== null).map((r) => [r.contact_id as string, { idealDays: r.ideal_days, maxDays: r.max_days }]));
  for (const c of clients) {
    const mine = own.get(c.id);
    rules.client.set(c.id, mine ? { ...mine, source: 'client' } : { ...(c.isKeyClient ? defaults.key : defaults.other), source: 'default' });
  }
  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'name', 'client_id'])
    .where('client_id', 'in', ids)
    .where('is_decision_maker', '=', true as never)
    .where('left_on', 'is', null)
    .orderBy('name')
    .execute();
  for (const k of contacts) {
    const list = rules.keyContacts.get(k.client_id) ?? [];
    list.push({ id: k.id, name: k.name });
    rules.keyContacts.set(k.client_id, list);
    const mine = ofContact.get(k.id);
    const base = rules.client.get(k.client_id) as CadenceRule & { source: 'client' | 'default' };
    rules.contact.set(k.id, mine ? { ...mine, source: 'contact' } : { idealDays: base.idealDays, maxDays: base.maxDays, source: 'client' });
  }
  return rules;
}

export async function getCadence(ctx: ServiceContext, clientId: string): Promise<Cadence> {
  const { client, teamRole } = await requireClient(ctx, clientId, 'cadence', 'read');
  const rules = await cadenceRules(ctx.db, [client]);
  const own = rules.client.get(client.id) as CadenceRule & { source: 'client' | 'default' };
  return {
    clientId: client.id,
    isKeyClient: client.isKeyClient,
    idealDays: own.idealDays,
    maxDays: own.maxDays,
    source: own.source,
    contacts: (rules.keyContacts.get(client.id) ?? []).map((k) => {
      const r = rules.contact.get(k.id) as CadenceRule & { source: 'contact' | 'client' };
      return { contact: k, idealDays: r.idealDays, maxDays: r.maxDays, source: r.source };
    }),
    abilities: { edit: mayOn(ctx.actor, 'cadence', 'update', teamRole) },
  };
}

/** Sets the client's own cadence and, when `contacts` is given, replaces the key contacts' own ones. */
export async function putCadence(ctx: ServiceContext, clientId: string, input: CadencePutBody): Promise<Cadence> {
  await requireClient(ctx, clientId, 'cadence', 'update');
  const contacts = input.contacts;
  if (contacts) {
    const seen = new Set<string>();
    const known = new Set(
      (
        await ctx.db
          .selectFrom('contacts')
          .select('id')
          .where('client_id', '=', clientId)
          .where(
            'id',
            'in',
            contacts.map((c) => c.contactId),
          )
          .execute()
      ).map((r) => r.id),
    );
    contacts.forEach((c, i) => {
      if (!known.has(c.contactId)) {
        throw new ValidationError(`contacts.${i}.contactId`, 'is not a contact of this client');
      }
      if (seen.has(c.contactId)) {
        throw new ValidationError(`contacts.${i}.contactId`, 'appears more than once');
      }
      seen.add(c.contactId);
    });
  }
  const before = await getCadence(ctx, clientId);
  await ctx.db.transaction().execute(async (trx) => {
    const now = nowIso();
    const rows = [
      { client_id: clientId, contact_id: null as string | null, ideal_days: input.idealDays, max_days: input.maxDays },
      ...(contacts ?? []).map((c) => ({ client_id: clientId, contact_id: c.contactId, ideal_days: c.idealDays, max_days: c.maxDays })),
    ];
    await trx
      .deleteFrom('cadences')
      .where('client_id', '=', clientId)
      .$if(!contacts, (qb) => qb.where('contact_id', 'is', null))
      .execute();
    await trx
      .insertInto('cadences')
      .values(rows.map((r) => ({ ...r, id: uuidv7(), created_at: now, updated_at: now })))
      .execute();
    const tctx = { ...ctx, db: trx };
    const after = await getCadence(tctx, clientId);
    const view = (c: Cadence) => ({
      idealDays: c.idealDays,
      maxDays: c.maxDays,
      source: c.source,
      contacts: c.contacts.filter((k) => k.source === 'contact').map((k) => ({ contactId: k.contact.id, idealDays: k.idealDays, maxDays: k.maxDays })),
    });
    await recordAudit(tctx, { action: 'cadence.update', entity: 'cadence', entityId: clientId, clientId, before: view(before), after: view(after) });
  });
  return getCadence(ctx, clientId);
}

// ---------------------------------------------------------------- last interaction

interface Interaction {
  on: string;
  kind: 'check_in' | 'meeting' | 'session' | 'problem';
  by: { id: string; name: string } | null;
}

const HELD_SESSION = ['completed', 'summary_drafted', 'summary_reviewed', 'summary_shared'] as const;

function later(a: Interaction | undefined, b: Interaction): Interaction {
  return !a || b.on > a.on ? b : a;
}

/**
 * The latest interaction with each client and each contact, of any kind: a check-in (meeting
 * notes are check-ins held as meetings), a held listening session (its contacts through
 * session_contacts), a problem reported (by its contact).
 */
async function lastInteractions(db: Db, clientIds: string[]): Promise<{ client: Map<string, Interaction>; contact: Map<string, Interaction> }> {
  const client = new Map<string, Interaction>();
  const contact = new Map<string, Interaction>();
  if (clientIds.length === 0) {
    return { client, contact };
  }
  const note = (clientId: string, contactIds: (string | null)[], i: Interaction) => {
    client.set(clientId, later(client.get(clientId), i));
    for (const k of contactIds) {
      if (k) {
        contact.set(k, later(contact.get(k), i));
      }
    }
  };
  const person = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);
  const checkIns = await db
    .selectFrom('check_ins')
    .leftJoin('users', 'users.id', 'check_ins.held_by')
    .select(['check_ins.client_id', 'check_ins.contact_id', 'check_ins.held_on', 'check_ins.channel', 'check_ins.held_by', 'users.name as by_name'])
    .where('check_ins.client_id', 'in', clientIds)
    .execute();
  for (const c of checkIns) {
    note(c.client_id, [c.contact_id], { on: c.held_on, kind: c.channel === 'meeting' ? 'meeting' : 'check_in', by: person(c.held_by, c.by_name) });
  }
  const sessions = await db
    .selectFrom('listening_sessions')
    .leftJoin('users', 'users.id', 'listening_sessions.interviewer_id')
    .select([
      'listening_sessions.id',
      'listening_sessions.client_id',
      'listening_sessions.starts_at',
      'listening_sessions.interviewer_id',
      'users.name as by_name',
    ])
    .where('listening_sessions.client_id', 'in', clientIds)
    .where('listening_sessions.status', 'in', [...HELD_SESSION])
    .where('listening_sessions.starts_at', 'is not', null)
    .execute();
  const sessionContacts = new Map<string, string[]>();
  if (sessions.length > 0) {
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
      sessionContacts.set(l.session_id, [...(sessionContacts.get(l.session_id) ?? []), l.contact_id]);
    }
  }
  for (const s of sessions) {
    note(s.client_id, sessionContacts.get(s.id) ?? [], { on: String(s.starts_at).slice(0, 10), kind: 'session', by: person(s.interviewer_id, s.by_name) });
  }
  const problems = await db
    .selectFrom('problems')
    .leftJoin('users', 'users.id', 'problems.recorded_by')
    .select(['problems.client_id', 'problems.reported_by_contact_id', 'problems.reported_on', 'problems.recorded_by', 'users.name as by_name'])
    .where('problems.client_id', 'in', clientIds)
    .execute();
  for (const p of problems) {
    note(p.client_id, [p.reported_by_contact_id], { on: p.reported_on, kind: 'problem', by: person(p.recorded_by, p.by_name) });
  }
  return { client, contact };
}

interface Standing {
  idealDays: number;
  maxDays: number;
  last: Interaction | null;
  daysSince: number | null;
  status: CadenceStatus;
}

/** Each client's (and key contact's) cadence standing today; exported for client health (analytics/health-service.ts). */
export async function standings(db: Db, clients: ClientRef[], today: string) {
  const ids = clients.map((c) => c.id);
  const [rules, last] = await Promise.all([cadenceRules(db, clients), lastInteractions(db, ids)]);
  const stand = (rule: CadenceRule, i: Interaction | undefined) => {
    const reading = cadenceStatus(i?.on ?? null, rule, today);
    return {
      standing: { idealDays: rule.idealDays, maxDays: rule.maxDays, last: i ?? null, daysSince: reading.daysSince, status: reading.status } as Standing,
      reading,
    };
  };
  return clients.map((c) => ({
    client: c,
    ...stand(rules.client.get(c.id) as CadenceRule, last.client.get(c.id)),
    contacts: (rules.keyContacts.get(c.id) ?? []).map((k) => ({ contact: k, ...stand(rules.contact.get(k.id) as CadenceRule, last.contact.get(k.id)) })),
  }));
}

export async function clientLastInteraction(ctx: ServiceContext, clientId: string, today = todayUtc()): Promise<LastInteraction> {
  const { client } = await requireClient(ctx, clientId, 'check_in', 'read');
  const [s] = await standings(ctx.db, [client], today);
  if (!s) {
    throw new NotFoundError('Client');
  }
  return {
    client: { id: client.id, name: client.name },
    isKeyClient: client.isKeyClient,
    ...s.standing,
    contacts: s.contacts.map((k) => ({ contact: k.contact, ...k.standing })),
  };
}

/**
 * The losing-touch list: active clients (and their key contacts) that are amber or red, most
 * overdue first. By default the clients on whose team the reader is; `all` widens it to every
 * client the reader's role reaches (programme leads and management).
 */
export async function listDue(
  ctx: ServiceContext,
  query: { all?: boolean | undefined },
  today = todayUtc(),
): Promise<{ items: DueItem[]; scope: 'mine' | 'all' }> {
  const { actor } = ctx;
  const scope = scopeFor(actor.role, 'check_in', 'read');
  if (!scope || (actor.id === null && actor.role !== 'system')) {
    throw new ForbiddenError();
  }
  const all = query.all === true && scope === 'any';
  const rows = await ctx.db
    .selectFrom('clients')
    .select(['clients.id', 'clients.name', 'clients.is_key_client'])
    .where(visibleClients(actor))
    .where('clients.status', '=', 'active')
    .$if(!all, (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('client_team')
            .select(sql.lit(1).as('one'))
            .whereRef('client_team.client_id', '=', 'clients.id')
            .where('client_team.user_id', '=', actor.id ?? '')
            .$if(scope === 'relationship_partner', (q) => q.where('client_team.team_role', '=', 'relationship_partner')),
        ),
      ),
    )
    .execute();
  const clients = rows.map((r) => ({ id: r.id, name: r.name, isKeyClient: toBool(r.is_key_client) }));
  const entries: { item: DueItem; reading: ReturnType<typeof cadenceStatus> }[] = [];
  for (const s of await standings(ctx.db, clients, today)) {
    const base = { client: { id: s.client.id, name: s.client.name }, isKeyClient: s.client.isKeyClient };
    if (s.standing.status !== 'green') {
      entries.push({ item: { ...base, contact: null, ...s.standing }, reading: s.reading });
    }
    for (const k of s.contacts) {
      if (k.standing.status !== 'green') {
        entries.push({ item: { ...base, contact: k.contact, ...k.standing }, reading: k.reading });
      }
    }
  }
  entries.sort((a, b) => compareOverdue(a.reading, b.reading) || a.item.client.name.localeCompare(b.item.client.name));
  return { items: entries.map((e) => e.item), scope: all ? 'all' : 'mine' };
}
