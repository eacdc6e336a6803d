import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import { type CursorValue, decodeCursor, type Page, toPage } from '../db/pagination.js';
import { ACTION_STATUSES, type ActionOrigin, type ActionStatus, type ClientTeamRole, type Database } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { loadVisibleClient, scopeFor, scopeSatisfied, visibleClients } from '../http/access.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import { visibleInsights } from '../insights/access.js';
import { requireSessionAccess, visibleSessions } from '../listening/access.js';
import { notifyActionAssigned, notifyActionComment } from '../notifications/events.js';
import { onActionStatusChange } from '../relationships/recovery-checks.js';
import type { Actor, ServiceContext } from '../server/context.js';
import { actionAbilities, visibleActions } from './access.js';
import { daysSince, isOpen, isOverdue, statusRefusal, todayUtc, unactionedHeardBefore } from './loop.js';
import type { ActionCreateBody, ActionListQuery, ActionUpdateBody, ActionView, Unactioned } from './schemas.js';

const NO_DUE = '9999-12-31';

/** The action with what its view needs, the insight and session links already filtered for the reader. */
function actionQuery(db: Db, actor: Actor) {
  return db
    .selectFrom('actions')
    .innerJoin('clients', 'clients.id', 'actions.client_id')
    .innerJoin('users as owner', 'owner.id', 'actions.owner_id')
    .leftJoin('users as creator', 'creator.id', 'actions.created_by')
    .leftJoin('users as escalated', 'escalated.id', 'actions.escalated_to')
    .leftJoin('insights', (join) =>
      join.onRef('insights.id', '=', 'actions.insight_id').on((eb) => visibleInsights(actor)(eb as unknown as ExpressionBuilder<Database, 'insights'>)),
    )
    .leftJoin('listening_sessions', (join) =>
      join
        .onRef('listening_sessions.id', '=', 'actions.session_id')
        .on((eb) => visibleSessions(actor)(eb as unknown as ExpressionBuilder<Database, 'listening_sessions'>)),
    )
    .selectAll('actions')
    .select([
      'clients.name as client_name',
      'owner.name as owner_name',
      'creator.name as creator_name',
      'escalated.name as escalated_name',
      'insights.id as link_insight_id',
      'insights.summary as link_insight_summary',
      'insights.type as link_insight_type',
      'insights.severity as link_insight_severity',
      'listening_sessions.id as link_session_id',
      'listening_sessions.starts_at as link_session_starts_at',
    ])
    .select((eb) => [
      eb
        .selectFrom('client_team')
        .select('client_team.team_role')
        .whereRef('client_team.client_id', '=', 'actions.client_id')
        .where('client_team.user_id', '=', actor.id ?? '')
        .as('actor_team_role'),
      eb.selectFrom('action_comments').select(eb.fn.countAll<number>().as('n')).whereRef('action_comments.action_id', '=', 'actions.id').as('comment_count'),
      sql<string>`coalesce(actions.due_on, ${NO_DUE})`.as('due_sort'),
    ]);
}

type ActionJoinedRow = Awaited<ReturnType<ReturnType<typeof actionQuery>['executeTakeFirstOrThrow']>>;

export function toActionView(row: ActionJoinedRow, actor: Actor, now = new Date()): ActionView {
  const abilities = actionAbilities(actor, row.owner_id, row.actor_team_role ?? undefined);
  return {
    id: row.id,
    client: { id: row.client_id, name: row.client_name },
    title: row.title,
    description: row.description,
    owner: { id: row.owner_id, name: row.owner_name },
    dueOn: row.due_on,
    priority: row.priority,
    status: row.status,
    overdue: isOverdue(row, now),
    wontDoReason: row.wont_do_reason,
    closureNote: row.closure_note,
    origin: row.origin,
    insight:
      row.link_insight_id && row.link_insight_summary && row.link_insight_type && row.link_insight_severity
        ? { id: row.link_insight_id, summary: row.link_insight_summary, type: row.link_insight_type, severity: row.link_insight_severity }
        : null,
    session: row.link_session_id ? { id: row.link_session_id, startsAt: row.link_session_starts_at ?? null } : null,
    createdBy: row.created_by && row.creator_name ? { id: row.created_by, name: row.creator_name } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastActivityAt: row.last_activity_at,
    closedAt: row.closed_at,
    escalatedAt: row.escalated_at,
    escalatedTo: row.escalated_to && row.escalated_name ? { id: row.escalated_to, name: row.escalated_name } : null,
    commentCount: Number(row.comment_count ?? 0),
    abilities: { update: abilities.update, comment: abilities.comment },
  };
}

