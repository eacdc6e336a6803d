import { recordAudit } from '../audit/service.js';
import { nowIso } from '../db/values.js';
import { requireClientAccess } from '../http/access.js';
import { ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import type { ClientTeamMember, TeamPutBody } from './schemas.js';

/** The client's relationship team, partners first. */
export async function listTeam(ctx: ServiceContext, clientId: string, opts: { skipAccessCheck?: boolean } = {}): Promise<ClientTeamMember[]> {
  if (!opts.skipAccessCheck) {
    await requireClientAccess(ctx, clientId, 'client_team', 'read');
  }
  const rows = await ctx.db
    .selectFrom('client_team')
    .innerJoin('users', 'users.id', 'client_team.user_id')
    .select(['users.id', 'users.name', 'users.email', 'users.title', 'client_team.team_role'])
    .where('client_team.client_id', '=', clientId)
    .orderBy('client_team.team_role', 'desc') // 'relationship_partner' sorts after 'member', so descending lists partners first
    .orderBy('users.name')
    .execute();
  return rows.map((r) => ({ userId: r.id, name: r.name, email: r.email, title: r.title, teamRole: r.team_role }));
}

/** Replaces the relationship team in one transaction. */
export async function putTeam(ctx: ServiceContext, clientId: string, input: TeamPutBody): Promise<ClientTeamMember[]> {
  await requireClientAccess(ctx, clientId, 'client_team', 'update');
  const seen = new Set<string>();
  input.members.forEach((m, i) => {
    if (seen.has(m.userId)) {
      throw new ValidationError(`members.${i}.userId`, 'is listed twice');
    }
    seen.add(m.userId);
  });
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const ids = input.members.map((m) => m.userId);
    if (ids.length > 0) {
      const users = await trx.selectFrom('users').select(['id', 'role']).where('id', 'in', ids).execute();
      const byId = new Map(users.map((u) => [u.id, u.role]));
      input.members.forEach((m, i) => {
        const role = byId.get(m.userId);
        if (!role) {
          throw new ValidationError(`members.${i}.userId`, 'is not a user');
        }
        if (role === 'external') {
          throw new ValidationError(`members.${i}.userId`, 'is an external user and cannot be on a relationship team');
        }
      });
    }
    const before = await listTeam(tctx, clientId, { skipAccessCheck: true });
    await trx.deleteFrom('client_team').where('client_id', '=', clientId).execute();
    if (input.members.length > 0) {
      const at = nowIso();
      await trx
        .insertInto('client_team')
        .values(input.members.map((m) => ({ client_id: clientId, user_id: m.userId, team_role: m.teamRole, created_at: at })))
        .execute();
    }
    const summary = (list: { userId: string; teamRole: string }[]) => list.map((m) => `${m.userId}:${m.teamRole}`).sort();
    await recordAudit(tctx, {
      action: 'client.team.update',
      entity: 'client',
      entityId: clientId,
      clientId,
      before: { team: summary(before) },
      after: { team: summary(input.members) },
    });
  });
  return listTeam(ctx, clientId, { skipAccessCheck: true });
}
