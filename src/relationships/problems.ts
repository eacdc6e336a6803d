import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { visibleActions } from '../actions/access.js';
import { assertOwner, insertAction } from '../actions/actions.js';
import { daysSince, todayUtc } from '../actions/loop.js';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import { decodeCursor, type Page, toPage } from '../db/pagination.js';
import type { ClientTeamRole, Database, ProblemRow, ProblemStatus } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { loadVisibleClient, scopeFor, scopeSatisfied, visibleClients } from '../http/access.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import type { Actor, ServiceContext } from '../server/context.js';
import type { ProblemActionBody, ProblemCreateBody, ProblemListQuery, ProblemUpdateBody, ProblemView } from './problem-schemas.js';

const DAY_MS = 86_400_000;

/** The status changes a problem allows; resolved and closed problems reopen to open. */
const TRANSITIONS: Record<ProblemStatus, ProblemStatus[]> = {
  open: ['investigating', 'resolved'],
  investigating: ['open', 'resolved'],
  resolved: ['closed', 'open'],
  closed: ['open'],
};

export function problemTransitionRefusal(from: ProblemStatus, to: ProblemStatus): string | null {
  if (from === to || TRANSITIONS[from].includes(to)) {
    return null;
  }
  return `cannot go from ${from} to ${to}`;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / DAY_MS);
}

/**
 * Who may see and change a problem: the policy table (`problem`), walls everywhere, and the
 * owner, who reads and updates their own problem whatever their role or place on the team.
 * Deleting needs the policy's update grant (the owner rule does not reach deletion).
 */
export function problemAbilities(actor: Actor, ownerId: string | null, teamRole: ClientTeamRole | undefined) {
  const isOwner = actor.id !== null && ownerId !== null && actor.id === ownerId;
  const may = (action: 'read' | 'create' | 'update') => {
    const scope = scopeFor(actor.role, 'problem', action);
    return scope !== undefined && scopeSatisfied(scope, teamRole);
  };
  return { read: isOwner || may('read'), update: isOwner || may('update'), delete: may('update') };
}

/** Restricts a query on `problems` to those the actor may read, inside the SQL (lists and counts). */
export function visibleProblems(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'problems'>) => {
    if (actor.role === 'system') {
      return eb.lit(true);
    }
    if (actor.id === null) {
      return eb.lit(false);
    }
    const scope = scopeFor(actor.role, 'problem', 'read');
    const clientVisible = eb.exists(
      eb
        .selectFrom('clients')
        .select(sql.lit(1).as('one'))
        .whereRef('clients.id', '=', 'problems.client_id')
        .where((c) => visibleClients(actor)(c as unknown as ExpressionBuilder<Database, 'clients'>)),
    );
    const onTeam = eb.exists(
      eb
        .selectFrom('client_team')
        .select(sql.lit(1).as('one'))
        .whereRef('client_team.client_id', '=', 'problems.client_id')
        .where('client_team.user_id', '=', actor.id),
    );
    const byRole = scope === 'any' ? eb.lit(true) : scope === 'client_team' ? onTeam : eb.lit(false);
    return eb.and([clientVisible, eb.or([eb('problems.owner_id', '=', actor.id), byRole])]);
  };
}

function problemQuery(db: Db, actor: Actor) {
  return db
    .selectFrom('problems')
    .innerJoin('clients', 'clients.id', 'problems.client_id')
    .leftJoin('contacts', 'contacts.id', 'problems.reported_by_contact_id')
    .leftJoin('users as owner', 'owner.id', 'problems.owner_id')
    .leftJoin('users as recorder', 'recorder.id', 'problems.recorded_by')
    .leftJoin('matters', 'matters.id', 'problems.matter_id')
    .selectAll('problems')
    .select([
      'clients.name as client_name',
      'contacts.name as contact_name',
      'owner.name as owner_name',
      'recorder.name as recorder_name',
      'matters.name as matter_name',
    ])
    .select((eb) =>
      eb
        .selectFrom('client_team')
        .select('client_team.team_role')
        .whereRef('client_team.client_id', '=', 'problems.client_id')
        .where('client_team.user_id', '=', actor.id ?? '')
        .as('actor_team_role'),
    );
}