/** What the audit log keeps of an action: its fields, no joined names or reader-specific links. */
function audited(row: {
  title: string;
  description: string | null;
  owner_id: string;
  due_on: string | null;
  priority: string;
  status: string;
  wont_do_reason: string | null;
  closure_note: string | null;
  origin: string;
  insight_id: string | null;
  session_id: string | null;
  escalated_to?: string | null;
}) {
  return {
    title: row.title,
    description: row.description,
    ownerId: row.owner_id,
    dueOn: row.due_on,
    priority: row.priority,
    status: row.status,
    wontDoReason: row.wont_do_reason,
    closureNote: row.closure_note,
    origin: row.origin,
    insightId: row.insight_id,
    sessionId: row.session_id,
    escalatedTo: row.escalated_to ?? null,
  };
}

/**
 * Loads an action the actor may read, or 404 (an action they may not read does not exist for
 * them); with `update`/`comment`, 403 when they may read but not do that.
 */
async function requireAction(ctx: ServiceContext, id: string, need: 'read' | 'update' | 'comment' = 'read'): Promise<ActionJoinedRow> {
  const row = await actionQuery(ctx.db, ctx.actor).where('actions.id', '=', id).where(visibleActions(ctx.actor)).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Action');
  }
  const abilities = actionAbilities(ctx.actor, row.owner_id, row.actor_team_role ?? undefined);
  if (!abilities[need]) {
    throw new ForbiddenError();
  }
  return row;
}

export async function getAction(ctx: ServiceContext, id: string): Promise<ActionView> {
  return toActionView(await requireAction(ctx, id), ctx.actor);
}

/** An owner must be an active user inside the firm who may see the client (walls included). */
export async function assertOwner(db: Db, clientId: string, ownerId: string): Promise<void> {
  const user = await db.selectFrom('users').select(['id', 'role', 'active', 'name', 'email']).where('id', '=', ownerId).executeTakeFirst();
  if (!user || !toBool(user.active) || user.role === 'external') {
    throw new ValidationError('ownerId', 'must be an active user inside the firm');
  }
  const owner: Actor = { id: user.id, role: user.role, name: user.name, email: user.email };
  const visible = await db.selectFrom('clients').select('clients.id').where('clients.id', '=', clientId).where(visibleClients(owner)).executeTakeFirst();
  if (!visible) {
    throw new ValidationError('ownerId', 'has no access to this client');
  }
}

/** The client for a new action: visible to the actor (else 404) and their role may create actions on it (else 403). */
async function requireCreate(ctx: ServiceContext, clientId: string): Promise<ClientTeamRole | undefined> {
  const row = await loadVisibleClient(ctx, clientId);
  const teamRole = row.team_role ?? undefined;
  const scope = scopeFor(ctx.actor.role, 'action', 'create');
  if (!scope || !scopeSatisfied(scope, teamRole)) {
    throw new ForbiddenError();
  }
  return teamRole;
}

export interface NewAction {
  clientId: string;
  title: string;
  description: string | null;
  ownerId: string;
  dueOn: string | null;
  priority: ActionCreateBody['priority'];
  origin: ActionOrigin;
  insightId: string | null;
  sessionId: string | null;
  /** The problem it addresses (actions.problem_id); the caller has checked it belongs to the client. */
  problemId?: string | null;
  /** The check-in it follows up (actions.check_in_id); the caller has checked it belongs to the client. */
  checkInId?: string | null;
}

