import { type Expression, type SqlBool, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import { chunked } from '../db/batching.js';
import type { Db } from '../db/connect.js';
import { type CursorValue, decodeCursor, type Page, toPage } from '../db/pagination.js';
import type { ProgrammeCommitment, ProgrammeRow } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { requirePermission, scopeFor, visibleClients } from '../http/access.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import { visibleSessions } from './access.js';
import type {
  Commitment,
  CommitmentBody,
  Programme,
  ProgrammeCreateBody,
  ProgrammeDetail,
  ProgrammeListQuery,
  ProgrammeUpdateBody,
} from './programme-schemas.js';
import { latestNpsByClient, type NpsReading, type ProgrammeProgress, programmeProgress } from './progress.js';
import { HELD_STATUSES } from './session-states.js';

type ProgrammeWithOwner = ProgrammeRow & { owner_name: string };

export function toProgramme(row: ProgrammeWithOwner): Programme {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    owner: { id: row.owner_id, name: row.owner_name },
    status: row.status,
    targetSessions: row.target_sessions === null ? null : Number(row.target_sessions),
    targetKeyClientShare: row.target_key_client_share === null ? null : Number(row.target_key_client_share),
    targetAtRiskShare: row.target_at_risk_share === null ? null : Number(row.target_at_risk_share),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The audited view of a programme, in API names. */
function auditedFields(p: Programme) {
  return {
    name: p.name,
    description: p.description,
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    ownerId: p.owner.id,
    status: p.status,
    targetSessions: p.targetSessions,
    targetKeyClientShare: p.targetKeyClientShare,
    targetAtRiskShare: p.targetAtRiskShare,
  };
}

function selectProgrammes(db: Db) {
  return db.selectFrom('programmes').innerJoin('users as owner', 'owner.id', 'programmes.owner_id').selectAll('programmes').select('owner.name as owner_name');
}

async function loadProgramme(db: Db, id: string): Promise<ProgrammeWithOwner> {
  const row = await selectProgrammes(db).where('programmes.id', '=', id).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Programme');
  }
  return row;
}

/**
 * Loads a programme for any use-case about it (its nominations included): a role that may not
 * read programmes is refused (403), an unknown id is a 404.
 */
export async function requireProgramme(ctx: ServiceContext, id: string): Promise<Programme> {
  requirePermission(ctx.actor, 'programme', 'read');
  return toProgramme(await loadProgramme(ctx.db, id));
}

function sortExpression(sort: ProgrammeListQuery['sort']): Expression<string> {
  return sort === 'name' ? sql<string>`programmes.name` : sql<string>`programmes.starts_on`;
}

function sortValue(row: ProgrammeRow, sort: ProgrammeListQuery['sort']): CursorValue {
  return sort === 'name' ? row.name : row.starts_on;
}

/** Lists programmes, newest first by default, filtered by status, paginated by keyset. */
export async function listProgrammes(ctx: ServiceContext, query: ProgrammeListQuery): Promise<Page<Programme>> {
  requirePermission(ctx.actor, 'programme', 'read');
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after && typeof after.value !== 'string') {
    throw new ValidationError('cursor', 'belongs to a list with another sort order');
  }
  const sortExpr = sortExpression(query.sort);
  const cmp = query.order === 'asc' ? '>' : '<';
  const filtered = ctx.db.selectFrom('programmes').$if(!!query.status, (qb) => qb.where('programmes.status', 'in', query.status ?? []));
  const rows = await filtered
    .innerJoin('users as owner', 'owner.id', 'programmes.owner_id')
    .selectAll('programmes')
    .select('owner.name as owner_name')
    .$if(!!after, (qb) => qb.where(sql<SqlBool>`(${sortExpr}, ${sql.ref('programmes.id')}) ${sql.raw(cmp)} (${after?.value ?? null}, ${after?.id ?? ''})`))
    .orderBy(sortExpr, query.order)
    .orderBy('programmes.id', query.order)
    .limit(query.limit + 1)
    .execute();
  const page = toPage(rows, query.limit, (r) => sortValue(r, query.sort), toProgramme);
  if (query.total) {
    const counted = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    page.total = Number(counted.n);
  }
  return page;
}

/**
 * The latest known NPS of each client (see AT_RISK_DEFINITION in progress.ts), read only from
 * held sessions the actor may read.
 */