type ProblemJoinedRow = Awaited<ReturnType<ReturnType<typeof problemQuery>['executeTakeFirstOrThrow']>>;

type LinkedAction = ProblemView['actions'][number];

function toProblemView(row: ProblemJoinedRow, actor: Actor, actions: LinkedAction[], now = new Date()): ProblemView {
  const abilities = problemAbilities(actor, row.owner_id, row.actor_team_role ?? undefined);
  return {
    id: row.id,
    client: { id: row.client_id, name: row.client_name },
    title: row.title,
    description: row.description,
    reportedOn: row.reported_on,
    reportedBy: row.reported_by_contact_id && row.contact_name ? { id: row.reported_by_contact_id, name: row.contact_name } : null,
    recordedBy: row.recorded_by && row.recorder_name ? { id: row.recorded_by, name: row.recorder_name } : null,
    owner: row.owner_id && row.owner_name ? { id: row.owner_id, name: row.owner_name } : null,
    matter: row.matter_id && row.matter_name ? { id: row.matter_id, name: row.matter_name } : null,
    status: row.status,
    resolution: row.resolution,
    resolvedOn: row.resolved_on,
    daysToResolution: row.resolved_on ? daysBetween(row.reported_on, row.resolved_on) : null,
    daysOpen: row.resolved_on ? daysBetween(row.reported_on, row.resolved_on) : daysSince(row.reported_on, now),
    actions,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    abilities: { update: abilities.update, delete: abilities.delete },
  };
}

/** The actions linked to the given problems that the actor may read. */
async function linkedActions(ctx: ServiceContext, problemIds: string[]): Promise<Map<string, LinkedAction[]>> {
  const byProblem = new Map<string, LinkedAction[]>();
  if (problemIds.length === 0) {
    return byProblem;
  }
  const rows = await ctx.db
    .selectFrom('actions')
    .innerJoin('users', 'users.id', 'actions.owner_id')
    .select(['actions.id', 'actions.problem_id', 'actions.title', 'actions.status', 'actions.owner_id', 'actions.due_on', 'users.name as owner_name'])
    .where('actions.problem_id', 'in', problemIds)
    .where(visibleActions(ctx.actor))
    .orderBy('actions.id')
    .execute();
  for (const r of rows) {
    const list = byProblem.get(r.problem_id ?? '') ?? [];
    list.push({ id: r.id, title: r.title, status: r.status, owner: { id: r.owner_id, name: r.owner_name }, dueOn: r.due_on });
    byProblem.set(r.problem_id ?? '', list);
  }
  return byProblem;
}

/** Loads a problem the actor may read (else 404); with update/delete, 403 when they may read but not do that. */
async function requireProblem(ctx: ServiceContext, id: string, need: 'read' | 'update' | 'delete' = 'read'): Promise<ProblemJoinedRow> {
  const row = await problemQuery(ctx.db, ctx.actor).where('problems.id', '=', id).where(visibleProblems(ctx.actor)).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Problem');
  }
  if (!problemAbilities(ctx.actor, row.owner_id, row.actor_team_role ?? undefined)[need]) {
    throw new ForbiddenError();
  }
  return row;
}

/** A client visible to the actor (else 404) on which their role may create problems (else 403). */
async function requireCreate(ctx: ServiceContext, clientId: string): Promise<void> {
  const row = await loadVisibleClient(ctx, clientId);
  const scope = scopeFor(ctx.actor.role, 'problem', 'create');
  if (!scope || !scopeSatisfied(scope, row.team_role ?? undefined)) {
    throw new ForbiddenError();
  }
}

function assertNotFuture(field: string, date: string, now = new Date()) {
  if (date > todayUtc(now)) {
    throw new ValidationError(field, 'cannot be in the future');
  }
}

async function assertContactOf(db: Db, clientId: string, contactId: string, field: string) {
  const row = await db.selectFrom('contacts').select('id').where('id', '=', contactId).where('client_id', '=', clientId).executeTakeFirst();
  if (!row) {
    throw new ValidationError(field, 'is not a contact of this client');
  }
}