/** Inserts an action and its audit row (in the caller's transaction; no access check: callers check). */
export async function insertAction(ctx: ServiceContext, input: NewAction): Promise<string> {
  const now = nowIso();
  const row = {
    id: uuidv7(),
    client_id: input.clientId,
    title: input.title,
    description: input.description,
    owner_id: input.ownerId,
    due_on: input.dueOn,
    priority: input.priority,
    status: 'open' as const,
    wont_do_reason: null,
    closure_note: null,
    origin: input.origin,
    insight_id: input.insightId,
    session_id: input.sessionId,
    problem_id: input.problemId ?? null,
    check_in_id: input.checkInId ?? null,
    created_by: ctx.actor.id,
    created_at: now,
    updated_at: now,
    last_activity_at: now,
    closed_at: null,
    escalated_at: null,
    escalated_to: null,
  };
  await ctx.db.insertInto('actions').values(row).execute();
  await recordAudit(ctx, { action: 'action.create', entity: 'action', entityId: row.id, clientId: input.clientId, after: audited(row) });
  await notifyActionAssigned(ctx.db, { id: row.id, clientId: input.clientId, title: input.title, ownerId: input.ownerId }, ctx.actor.id);
  return row.id;
}

/** `links.checkInId`: the check-in it follows up (the caller has checked it is one of this client). */
export async function createAction(ctx: ServiceContext, input: ActionCreateBody, links: { checkInId?: string } = {}): Promise<ActionView> {
  await requireCreate(ctx, input.clientId);
  await assertOwner(ctx.db, input.clientId, input.ownerId);
  let origin: ActionOrigin = 'manual';
  if (input.insightId) {
    const insight = await ctx.db
      .selectFrom('insights')
      .select(['insights.id', 'insights.client_id'])
      .where('insights.id', '=', input.insightId)
      .where(visibleInsights(ctx.actor))
      .executeTakeFirst();
    if (!insight || insight.client_id !== input.clientId) {
      throw new ValidationError('insightId', 'is not an insight of this client you can see');
    }
    origin = 'insight';
  }
  if (input.sessionId) {
    let clientOfSession: string | undefined;
    try {
      clientOfSession = (await requireSessionAccess(ctx, input.sessionId, 'read')).session.client_id;
    } catch (err) {
      if (!(err instanceof NotFoundError || err instanceof ForbiddenError)) {
        throw err;
      }
      clientOfSession = undefined;
    }
    if (clientOfSession !== input.clientId) {
      throw new ValidationError('sessionId', 'is not a listening session of this client you can see');
    }
    if (origin === 'manual') {
      origin = 'session';
    }
  }
  const id = await ctx.db.transaction().execute((trx) =>
    insertAction(
      { ...ctx, db: trx },
      {
        clientId: input.clientId,
        title: input.title,
        description: input.description ?? null,
        ownerId: input.ownerId,
        dueOn: input.dueOn ?? null,
        priority: input.priority,
        origin,
        insightId: input.insightId ?? null,
        sessionId: input.sessionId ?? null,
        checkInId: links.checkInId ?? null,
      },
    ),
  );
  return getAction(ctx, id);
}