export async function latestNps(ctx: ServiceContext, clientIds: readonly string[]): Promise<Map<string, number>> {
  const ids = [...new Set(clientIds)];
  if (ids.length === 0) {
    return new Map();
  }
  // Many clients (a firm-wide report) are cheaper read in one pass than in hundreds of `in` lists.
  const wanted = new Set(ids);
  const chunks: (string[] | null)[] = ids.length > 2_000 ? [null] : chunked(ids);
  const readings: NpsReading[] = [];
  for (const chunk of chunks) {
    const rows = await ctx.db
      .selectFrom('listening_sessions')
      .select([
        'listening_sessions.id',
        'listening_sessions.client_id',
        'listening_sessions.nps',
        'listening_sessions.completed_at',
        'listening_sessions.starts_at',
      ])
      .$if(chunk !== null, (q) => q.where('listening_sessions.client_id', 'in', chunk ?? []))
      .where('listening_sessions.status', 'in', [...HELD_STATUSES])
      .where('listening_sessions.nps', 'is not', null)
      .where(visibleSessions(ctx.actor))
      .execute();
    for (const r of rows) {
      if (wanted.has(r.client_id)) {
        readings.push({ id: r.id, clientId: r.client_id, nps: Number(r.nps), completedAt: r.completed_at, startsAt: r.starts_at });
      }
    }
  }
  return latestNpsByClient(readings);
}

/**
 * Live progress against the programme's targets, counted over what the actor may see: the
 * programme's sessions they may read (walls and relationship teams applied in SQL) and the key
 * clients they may see.
 */
export async function programmeProgressFor(ctx: ServiceContext, programme: Programme): Promise<ProgrammeProgress> {
  const { db, actor } = ctx;
  const [sessions, keyClients] = await Promise.all([
    db
      .selectFrom('listening_sessions')
      .innerJoin('clients', 'clients.id', 'listening_sessions.client_id')
      .select(['listening_sessions.client_id', 'listening_sessions.status', 'clients.status as client_status', 'clients.is_key_client'])
      .where('listening_sessions.programme_id', '=', programme.id)
      .where('listening_sessions.status', '!=', 'cancelled')
      .where(visibleSessions(actor))
      .execute(),
    db
      .selectFrom('clients')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('clients.is_key_client', '=', true)
      .where(visibleClients(actor))
      .executeTakeFirstOrThrow(),
  ]);
  const nps = await latestNps(
    ctx,
    sessions.map((s) => s.client_id),
  );
  return programmeProgress(
    programme,
    sessions.map((s) => ({ clientId: s.client_id, status: s.status, clientStatus: s.client_status, isKeyClient: toBool(s.is_key_client) })),
    nps,
    Number(keyClients.n),
  );
}

function programmeAbilities(ctx: ServiceContext, programme: Programme): ProgrammeDetail['abilities'] {
  const may = (resource: 'programme' | 'nomination', action: string) => scopeFor(ctx.actor.role, resource, action as never) !== undefined;
  const open = programme.status !== 'closed';
  return {
    update: may('programme', 'update'),
    commit: may('programme', 'commit') && open,
    readNominations: may('nomination', 'read'),
    propose: may('nomination', 'propose') && open,
    volunteer: may('nomination', 'volunteer') && open,
    remind: may('nomination', 'remind') && open,
    withdraw: may('nomination', 'withdraw'),
  };
}

/** A programme with live progress against its targets, the caller's commitment and abilities. */
export async function getProgramme(ctx: ServiceContext, id: string): Promise<ProgrammeDetail> {
  const programme = await requireProgramme(ctx, id);
  const [progress, mine] = await Promise.all([
    programmeProgressFor(ctx, programme),
    ctx.actor.id
      ? ctx.db.selectFrom('programme_partners').select('commitment').where('programme_id', '=', id).where('user_id', '=', ctx.actor.id).executeTakeFirst()
      : undefined,
  ]);
  return { ...programme, progress, myCommitment: mine?.commitment ?? null, abilities: programmeAbilities(ctx, programme) };
}

/** The owner must be someone who can run it: an active, internal user. */
async function assertOwner(db: Db, ownerId: string): Promise<void> {
  const user = await db.selectFrom('users').select(['id', 'active', 'role']).where('id', '=', ownerId).executeTakeFirst();
  if (!user || !toBool(user.active)) {
    throw new ValidationError('ownerId', 'is not an active user');
  }
  if (user.role === 'external') {
    throw new ValidationError('ownerId', 'is an external user and cannot own a programme');
  }
}