async function assertMatterOf(db: Db, clientId: string, matterId: string) {
  const row = await db.selectFrom('matters').select('id').where('id', '=', matterId).where('client_id', '=', clientId).executeTakeFirst();
  if (!row) {
    throw new ValidationError('matterId', 'is not a matter of this client');
  }
}

/** What the audit log keeps of a problem. */
function audited(row: ProblemRow) {
  return {
    title: row.title,
    description: row.description,
    reportedOn: row.reported_on,
    reportedByContactId: row.reported_by_contact_id,
    ownerId: row.owner_id,
    matterId: row.matter_id,
    status: row.status,
    resolution: row.resolution,
    resolvedOn: row.resolved_on,
  };
}

export async function getProblem(ctx: ServiceContext, id: string): Promise<ProblemView> {
  const row = await requireProblem(ctx, id);
  const actions = await linkedActions(ctx, [id]);
  return toProblemView(row, ctx.actor, actions.get(id) ?? []);
}

export async function createProblem(ctx: ServiceContext, input: ProblemCreateBody): Promise<ProblemView> {
  await requireCreate(ctx, input.clientId);
  assertNotFuture('reportedOn', input.reportedOn);
  if (input.reportedByContactId) {
    await assertContactOf(ctx.db, input.clientId, input.reportedByContactId, 'reportedByContactId');
  }
  if (input.ownerId) {
    await assertOwner(ctx.db, input.clientId, input.ownerId);
  }
  if (input.matterId) {
    await assertMatterOf(ctx.db, input.clientId, input.matterId);
  }
  const now = nowIso();
  const row: ProblemRow = {
    id: uuidv7(),
    client_id: input.clientId,
    title: input.title,
    description: input.description ?? null,
    reported_on: input.reportedOn,
    reported_by_contact_id: input.reportedByContactId ?? null,
    recorded_by: ctx.actor.id,
    owner_id: input.ownerId ?? null,
    matter_id: input.matterId ?? null,
    status: 'open',
    resolution: null,
    resolved_on: null,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('problems').values(row).execute();
    await recordAudit({ ...ctx, db: trx }, { action: 'problem.create', entity: 'problem', entityId: row.id, clientId: row.client_id, after: audited(row) });
  });
  return getProblem(ctx, row.id);
}

export async function updateProblem(ctx: ServiceContext, id: string, input: ProblemUpdateBody, nowDate = new Date()): Promise<ProblemView> {
  const current = await requireProblem(ctx, id, 'update');
  const clientId = current.client_id;
  const reportedOn = input.reportedOn ?? current.reported_on;
  if (input.reportedOn !== undefined) {
    assertNotFuture('reportedOn', input.reportedOn, nowDate);
  }
  if (input.reportedByContactId) {
    await assertContactOf(ctx.db, clientId, input.reportedByContactId, 'reportedByContactId');
  }
  if (input.ownerId && input.ownerId !== current.owner_id) {
    await assertOwner(ctx.db, clientId, input.ownerId);
  }
  if (input.matterId) {
    await assertMatterOf(ctx.db, clientId, input.matterId);
  }
  const status = input.status ?? current.status;
  const refusal = problemTransitionRefusal(current.status, status);
  if (refusal) {
    throw new ValidationError('status', refusal);
  }
  const resolution = input.resolution !== undefined ? input.resolution : current.resolution;
  let resolvedOn = current.resolved_on;
  if (status === 'resolved' || status === 'closed') {
    if (!resolution) {
      throw new ValidationError('resolution', 'is required to resolve a problem');
    }
    resolvedOn = input.resolvedOn ?? resolvedOn ?? todayUtc(nowDate);
    if (input.resolvedOn !== undefined) {
      assertNotFuture('resolvedOn', input.resolvedOn, nowDate);
    }
    if (resolvedOn < reportedOn) {
      throw new ValidationError(input.resolvedOn !== undefined ? 'resolvedOn' : 'reportedOn', 'cannot be before the problem was reported');
    }
  } else {
    if (input.resolvedOn !== undefined) {
      throw new ValidationError('resolvedOn', 'only applies to a resolved problem');
    }
    resolvedOn = null;
  }
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('problems').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await trx
      .updateTable('problems')
      .set({
        ...(input.title !== undefined && { title: input.title }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.reportedOn !== undefined && { reported_on: input.reportedOn }),
        ...(input.reportedByContactId !== undefined && { reported_by_contact_id: input.reportedByContactId }),
        ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
        ...(input.matterId !== undefined && { matter_id: input.matterId }),
        status,
        resolution,
        resolved_on: resolvedOn,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    const after = await trx.selectFrom('problems').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'problem.update', entity: 'problem', entityId: id, clientId, before: audited(before), after: audited(after) },
    );
  });
  return getProblem(ctx, id);
}

