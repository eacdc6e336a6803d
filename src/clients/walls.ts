import { recordAudit } from '../audit/service.js';
import { nowIso, toBool } from '../db/values.js';
import { requirePermission } from '../http/access.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import type { Wall, WallPutBody } from './schemas.js';

/**
 * Ethical walls, as admins manage them: which clients are walled and who is listed. Admins
 * see the client's name and the list, never the client's content (unless they are listed).
 */
export async function listWalls(ctx: ServiceContext): Promise<Wall[]> {
  requirePermission(ctx.actor, 'wall', 'read');
  const clients = await ctx.db.selectFrom('clients').select(['id', 'name']).where('walled', '=', true).orderBy('name').execute();
  const members = clients.length
    ? await ctx.db
        .selectFrom('client_wall_members')
        .innerJoin('users', 'users.id', 'client_wall_members.user_id')
        .select(['client_wall_members.client_id', 'users.id', 'users.name', 'users.email'])
        .where(
          'client_wall_members.client_id',
          'in',
          clients.map((c) => c.id),
        )
        .orderBy('users.name')
        .execute()
    : [];
  return clients.map((c) => ({
    clientId: c.id,
    clientName: c.name,
    members: members.filter((m) => m.client_id === c.id).map(({ id, name, email }) => ({ id, name, email })),
  }));
}

export async function putWall(ctx: ServiceContext, clientId: string, input: WallPutBody): Promise<Wall> {
  requirePermission(ctx.actor, 'wall', 'update');
  const memberIds = [...new Set(input.memberIds)];
  if (input.walled && memberIds.length === 0) {
    throw new ValidationError('memberIds', 'a walled client needs at least one listed member');
  }
  if (!input.walled && memberIds.length > 0) {
    throw new ValidationError('memberIds', 'must be empty when lifting the wall');
  }
  await ctx.db.transaction().execute(async (trx) => {
    const client = await trx.selectFrom('clients').select(['id', 'walled']).where('id', '=', clientId).executeTakeFirst();
    if (!client) {
      throw new NotFoundError('Client');
    }
    if (memberIds.length > 0) {
      const found = new Set((await trx.selectFrom('users').select('id').where('id', 'in', memberIds).execute()).map((r) => r.id));
      const missing = input.memberIds.findIndex((u) => !found.has(u));
      if (missing >= 0) {
        throw new ValidationError(`memberIds.${missing}`, 'is not a user');
      }
    }
    const before = (await trx.selectFrom('client_wall_members').select('user_id').where('client_id', '=', clientId).execute()).map((r) => r.user_id).sort();
    await trx.updateTable('clients').set({ walled: input.walled }).where('id', '=', clientId).execute();
    await trx.deleteFrom('client_wall_members').where('client_id', '=', clientId).execute();
    if (memberIds.length > 0) {
      const at = nowIso();
      await trx
        .insertInto('client_wall_members')
        .values(memberIds.map((user_id) => ({ client_id: clientId, user_id, created_at: at })))
        .execute();
    }
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'client.wall.update',
        entity: 'client',
        entityId: clientId,
        clientId,
        before: { walled: toBool(client.walled), members: before },
        after: { walled: input.walled, members: [...memberIds].sort() },
      },
    );
  });
  const wall = (await listWalls(ctx)).find((w) => w.clientId === clientId);
  if (wall) {
    return wall;
  }
  const client = await ctx.db.selectFrom('clients').select(['id', 'name']).where('id', '=', clientId).executeTakeFirstOrThrow();
  return { clientId, clientName: client.name, members: [] };
}
