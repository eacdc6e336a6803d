import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import type { TeamRow } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { requirePermission } from '../http/access.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import type { Team, TeamCreateBody, TeamUpdateBody } from './schemas.js';

function toTeam(row: TeamRow, memberCount: number, members?: Team['members']): Team {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    description: row.description,
    memberCount,
    ...(members ? { members } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function assertNameFree(db: Db, name: string, exceptId?: string): Promise<void> {
  const clash = await db
    .selectFrom('teams')
    .select('id')
    .where('name', '=', name)
    .$if(exceptId !== undefined, (qb) => qb.where('id', '!=', exceptId as string))
    .executeTakeFirst();
  if (clash) {
    throw new ConflictError('name', 'is already used by another team');
  }
}

async function setMembers(db: Db, teamId: string, memberIds: string[]): Promise<void> {
  const unique = [...new Set(memberIds)];
  if (unique.length > 0) {
    const found = await db.selectFrom('users').select('id').where('id', 'in', unique).execute();
    const known = new Set(found.map((r) => r.id));
    const index = unique.findIndex((u) => !known.has(u));
    if (index >= 0) {
      throw new ValidationError(`memberIds.${memberIds.indexOf(unique[index] as string)}`, 'is not a user');
    }
  }
  await db.deleteFrom('team_members').where('team_id', '=', teamId).execute();
  if (unique.length > 0) {
    const at = nowIso();
    await db
      .insertInto('team_members')
      .values(unique.map((user_id) => ({ team_id: teamId, user_id, created_at: at })))
      .execute();
  }
}

async function memberIdsOf(db: Db, teamId: string): Promise<string[]> {
  const rows = await db.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).orderBy('user_id').execute();
  return rows.map((r) => r.user_id);
}

export async function listTeams(ctx: ServiceContext): Promise<Team[]> {
  requirePermission(ctx.actor, 'team', 'read');
  const rows = await ctx.db
    .selectFrom('teams')
    .selectAll('teams')
    .select((eb) =>
      eb
        .selectFrom('team_members')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('team_members.team_id', '=', 'teams.id')
        .as('member_count'),
    )
    .orderBy('teams.name')
    .execute();
  return rows.map((r) => toTeam(r, Number(r.member_count ?? 0)));
}

export async function getTeam(ctx: ServiceContext, id: string): Promise<Team> {
  requirePermission(ctx.actor, 'team', 'read');
  const row = await ctx.db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Team');
  }
  const members = await ctx.db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select(['users.id', 'users.name', 'users.email', 'users.role'])
    .where('team_members.team_id', '=', id)
    .orderBy('users.name')
    .execute();
  return toTeam(row, members.length, members);
}

export async function createTeam(ctx: ServiceContext, input: TeamCreateBody): Promise<Team> {
  requirePermission(ctx.actor, 'team', 'create');
  const now = nowIso();
  const row: TeamRow = { id: uuidv7(), name: input.name, kind: input.kind, description: input.description ?? null, created_at: now, updated_at: now };
  await ctx.db.transaction().execute(async (trx) => {
    await assertNameFree(trx, input.name);
    await trx.insertInto('teams').values(row).execute();
    await setMembers(trx, row.id, input.memberIds ?? []);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'team.create',
        entity: 'team',
        entityId: row.id,
        after: { name: row.name, kind: row.kind, description: row.description, memberIds: await memberIdsOf(trx, row.id) },
      },
    );
  });
  return getTeam(ctx, row.id);
}

export async function updateTeam(ctx: ServiceContext, id: string, input: TeamUpdateBody): Promise<Team> {
  requirePermission(ctx.actor, 'team', 'update');
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) {
      throw new NotFoundError('Team');
    }
    const beforeMembers = await memberIdsOf(trx, id);
    if (input.name !== undefined) {
      await assertNameFree(trx, input.name, id);
    }
    await trx
      .updateTable('teams')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.kind !== undefined && { kind: input.kind }),
        ...(input.description !== undefined && { description: input.description }),
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .execute();
    if (input.memberIds) {
      await setMembers(trx, id, input.memberIds);
    }
    const after = await trx.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'team.update',
        entity: 'team',
        entityId: id,
        before: { name: before.name, kind: before.kind, description: before.description, memberIds: beforeMembers },
        after: { name: after.name, kind: after.kind, description: after.description, memberIds: await memberIdsOf(trx, id) },
      },
    );
  });
  return getTeam(ctx, id);
}

export async function deleteTeam(ctx: ServiceContext, id: string): Promise<void> {
  requirePermission(ctx.actor, 'team', 'delete');
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) {
      throw new NotFoundError('Team');
    }
    const members = await memberIdsOf(trx, id);
    await trx.deleteFrom('teams').where('id', '=', id).execute();
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'team.delete',
        entity: 'team',
        entityId: id,
        before: { name: before.name, kind: before.kind, description: before.description, memberIds: members },
      },
    );
  });
}