/** Deletes a problem nothing links to; 409 while an action or insight points at it. */
export async function deleteProblem(ctx: ServiceContext, id: string): Promise<void> {
  const current = await requireProblem(ctx, id, 'delete');
  await ctx.db.transaction().execute(async (trx) => {
    const actions = await trx
      .selectFrom('actions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('problem_id', '=', id)
      .executeTakeFirstOrThrow();
    const insights = await trx
      .selectFrom('insights')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('problem_id', '=', id)
      .executeTakeFirstOrThrow();
    if (Number(actions.n) > 0 || Number(insights.n) > 0) {
      throw new ConflictError(undefined, 'Actions or insights are linked to this problem; it cannot be deleted');
    }
    const before = await trx.selectFrom('problems').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await trx.deleteFrom('problems').where('id', '=', id).execute();
    await recordAudit({ ...ctx, db: trx }, { action: 'problem.delete', entity: 'problem', entityId: id, clientId: current.client_id, before: audited(before) });
  });
}

export async function listProblems(ctx: ServiceContext, query: ProblemListQuery): Promise<Page<ProblemView>> {
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after && typeof after.value !== 'string') {
    throw new ValidationError('cursor', 'is not a cursor this list returned');
  }
  const filter = <O>(qb: SelectQueryBuilder<Database, 'problems', O>) =>
    qb
      .where(visibleProblems(ctx.actor))
      .$if(!!query.clientId, (q) => q.where('problems.client_id', '=', query.clientId ?? ''))
      .$if(!!query.status, (q) => q.where('problems.status', '=', query.status ?? 'open'))
      .$if(!!query.ownerId, (q) => q.where('problems.owner_id', '=', query.ownerId ?? ''))
      .$if(query.mine === true, (q) => q.where('problems.owner_id', '=', ctx.actor.id ?? ''));
  const rows = await filter(problemQuery(ctx.db, ctx.actor) as unknown as SelectQueryBuilder<Database, 'problems', ProblemJoinedRow>)
    .$if(!!after, (q) =>
      q.where((eb) =>
        eb.or([
          eb('problems.reported_on', '<', String(after?.value)),
          eb.and([eb('problems.reported_on', '=', String(after?.value)), eb('problems.id', '<', after?.id ?? '')]),
        ]),
      ),
    )
    .orderBy('problems.reported_on', 'desc')
    .orderBy('problems.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const actions = await linkedActions(
    ctx,
    rows.map((r) => r.id),
  );
  const page = toPage(
    rows,
    query.limit,
    (r) => r.reported_on,
    (r) => toProblemView(r, ctx.actor, actions.get(r.id) ?? []),
  );
  if (query.total) {
    const counted = await filter(ctx.db.selectFrom('problems'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    page.total = Number(counted.n);
  }
  return page;
}

/** Creates an action linked to the problem (origin manual, problem_id set); needs update rights on the problem. */
export async function addProblemAction(ctx: ServiceContext, problemId: string, input: ProblemActionBody): Promise<ProblemView> {
  const problem = await requireProblem(ctx, problemId, 'update');
  await assertOwner(ctx.db, problem.client_id, input.ownerId);
  await ctx.db.transaction().execute((trx) =>
    insertAction(
      { ...ctx, db: trx },
      {
        clientId: problem.client_id,
        title: input.title,
        description: null,
        ownerId: input.ownerId,
        dueOn: input.dueOn ?? null,
        priority: input.priority,
        origin: 'manual',
        insightId: null,
        sessionId: null,
        problemId,
      },
    ),
  );
  return getProblem(ctx, problemId);
}
