import { type SqlBool, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import { containsText } from '../db/dialect.js';
import { decodeCursor, type Page, toPage } from '../db/pagination.js';
import type { NewUserRow, UserRow } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { requirePermission } from '../http/access.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import { generatePassword, hashPassword } from './passwords.js';
import type { User, UserCreateBody, UserListQuery, UserUpdateBody } from './schemas.js';

type UserTeams = Map<string, { id: string; name: string }[]>;

export function toUser(row: UserRow, teams: { id: string; name: string }[] = []): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    title: row.title,
    office: row.office,
    role: row.role,
    active: toBool(row.active),
    locked: row.locked_until !== null && row.locked_until > nowIso(),
    digestFrequency: row.digest_frequency,
    teams,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function teamsOf(db: Db, userIds: string[]): Promise<UserTeams> {
  const map: UserTeams = new Map();
  if (userIds.length === 0) {
    return map;
  }
  const rows = await db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['team_members.user_id', 'teams.id', 'teams.name'])
    .where('team_members.user_id', 'in', userIds)
    .orderBy('teams.name')
    .execute();
  for (const r of rows) {
    const list = map.get(r.user_id) ?? [];
    list.push({ id: r.id, name: r.name });
    map.set(r.user_id, list);
  }
  return map;
}

async function loadUser(db: Db, id: string): Promise<UserRow> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('User');
  }
  return row;
}

async function assertEmailFree(db: Db, email: string, exceptId?: string): Promise<void> {
  const clash = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .$if(exceptId !== undefined, (qb) => qb.where('id', '!=', exceptId as string))
    .executeTakeFirst();
  if (clash) {
    throw new ConflictError('email', 'is already used by another user');
  }
}

/** Lists users by name, with search and filters. */
export async function listUsers(ctx: ServiceContext, query: UserListQuery): Promise<Page<User>> {
  requirePermission(ctx.actor, 'user', 'read');
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await ctx.db
    .selectFrom('users')
    .selectAll('users')
    .$if(!!query.q, (qb) =>
      qb.where((eb) => eb.or([containsText(ctx.db, eb.ref('users.name'), query.q ?? ''), containsText(ctx.db, eb.ref('users.email'), query.q ?? '')])),
    )
    .$if(!!query.role, (qb) => qb.where('users.role', '=', query.role as User['role']))
    .$if(query.active !== undefined, (qb) => qb.where('users.active', '=', query.active === 'true'))
    .$if(!!query.teamId, (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('team_members')
            .select('team_members.user_id')
            .whereRef('team_members.user_id', '=', 'users.id')
            .where('team_members.team_id', '=', query.teamId as string),
        ),
      ),
    )
    .$if(!!after, (qb) => qb.where(sql<SqlBool>`(${sql.ref('users.name')}, ${sql.ref('users.id')}) > (${String(after?.value)}, ${after?.id ?? ''})`))
    .orderBy('users.name')
    .orderBy('users.id')
    .limit(query.limit + 1)
    .execute();
  const teams = await teamsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return toPage(
    rows,
    query.limit,
    (r) => r.name,
    (r) => toUser(r, teams.get(r.id)),
  );
}

export async function getUser(ctx: ServiceContext, id: string): Promise<User> {
  requirePermission(ctx.actor, 'user', 'read');
  const row = await loadUser(ctx.db, id);
  return toUser(row, (await teamsOf(ctx.db, [id])).get(id));
}

/** The signed-in user's own record: everyone may read themselves, external users included. */
export async function getSelf(ctx: ServiceContext): Promise<User> {
  const row = await loadUser(ctx.db, ctx.actor.id ?? '');
  return toUser(row, (await teamsOf(ctx.db, [row.id])).get(row.id));
}

/** Creates a user; returns the generated password once when none was given. */
export async function createUser(ctx: ServiceContext, input: UserCreateBody): Promise<{ user: User; password?: string }> {
  requirePermission(ctx.actor, 'user', 'create');
  const generated = input.password === undefined ? generatePassword() : undefined;
  const passwordHash = await hashPassword(input.password ?? (generated as string));
  const now = nowIso();
  const row = {
    id: uuidv7(),
    email: input.email,
    name: input.name,
    title: input.title ?? null,
    office: input.office ?? null,
    role: input.role,
    active: true,
    password_hash: passwordHash,
    failed_logins: 0,
    locked_until: null,
    digest_frequency: 'weekly',
    created_at: now,
    updated_at: now,
  } satisfies NewUserRow;
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    await assertEmailFree(trx, input.email);
    await trx.insertInto('users').values(row).execute();
    await recordAudit(tctx, { action: 'user.create', entity: 'user', entityId: row.id, after: publicFields(row) });
  });
  return { user: toUser(row), ...(generated ? { password: generated } : {}) };
}

export async function updateUser(ctx: ServiceContext, id: string, input: UserUpdateBody): Promise<User> {
  requirePermission(ctx.actor, 'user', 'update');
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = await loadUser(trx, id);
    if (input.email !== undefined) {
      await assertEmailFree(trx, input.email, id);
    }
    if (id === ctx.actor.id && (input.active === false || (input.role !== undefined && input.role !== 'admin'))) {
      throw new ValidationError(input.active === false ? 'active' : 'role', 'you cannot remove your own admin access');
    }
    const patch = {
      ...(input.email !== undefined && { email: input.email }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.title !== undefined && { title: input.title }),
      ...(input.office !== undefined && { office: input.office }),
      ...(input.role !== undefined && { role: input.role }),
      ...(input.active !== undefined && { active: input.active }),
      ...(input.unlock && { failed_logins: 0, locked_until: null }),
      updated_at: nowIso(),
    };
    await trx.updateTable('users').set(patch).where('id', '=', id).execute();
    if (input.active === false) {
      // A deactivated user is signed out everywhere at once.
      await trx.deleteFrom('auth_sessions').where('user_id', '=', id).execute();
    }
    const after = await loadUser(trx, id);
    await recordAudit(tctx, { action: 'user.update', entity: 'user', entityId: id, before: publicFields(before), after: publicFields(after) });
  });
  return getUser(ctx, id);
}

/** Sets a new generated password, ends the user's sessions and clears any lockout. */
export async function resetPassword(ctx: ServiceContext, id: string): Promise<{ password: string }> {
  requirePermission(ctx.actor, 'user', 'reset_password');
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await ctx.db.transaction().execute(async (trx) => {
    await loadUser(trx, id);
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('auth_sessions').where('user_id', '=', id).execute();
    await recordAudit({ ...ctx, db: trx }, { action: 'user.reset_password', entity: 'user', entityId: id, changes: { password: ['(hidden)', '(reset)'] } });
  });
  return { password };
}

function publicFields(row: UserRow) {
  return { email: row.email, name: row.name, title: row.title, office: row.office, role: row.role, active: toBool(row.active) };
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}