export async function createProgramme(ctx: ServiceContext, input: ProgrammeCreateBody): Promise<ProgrammeDetail> {
  requirePermission(ctx.actor, 'programme', 'create');
  const ownerId = input.ownerId ?? ctx.actor.id;
  if (!ownerId) {
    throw new ValidationError('ownerId', 'is required');
  }
  const now = nowIso();
  const id = uuidv7();
  await ctx.db.transaction().execute(async (trx) => {
    await assertOwner(trx, ownerId);
    await trx
      .insertInto('programmes')
      .values({
        id,
        name: input.name,
        description: input.description ?? null,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        owner_id: ownerId,
        status: input.status,
        target_sessions: input.targetSessions ?? null,
        target_key_client_share: input.targetKeyClientShare ?? null,
        target_at_risk_share: input.targetAtRiskShare ?? null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const after = toProgramme(await loadProgramme(trx, id));
    await recordAudit({ ...ctx, db: trx }, { action: 'programme.create', entity: 'programme', entityId: id, after: auditedFields(after) });
  });
  return getProgramme(ctx, id);
}

export async function updateProgramme(ctx: ServiceContext, id: string, input: ProgrammeUpdateBody): Promise<ProgrammeDetail> {
  requirePermission(ctx.actor, 'programme', 'update');
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = toProgramme(await loadProgramme(trx, id));
    const startsOn = input.startsOn ?? before.startsOn;
    const endsOn = input.endsOn ?? before.endsOn;
    if (endsOn < startsOn) {
      // Name the date the caller sent: that is the one to correct.
      throw input.endsOn !== undefined
        ? new ValidationError('endsOn', 'must not be before startsOn')
        : new ValidationError('startsOn', `must not be after the programme’s end (${endsOn})`);
    }
    if (input.ownerId !== undefined) {
      await assertOwner(trx, input.ownerId);
    }
    await trx
      .updateTable('programmes')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.startsOn !== undefined && { starts_on: input.startsOn }),
        ...(input.endsOn !== undefined && { ends_on: input.endsOn }),
        ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
        ...(input.status !== undefined && { status: input.status }),
        ...(input.targetSessions !== undefined && { target_sessions: input.targetSessions }),
        ...(input.targetKeyClientShare !== undefined && { target_key_client_share: input.targetKeyClientShare }),
        ...(input.targetAtRiskShare !== undefined && { target_at_risk_share: input.targetAtRiskShare }),
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .execute();
    const after = toProgramme(await loadProgramme(trx, id));
    await recordAudit(tctx, { action: 'programme.update', entity: 'programme', entityId: id, before: auditedFields(before), after: auditedFields(after) });
  });
  return getProgramme(ctx, id);
}

/** Refuses changes to what hangs off a closed programme: it is history now. */
export function assertOpen(programme: Programme, what: string): void {
  if (programme.status === 'closed') {
    throw new ConflictError(undefined, `The programme “${programme.name}” is closed: it takes no more ${what}`);
  }
}

/** A partner's yes or no to taking part in the programme; answering again replaces the answer. */
export async function setCommitment(ctx: ServiceContext, programmeId: string, input: CommitmentBody): Promise<Commitment> {
  const programme = await requireProgramme(ctx, programmeId);
  requirePermission(ctx.actor, 'programme', 'commit');
  assertOpen(programme, 'answers');
  const userId = ctx.actor.id;
  if (!userId) {
    throw new ValidationError('commitment', 'can only be given by a signed-in partner');
  }
  const respondedAt = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('programme_partners')
      .select('commitment')
      .where('programme_id', '=', programmeId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (before) {
      await trx
        .updateTable('programme_partners')
        .set({ commitment: input.commitment, responded_at: respondedAt })
        .where('programme_id', '=', programmeId)
        .where('user_id', '=', userId)
        .execute();
    } else {
      await trx
        .insertInto('programme_partners')
        .values({ programme_id: programmeId, user_id: userId, commitment: input.commitment, responded_at: respondedAt })
        .execute();
    }
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'programme.commitment',
        entity: 'programme',
        entityId: programmeId,
        before: before ? { commitment: before.commitment } : null,
        after: { commitment: input.commitment },
      },
    );
  });
  return { programmeId, userId, commitment: input.commitment, respondedAt };
}

/** Who said what to the programme, for the participation table. */
export async function commitmentsOf(db: Db, programmeId: string, userId?: string): Promise<Map<string, ProgrammeCommitment>> {
  const rows = await db
    .selectFrom('programme_partners')
    .select(['user_id', 'commitment'])
    .where('programme_id', '=', programmeId)
    .$if(userId !== undefined, (qb) => qb.where('user_id', '=', userId as string))
    .execute();
  return new Map(rows.map((r) => [r.user_id, r.commitment]));
}