export async function updateAction(ctx: ServiceContext, id: string, input: ActionUpdateBody): Promise<ActionView> {
  const current = await requireAction(ctx, id, 'update');
  if (input.ownerId !== undefined && input.ownerId !== current.owner_id) {
    await assertOwner(ctx.db, current.client_id, input.ownerId);
  }
  const status: ActionStatus = input.status ?? current.status;
  const refusal = statusRefusal(current.status, status);
  if (refusal) {
    throw new ValidationError('status', refusal);
  }
  const changesStatus = status !== current.status;
  const wontDoReason = input.wontDoReason !== undefined ? input.wontDoReason : current.wont_do_reason;
  if (status === 'wont_do' && (changesStatus ? !input.wontDoReason : !wontDoReason)) {
    throw new ValidationError('wontDoReason', 'is required when an action will not be done');
  }
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('actions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await trx
      .updateTable('actions')
      .set({
        ...(input.title !== undefined && { title: input.title }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
        ...(input.dueOn !== undefined && { due_on: input.dueOn }),
        ...(input.priority !== undefined && { priority: input.priority }),
        ...(input.closureNote !== undefined && { closure_note: input.closureNote }),
        status,
        wont_do_reason: status === 'wont_do' ? wontDoReason : null,
        ...(changesStatus && { closed_at: isOpen(status) ? null : now }),
        updated_at: now,
        last_activity_at: now,
      })
      .where('id', '=', id)
      .execute();
    const after = await trx.selectFrom('actions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'action.update', entity: 'action', entityId: id, clientId: current.client_id, before: audited(before), after: audited(after) },
    );
    if (after.owner_id !== before.owner_id) {
      await notifyActionAssigned(trx, { id, clientId: after.client_id, title: after.title, ownerId: after.owner_id }, ctx.actor.id);
    }
    // Closing the last action on a concern schedules a recovery check; reopening one cancels it.
    await onActionStatusChange({ ...ctx, db: trx }, after, before.status, after.status);
  });
  return getAction(ctx, id);
}

function parseStatuses(value: string | undefined): ActionStatus[] | undefined {
  if (!value) {
    return undefined;
  }
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const part of parts) {
    if (!(ACTION_STATUSES as readonly string[]).includes(part)) {
      throw new ValidationError('status', `"${part}" is not one of ${ACTION_STATUSES.join(', ')}`);
    }
  }
  return parts as ActionStatus[];
}

export async function listActions(ctx: ServiceContext, query: ActionListQuery, now = new Date()): Promise<Page<ActionView>> {
  const { actor } = ctx;
  const statuses = parseStatuses(query.status);
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after && typeof after.value !== 'string') {
    throw new ValidationError('cursor', 'belongs to a list with another sort order');
  }
  const filter = <O>(qb: SelectQueryBuilder<Database, 'actions', O>) =>
    qb
      .where(visibleActions(actor))
      .$if(query.mine === true, (q) => q.where('actions.owner_id', '=', actor.id ?? ''))
      .$if(!!query.clientId, (q) => q.where('actions.client_id', '=', query.clientId ?? ''))
      .$if(!!query.ownerId, (q) => q.where('actions.owner_id', '=', query.ownerId ?? ''))
      .$if(!!statuses, (q) => q.where('actions.status', 'in', statuses ?? []))
      .$if(query.overdue === true, (q) => q.where('actions.status', 'in', ['open', 'in_progress']).where('actions.due_on', '<', todayUtc(now)))
      .$if(!!query.insightId, (q) => q.where('actions.insight_id', '=', query.insightId ?? ''))
      .$if(!!query.sessionId, (q) => q.where('actions.session_id', '=', query.sessionId ?? ''));
  let rows: ActionJoinedRow[];
  const base = filter(actionQuery(ctx.db, actor) as unknown as SelectQueryBuilder<Database, 'actions', ActionJoinedRow>);
  if (query.sort === 'updatedAt') {
    rows = await base
      .$if(!!after, (q) =>
        q.where((eb) =>
          eb.or([
            eb('actions.updated_at', '<', String(after?.value)),
            eb.and([eb('actions.updated_at', '=', String(after?.value)), eb('actions.id', '<', after?.id ?? '')]),
          ]),
        ),
      )
      .orderBy('actions.updated_at', 'desc')
      .orderBy('actions.id', 'desc')
      .limit(query.limit + 1)
      .execute();
  } else {
    const dueSort = sql<string>`coalesce(actions.due_on, ${NO_DUE})`;
    rows = await base
      .$if(!!after, (q) =>
        q.where((eb) =>
          eb.or([eb(dueSort, '>', String(after?.value)), eb.and([eb(dueSort, '=', String(after?.value)), eb('actions.id', '>', after?.id ?? '')])]),
        ),
      )
      .orderBy(dueSort)
      .orderBy('actions.id')
      .limit(query.limit + 1)
      .execute();
  }
  const page = toPage(
    rows,
    query.limit,
    (r): CursorValue => (query.sort === 'updatedAt' ? r.updated_at : String(r.due_sort)),
    (r) => toActionView(r, actor, now),
  );
  if (query.total) {
    const counted = await filter(ctx.db.selectFrom('actions'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    page.total = Number(counted.n);
  }
  return page;
}

// ---------------------------------------------------------------- comments

export async function listComments(ctx: ServiceContext, actionId: string) {
  await requireAction(ctx, actionId, 'read');
  const rows = await ctx.db
    .selectFrom('action_comments')
    .leftJoin('users', 'users.id', 'action_comments.author_id')
    .select([
      'action_comments.id',
      'action_comments.action_id',
      'action_comments.author_id',
      'action_comments.body',
      'action_comments.created_at',
      'users.name as author_name',
    ])
    .where('action_comments.action_id', '=', actionId)
    .orderBy('action_comments.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    actionId: r.action_id,
    author: r.author_id && r.author_name ? { id: r.author_id, name: r.author_name } : null,
    body: r.body,
    createdAt: r.created_at,
  }));
}

