import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { ClientTeamRole, Database } from '../db/schema.js';
import { loadVisibleClient, scopeFor, scopeSatisfied, visibleClients } from '../http/access.js';
import { ForbiddenError } from '../http/errors.js';
import type { Actor, ServiceContext } from '../server/context.js';

/**
 * Who reads an insight, decided inside SQL so that lists, counts and the knowledge page never
 * see what the reader may not:
 * - the client is visible (walls always apply) and the reader's role reaches it (POLICY insight.read);
 * - a `programme_only` insight only by programme leads and whoever recorded it;
 * - the contact of a `non_attributable` insight only by programme leads and the recorder (for one
 *   promoted from a remark, the recorder only if they interview the session, i.e. knew the speaker).
 */
export function seesAllInsights(actor: Actor): boolean {
  return actor.role === 'programme_lead' || actor.role === 'system';
}

export function visibleInsights(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'insights'>): Expression<SqlBool> => {
    if (actor.role === 'system') {
      return eb.lit(true);
    }
    const scope = scopeFor(actor.role, 'insight', 'read');
    if (!scope || actor.id === null) {
      return eb.lit(false);
    }
    const clientVisible = eb.exists(
      eb
        .selectFrom('clients')
        .select(sql.lit(1).as('one'))
        .whereRef('clients.id', '=', 'insights.client_id')
        .where((c) => visibleClients(actor)(c as unknown as ExpressionBuilder<Database, 'clients'>)),
    );
    const conditions = [clientVisible];
    if (scope !== 'any') {
      conditions.push(
        eb.exists(
          eb
            .selectFrom('client_team')
            .select(sql.lit(1).as('one'))
            .whereRef('client_team.client_id', '=', 'insights.client_id')
            .where('client_team.user_id', '=', actor.id)
            .$if(scope === 'relationship_partner', (qb) => qb.where('client_team.team_role', '=', 'relationship_partner')),
        ),
      );
    }
    if (!seesAllInsights(actor)) {
      conditions.push(eb.or([eb('insights.confidentiality', '!=', 'programme_only'), eb('insights.recorded_by', '=', actor.id)]));
    }
    return eb.and(conditions);
  };
}

/** Whether the reader may know who said an insight: the join condition on its contact. */
export function contactShown(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'insights'>): Expression<SqlBool> => {
    if (seesAllInsights(actor)) {
      return eb.lit(true);
    }
    const me = actor.id ?? '';
    return eb.or([
      eb('insights.confidentiality', '!=', 'non_attributable'),
      eb.and([
        eb('insights.recorded_by', '=', me),
        eb.or([
          eb('insights.remark_id', 'is', null),
          eb.exists(
            eb
              .selectFrom('listening_sessions')
              .select(sql.lit(1).as('one'))
              .whereRef('listening_sessions.id', '=', 'insights.session_id')
              .where('listening_sessions.interviewer_id', '=', me),
          ),
        ]),
      ]),
    ]);
  };
}

export type InsightAction = 'read' | 'create' | 'update';

/** Whether the role reaches the action on a client, given the actor's place on its team. */
export function mayOnClient(actor: Actor, action: InsightAction, teamRole: ClientTeamRole | undefined): boolean {
  const scope = scopeFor(actor.role, 'insight', action);
  return scope !== undefined && scopeSatisfied(scope, teamRole);
}

/**
 * The insight rules on one client: a client the actor may not see is a 404, one they see but
 * may not do this on is a 403.
 */
export async function requireInsightClientAccess(
  ctx: ServiceContext,
  clientId: string,
  action: InsightAction,
): Promise<{ client: { id: string; name: string }; teamRole: ClientTeamRole | undefined }> {
  const { actor } = ctx;
  const row = await loadVisibleClient(ctx, clientId);
  const teamRole = row.team_role ?? undefined;
  if (!mayOnClient(actor, action, teamRole)) {
    throw new ForbiddenError();
  }
  return { client: { id: row.id, name: row.name }, teamRole };
}

/** Edit or delete: programme leads and the client's partners (POLICY insight.update), or whoever recorded it. */
export function mayChange(actor: Actor, recordedBy: string | null, teamRole: ClientTeamRole | undefined): boolean {
  return mayOnClient(actor, 'update', teamRole) || (actor.id !== null && recordedBy === actor.id);
}
