import { type Expression, type ExpressionBuilder, type Selectable, type SqlBool, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { addDays, todayUtc } from '../actions/loop.js';
import { readLoopSettings } from '../actions/settings.js';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import { decodeCursor, type Page, toPage } from '../db/pagination.js';
import type { ActionStatus, ClientTeamRole, Database, RecoveryCheckTable } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { scopeFor, scopeSatisfied, visibleClients } from '../http/access.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import { visibleInsights } from '../insights/access.js';
import type { InsightRecovery } from '../insights/schemas.js';
import { notify } from '../notifications/notify.js';
import type { Actor, ServiceContext } from '../server/context.js';
import type { RecoveryCheck, RecoveryCheckListQuery } from './recovery-check-schemas.js';

/**
 * Recovery checks close the loop with the client: once every action born from a concern is
 * closed (done or won't do), a check is scheduled that asks the client whether it is now fixed;
 * the answer, recorded by logging a check-in, is kept against the concern.
 *
 * Only concerns schedule one (the rule: "closing the actions born from a concern"); a
 * risk is the firm's own reading of a danger, not something the client told us, so there is
 * nobody to ask whether it is fixed.
 */

const CLOSED: ActionStatus[] = ['done', 'wont_do'];
const OPEN: ActionStatus[] = ['open', 'in_progress'];

function isClosed(status: ActionStatus): boolean {
  return CLOSED.includes(status);
}

function audited(row: Pick<Selectable<RecoveryCheckTable>, 'insight_id' | 'owner_id' | 'due_on' | 'status' | 'check_in_id' | 'fixed'>) {
  return {
    insightId: row.insight_id,
    ownerId: row.owner_id,
    dueOn: row.due_on,
    status: row.status,
    checkInId: row.check_in_id,
    fixed: row.fixed === null ? null : toBool(row.fixed),
  };
}

/** The client's first active relationship partner by name, if any. */
async function relationshipPartner(db: Db, clientId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('client_team')
    .innerJoin('users', 'users.id', 'client_team.user_id')
    .select('users.id')
    .where('client_team.client_id', '=', clientId)
    .where('client_team.team_role', '=', 'relationship_partner')
    .where('users.active', '=', true)
    .orderBy('users.name')
    .orderBy('users.id')
    .executeTakeFirst();
  return row?.id;
}

export type RecoveryOutcome = 'scheduled' | 'cancelled' | 'unchanged';

/**
 * Called by updateAction inside its transaction when an action's status changes. Closing the
 * last open action on a concern schedules one recovery check (never a second while one is
 * waiting); reopening an action on it cancels the waiting check. `ctx.db` must be the
 * transaction.
 */
export async function onActionStatusChange(
  ctx: ServiceContext,
  action: { id: string; insight_id: string | null; client_id: string },
  from: ActionStatus,
  to: ActionStatus,
  now = new Date(),
): Promise<RecoveryOutcome> {
  if (!action.insight_id || isClosed(from) === isClosed(to)) {
    return 'unchanged';
  }
  const { db } = ctx;
  const insight = await db.selectFrom('insights').select(['id', 'type', 'summary', 'client_id']).where('id', '=', action.insight_id).executeTakeFirst();
  if (insight?.type !== 'concern') {
    return 'unchanged';
  }
  const waiting = await db.selectFrom('recovery_checks').selectAll().where('insight_id', '=', insight.id).where('status', '=', 'scheduled').executeTakeFirst();
  const stamp = nowIso();
  if (!isClosed(to)) {
    if (!waiting) {
      return 'unchanged';
    }
    await db.updateTable('recovery_checks').set({ status: 'cancelled', closed_at: stamp, updated_at: stamp }).where('id', '=', waiting.id).execute();
    await recordAudit(ctx, {
      action: 'recovery_check.cancel',
      entity: 'recovery_check',
      entityId: waiting.id,
      clientId: waiting.client_id,
      before: audited(waiting),
      after: audited({ ...waiting, status: 'cancelled' }),
    });
    return 'cancelled';
  }
  if (waiting) {
    return 'unchanged';
  }
  const stillOpen = await db
    .selectFrom('actions')
    .select('id')
    .where('insight_id', '=', insight.id)
    .where('status', 'in', OPEN)
    .where('id', '!=', action.id)
    .executeTakeFirst();
  if (stillOpen) {
    return 'unchanged';
  }
  const { recoveryAfterDays } = await readLoopSettings(db);
  const ownerId = (await relationshipPartner(db, insight.client_id)) ?? ctx.actor.id;
  const row = {
    id: uuidv7(),
    insight_id: insight.id,
    client_id: insight.client_id,
    owner_id: ownerId,
    due_on: addDays(todayUtc(now), recoveryAfterDays),
    status: 'scheduled' as const,
    check_in_id: null,
    fixed: null,
    answer: null,
    created_at: stamp,
    updated_at: stamp,
    closed_at: null,
  };
  await db.insertInto('recovery_checks').values(row).execute();
  await recordAudit(ctx, { action: 'recovery_check.schedule', entity: 'recovery_check', entityId: row.id, clientId: row.client_id, after: audited(row) });
  if (ownerId) {
    const client = await db.selectFrom('clients').select('name').where('id', '=', insight.client_id).executeTakeFirstOrThrow();
    await notify(
      db,
      [
        {
          userId: ownerId,
          kind: 'recovery.scheduled',
          title: `Ask ${client.name} whether it is fixed by ${row.due_on}`,
          body: 'Every action on this concern is closed: check in with the client and record whether it is now fixed.',
          link: `/check-ins?recovery=${row.id}`,
          clientId: insight.client_id,
          entity: 'recovery_check',
          entityId: row.id,
        },
      ],
      ctx.actor.id,
    );
  }
  return 'scheduled';
}

/**
 * Records the client's answer from a check-in (inside createCheckIn's transaction): the
 * concern's waiting recovery check becomes done with the answer. `ctx.db` must be the
 * transaction; the caller has checked the actor may log check-ins on the client.
 */
export async function answerRecoveryCheck(
  ctx: ServiceContext,
  input: { clientId: string; insightId: string; checkInId: string; fixed: boolean; answer: string | null },
): Promise<string> {
  const { db } = ctx;
  const waiting = await db
    .selectFrom('recovery_checks')
    .innerJoin('insights', 'insights.id', 'recovery_checks.insight_id')
    .selectAll('recovery_checks')
    .where('recovery_checks.insight_id', '=', input.insightId)
    .where('recovery_checks.client_id', '=', input.clientId)
    .where('recovery_checks.status', '=', 'scheduled')
    .where(visibleInsights(ctx.actor))
    .executeTakeFirst();
  if (!waiting) {
    throw new ValidationError('recoveryForInsightId', 'is not a concern of this client with a recovery check waiting for an answer');
  }
  const scope = scopeFor(ctx.actor.role, 'recovery_check', 'answer');
  const teamRole = await teamRoleOf(db, ctx.actor, input.clientId);
  if (!scope || !scopeSatisfied(scope, teamRole)) {
    throw new ForbiddenError();
  }
  const stamp = nowIso();
  const after = { status: 'done' as const, check_in_id: input.checkInId, fixed: input.fixed, answer: input.answer, closed_at: stamp, updated_at: stamp };
  await db.updateTable('recovery_checks').set(after).where('id', '=', waiting.id).execute();
  await recordAudit(ctx, {
    action: 'recovery_check.answer',
    entity: 'recovery_check',
    entityId: waiting.id,
    clientId: waiting.client_id,
    before: audited(waiting),
    after: audited({ ...waiting, ...after }),
  });
  return waiting.id;
}

async function teamRoleOf(db: Db, actor: Actor, clientId: string): Promise<ClientTeamRole | undefined> {
  if (!actor.id) {
    return undefined;
  }
  const row = await db.selectFrom('client_team').select('team_role').where('client_id', '=', clientId).where('user_id', '=', actor.id).executeTakeFirst();
  return row?.team_role;
}

// ---------------------------------------------------------------- reading

/**
 * Recovery checks the reader may read, decided in SQL: the client is visible (walls), the role
 * reaches it (POLICY.recovery_check.read, team scope), and the concern itself is visible to them
 * (its confidentiality), since every check quotes it.
 */
export function visibleRecoveryChecks(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'recovery_checks' | 'insights'>): Expression<SqlBool> => {
    if (actor.role === 'system') {
      return eb.lit(true);
    }
    const scope = scopeFor(actor.role, 'recovery_check', 'read');
    if (!scope || actor.id === null) {
      return eb.lit(false);
    }
    const conditions: Expression<SqlBool>[] = [
      eb.exists(
        eb
          .selectFrom('clients')
          .select(sql.lit(1).as('one'))
          .whereRef('clients.id', '=', 'recovery_checks.client_id')
          .where((c) => visibleClients(actor)(c as unknown as ExpressionBuilder<Database, 'clients'>)),
      ),
      visibleInsights(actor)(eb as unknown as ExpressionBuilder<Database, 'insights'>),
    ];
    if (scope !== 'any') {
      conditions.push(
        eb.exists(
          eb
            .selectFrom('client_team')
            .select(sql.lit(1).as('one'))
            .whereRef('client_team.client_id', '=', 'recovery_checks.client_id')
            .where('client_team.user_id', '=', actor.id)
            .$if(scope === 'relationship_partner', (qb) => qb.where('client_team.team_role', '=', 'relationship_partner')),
        ),
      );
    }
    return eb.and(conditions);
  };
}

