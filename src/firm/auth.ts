import { createHash, randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import type { ApiTokenRow, UserRow } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { LockedError, NotFoundError, UnauthorizedError, ValidationError } from '../http/errors.js';
import type { Actor, ServiceContext } from '../server/context.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { ApiToken } from './schemas.js';
import { findUserByEmail } from './users.js';

export interface AuthPolicy {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginMaxFailures: number;
  lockoutMinutes: number;
}

const TOKEN_PREFIX = 'hk_';

/** Secrets (session cookies, API tokens) are stored only as SHA-256 digests. */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function actorOf(user: Pick<UserRow, 'id' | 'role' | 'name' | 'email'>): Actor {
  return { id: user.id, role: user.role, name: user.name, email: user.email };
}

// Verifying against a real hash when the email is unknown keeps the response time the same,
// so timing does not reveal which emails have accounts.
let decoyHash: Promise<string> | undefined;

/**
 * Checks an email and password. Repeated failures lock the account for a while; a locked,
 * inactive or unknown account gets the same "wrong email or password" as a wrong password,
 * except that a locked account is told it is locked (the owner needs to know to wait).
 */
export async function verifyCredentials(db: Db, policy: AuthPolicy, email: string, password: string): Promise<UserRow> {
  const user = await findUserByEmail(db, email);
  if (!user?.password_hash) {
    decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await verifyPassword(await decoyHash, password);
    throw new UnauthorizedError('Wrong email or password');
  }
  const now = new Date();
  if (user.locked_until && user.locked_until > now.toISOString()) {
    throw new LockedError(`Too many failed sign-ins; try again after ${user.locked_until}`);
  }
  const ok = await verifyPassword(user.password_hash, password);
  if (!ok || !toBool(user.active)) {
    if (ok) {
      throw new UnauthorizedError('Wrong email or password');
    }
    const failures = user.failed_logins + 1;
    const lock = failures >= policy.loginMaxFailures;
    await db
      .updateTable('users')
      .set({
        failed_logins: lock ? 0 : failures,
        locked_until: lock ? new Date(now.getTime() + policy.lockoutMinutes * 60_000).toISOString() : user.locked_until,
      })
      .where('id', '=', user.id)
      .execute();
    if (lock) {
      await recordAudit({ db, actor: actorOf(user) }, { action: 'user.locked', entity: 'user', entityId: user.id, changes: { locked: [false, true] } });
      throw new LockedError(`Too many failed sign-ins; the account is locked for ${policy.lockoutMinutes} minutes`);
    }
    throw new UnauthorizedError('Wrong email or password');
  }
  if (user.failed_logins > 0 || user.locked_until) {
    await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
  }
  return user;
}

/** Starts a server-side session and returns the cookie value (only its digest is stored). */
export async function createSession(
  db: Db,
  policy: AuthPolicy,
  user: UserRow,
  userAgent: string | undefined,
): Promise<{ secret: string; sessionId: string; expiresAt: string }> {
  const secret = randomBytes(32).toString('base64url');
  const sessionId = digest(secret);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + policy.sessionMaxHours * 3_600_000).toISOString();
  await db
    .insertInto('auth_sessions')
    .values({
      id: sessionId,
      user_id: user.id,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt,
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  await recordAudit({ db, actor: actorOf(user) }, { action: 'auth.login', entity: 'user', entityId: user.id, changes: {} });
  return { secret, sessionId, expiresAt };
}

/**
 * Resolves a session cookie to its user, enforcing idle and absolute expiry. The last-seen time
 * is written at most once a minute, so busy pages do not turn every read into a write.
 */
export async function resolveSession(db: Db, policy: AuthPolicy, secret: string): Promise<{ user: UserRow; sessionId: string } | undefined> {
  const id = digest(secret);
  const row = await db
    .selectFrom('auth_sessions')
    .innerJoin('users', 'users.id', 'auth_sessions.user_id')
    .selectAll('users')
    .select(['auth_sessions.last_seen_at', 'auth_sessions.expires_at'])
    .where('auth_sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) {
    return undefined;
  }
  const now = Date.now();
  const idleLimit = Date.parse(row.last_seen_at) + policy.sessionIdleMinutes * 60_000;
  if (now > idleLimit || now > Date.parse(row.expires_at) || !toBool(row.active)) {
    await db.deleteFrom('auth_sessions').where('id', '=', id).execute();
    return undefined;
  }
  if (now - Date.parse(row.last_seen_at) > 60_000) {
    await db
      .updateTable('auth_sessions')
      .set({ last_seen_at: new Date(now).toISOString() })
      .where('id', '=', id)
      .execute();
  }
  const { last_seen_at: _seen, expires_at: _expires, ...user } = row;
  return { user, sessionId: id };
}

export async function endSession(ctx: ServiceContext, sessionId: string): Promise<void> {
  await ctx.db.deleteFrom('auth_sessions').where('id', '=', sessionId).execute();
  if (ctx.actor.id) {
    await recordAudit(ctx, { action: 'auth.logout', entity: 'user', entityId: ctx.actor.id, changes: {} });
  }
}

export async function changePassword(ctx: ServiceContext, currentSessionId: string | undefined, current: string, next: string): Promise<void> {
  const userId = ctx.actor.id;
  if (!userId) {
    throw new UnauthorizedError();
  }
  const user = await ctx.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  if (!user.password_hash || !(await verifyPassword(user.password_hash, current))) {
    throw new ValidationError('currentPassword', 'is not your current password');
  }
  if (current === next) {
    throw new ValidationError('newPassword', 'must differ from the current password');
  }
  const passwordHash = await hashPassword(next);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: nowIso() }).where('id', '=', userId).execute();
    // Other sessions end: a changed password should lock out whoever else had it.
    await trx
      .deleteFrom('auth_sessions')
      .where('user_id', '=', userId)
      .$if(currentSessionId !== undefined, (qb) => qb.where('id', '!=', currentSessionId as string))
      .execute();
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'user.change_password', entity: 'user', entityId: userId, changes: { password: ['(hidden)', '(changed)'] } },
    );
  });
}

function toToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** Creates a personal API token for the acting user; the secret is returned once. */
export async function createToken(
  ctx: ServiceContext,
  input: { name: string; expiresInDays?: number | undefined },
  forUserId = ctx.actor.id,
): Promise<{ token: string; apiToken: ApiToken }> {
  if (!forUserId) {
    throw new UnauthorizedError();
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const now = new Date();
  const row: ApiTokenRow = {
    id: uuidv7(),
    user_id: forUserId,
    name: input.name,
    token_hash: digest(token),
    prefix: token.slice(0, TOKEN_PREFIX.length + 6),
    created_at: now.toISOString(),
    last_used_at: null,
    expires_at: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString() : null,
    revoked_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('api_tokens').values(row).execute();
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'token.create', entity: 'api_token', entityId: row.id, after: { name: row.name, userId: forUserId, expiresAt: row.expires_at } },
    );
  });
  return { token, apiToken: toToken(row) };
}

export async function listTokens(ctx: ServiceContext): Promise<ApiToken[]> {
  const rows = await ctx.db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', ctx.actor.id ?? '')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toToken);
}

export async function revokeToken(ctx: ServiceContext, tokenId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', tokenId)
      .where('user_id', '=', ctx.actor.id ?? '')
      .executeTakeFirst();
    if (!row) {
      throw new NotFoundError('API token');
    }
    if (row.revoked_at) {
      return;
    }
    const at = nowIso();
    await trx.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', tokenId).execute();
    await recordAudit({ ...ctx, db: trx }, { action: 'token.revoke', entity: 'api_token', entityId: tokenId, changes: { revokedAt: [null, at] } });
  });
}

/** Resolves a bearer token to its user; revoked, expired or deactivated means no user. */
export async function resolveToken(db: Db, token: string): Promise<UserRow | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) {
    return undefined;
  }
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select(['api_tokens.id as token_id', 'api_tokens.expires_at as token_expires_at', 'api_tokens.revoked_at', 'api_tokens.last_used_at'])
    .where('api_tokens.token_hash', '=', digest(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || !toBool(row.active)) {
    return undefined;
  }
  const now = nowIso();
  if (row.token_expires_at && row.token_expires_at < now) {
    return undefined;
  }
  // Hourly granularity is enough for "last used" and keeps API reads from writing every time.
  if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) > 3_600_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  }
  const { token_id: _id, token_expires_at: _exp, revoked_at: _rev, last_used_at: _used, ...user } = row;
  return user;
}