export async function addComment(ctx: ServiceContext, actionId: string, body: string) {
  const action = await requireAction(ctx, actionId, 'comment');
  const now = nowIso();
  const row = { id: uuidv7(), action_id: actionId, author_id: ctx.actor.id, body, created_at: now };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('action_comments').values(row).execute();
    await trx.updateTable('actions').set({ last_activity_at: now }).where('id', '=', actionId).execute();
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'action.comment', entity: 'action', entityId: actionId, clientId: action.client_id, after: { comment: body } },
    );
    await notifyActionComment(
      trx,
      { id: actionId, clientId: action.client_id, title: action.title, ownerId: action.owner_id },
      { authorName: ctx.actor.name, body },
      ctx.actor.id,
    );
  });
  return { id: row.id, actionId, author: ctx.actor.id ? { id: ctx.actor.id, name: ctx.actor.name } : null, body, createdAt: now };
}

// ---------------------------------------------------------------- feedback unactioned

/**
 * Concerns and risks the reader may see, heard more than the configured number of days ago,
 * with no action linked: the feedback the firm has not acted on yet. Oldest first.
 */
export async function listUnactioned(ctx: ServiceContext, afterDays: number, now = new Date()): Promise<Unactioned[]> {
  if (ctx.actor.role === 'external') {
    throw new ForbiddenError();
  }
  const rows = await ctx.db
    .selectFrom('insights')
    .innerJoin('clients', 'clients.id', 'insights.client_id')
    .select(['insights.id', 'insights.client_id', 'clients.name as client_name', 'insights.type', 'insights.summary', 'insights.severity', 'insights.heard_on'])
    .where('insights.type', 'in', ['concern', 'risk'])
    .where('insights.heard_on', '<', unactionedHeardBefore(now, afterDays))
    .where(visibleInsights(ctx.actor))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('actions').select(sql.lit(1).as('one')).whereRef('actions.insight_id', '=', 'insights.id'))))
    .orderBy('insights.heard_on')
    .orderBy('insights.id')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    insightId: r.id,
    client: { id: r.client_id, name: r.client_name },
    type: r.type,
    summary: r.summary,
    severity: r.severity,
    heardOn: r.heard_on,
    daysWaiting: daysSince(r.heard_on, now),
  }));
}