function checkQuery(db: Db, actor: Actor) {
  return db
    .selectFrom('recovery_checks')
    .innerJoin('insights', 'insights.id', 'recovery_checks.insight_id')
    .innerJoin('clients', 'clients.id', 'recovery_checks.client_id')
    .leftJoin('users as owner', 'owner.id', 'recovery_checks.owner_id')
    .leftJoin('check_ins', 'check_ins.id', 'recovery_checks.check_in_id')
    .selectAll('recovery_checks')
    .select([
      'clients.name as client_name',
      'owner.name as owner_name',
      'insights.type as insight_type',
      'insights.severity as insight_severity',
      'insights.summary as insight_summary',
      'insights.quote as insight_quote',
      'insights.heard_on as insight_heard_on',
      'check_ins.held_on as check_in_held_on',
    ])
    .select((eb) =>
      eb
        .selectFrom('client_team')
        .select('client_team.team_role')
        .whereRef('client_team.client_id', '=', 'recovery_checks.client_id')
        .where('client_team.user_id', '=', actor.id ?? '')
        .as('actor_team_role'),
    )
    .where(visibleRecoveryChecks(actor));
}

type CheckJoinedRow = Awaited<ReturnType<ReturnType<typeof checkQuery>['executeTakeFirstOrThrow']>>;

function toRecoveryCheck(actor: Actor, r: CheckJoinedRow, today: string): RecoveryCheck {
  const scope = scopeFor(actor.role, 'recovery_check', 'answer');
  return {
    id: r.id,
    client: { id: r.client_id, name: r.client_name },
    insight: {
      id: r.insight_id,
      type: r.insight_type,
      severity: r.insight_severity,
      summary: r.insight_summary,
      quote: r.insight_quote,
      heardOn: r.insight_heard_on,
    },
    owner: r.owner_id ? { id: r.owner_id, name: r.owner_name ?? '' } : null,
    dueOn: r.due_on,
    status: r.status,
    overdue: r.status === 'scheduled' && r.due_on < today,
    fixed: r.fixed === null ? null : toBool(r.fixed),
    answer: r.answer,
    checkIn: r.check_in_id && r.check_in_held_on ? { id: r.check_in_id, heldOn: r.check_in_held_on } : null,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    abilities: {
      answer: r.status === 'scheduled' && scope !== undefined && scopeSatisfied(scope, (r.actor_team_role ?? undefined) as ClientTeamRole | undefined),
    },
  };
}

export async function getRecoveryCheck(ctx: ServiceContext, id: string, now = new Date()): Promise<RecoveryCheck> {
  const row = await checkQuery(ctx.db, ctx.actor).where('recovery_checks.id', '=', id).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Recovery check');
  }
  return toRecoveryCheck(ctx.actor, row, todayUtc(now));
}

/** Recovery checks the reader may read, soonest due first, by keyset. Scheduled ones unless `status` says otherwise. */
export async function listRecoveryChecks(ctx: ServiceContext, query: RecoveryCheckListQuery, now = new Date()): Promise<Page<RecoveryCheck>> {
  const { actor } = ctx;
  if (!scopeFor(actor.role, 'recovery_check', 'read') || (actor.id === null && actor.role !== 'system')) {
    throw new ForbiddenError();
  }
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after && typeof after.value !== 'string') {
    throw new ValidationError('cursor', 'is not a cursor this list returned');
  }
  const today = todayUtc(now);
  const status = query.due || query.overdue ? 'scheduled' : (query.status ?? 'scheduled');
  const filtered = checkQuery(ctx.db, actor)
    .where('recovery_checks.status', '=', status)
    .$if(query.due === true, (qb) => qb.where('recovery_checks.due_on', '<=', today))
    .$if(query.overdue === true, (qb) => qb.where('recovery_checks.due_on', '<', today))
    .$if(query.mine === true, (qb) => qb.where('recovery_checks.owner_id', '=', actor.id ?? ''))
    .$if(!!query.clientId, (qb) => qb.where('recovery_checks.client_id', '=', query.clientId ?? ''))
    .$if(!!query.insightId, (qb) => qb.where('recovery_checks.insight_id', '=', query.insightId ?? ''));
  const rows = await filtered
    .$if(!!after, (qb) =>
      qb.where(sql<SqlBool>`(${sql.ref('recovery_checks.due_on')}, ${sql.ref('recovery_checks.id')}) > (${after?.value ?? ''}, ${after?.id ?? ''})`),
    )
    .orderBy('recovery_checks.due_on')
    .orderBy('recovery_checks.id')
    .limit(query.limit + 1)
    .execute();
  const page = toPage(
    rows,
    query.limit,
    (r) => r.due_on,
    (r) => toRecoveryCheck(actor, r, today),
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

/**
 * The recovery status of each concern, for a reader who already sees the insights: the latest
 * check that is waiting or answered (a cancelled one says nothing about the concern).
 */
export async function recoveryOf(db: Db, insightIds: string[]): Promise<Map<string, InsightRecovery>> {
  const map = new Map<string, InsightRecovery>();
  if (insightIds.length === 0) {
    return map;
  }
  const rows = await db
    .selectFrom('recovery_checks')
    .leftJoin('check_ins', 'check_ins.id', 'recovery_checks.check_in_id')
    .select([
      'recovery_checks.id',
      'recovery_checks.insight_id',
      'recovery_checks.status',
      'recovery_checks.due_on',
      'recovery_checks.fixed',
      'recovery_checks.answer',
      'recovery_checks.check_in_id',
      'check_ins.held_on',
    ])
    .where('recovery_checks.insight_id', 'in', insightIds)
    .where('recovery_checks.status', '!=', 'cancelled')
    .orderBy('recovery_checks.id')
    .execute();
  // uuidv7 ids sort by creation: the last row per insight is the latest.
  for (const r of rows) {
    map.set(r.insight_id, {
      id: r.id,
      status: r.status,
      dueOn: r.due_on,
      fixed: r.fixed === null ? null : toBool(r.fixed),
      answer: r.answer,
      answeredOn: r.held_on ?? null,
      checkInId: r.check_in_id,
    });
  }
  return map;
}
