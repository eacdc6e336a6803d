import { type ExpressionBuilder, sql } from 'kysely';
import type { ClientTeamRole, Database } from '../db/schema.js';
import { scopeFor, scopeSatisfied, visibleClients } from '../http/access.js';
import type { Actor } from '../server/context.js';

/**
 * Who may see and change an action: the policy table (`action`), walls everywhere, and the
 * owner, who always reads and updates their own action whatever their place on the team.
 */
export function actionAbilities(actor: Actor, ownerId: string, teamRole: ClientTeamRole | undefined) {
  const isOwner = actor.id !== null && actor.id === ownerId;
  const may = (action: 'read' | 'update' | 'create') => {
    const scope = scopeFor(actor.role, 'action', action);
    return scope !== undefined && scopeSatisfied(scope, teamRole);
  };
  const read = isOwner || may('read');
  return { read, update: isOwner || may('update'), comment: read };
}

/** A client the actor may know exists (walls), as a condition on a client id column. */
function clientVisible(eb: ExpressionBuilder<Database, never>, actor: Actor, clientIdRef: string) {
  return eb.exists(
    eb
      .selectFrom('clients')
      .select(sql.lit(1).as('one'))
      .where((c) => c(c.ref('clients.id'), '=', sql.ref<string>(clientIdRef)))
      .where((c) => visibleClients(actor)(c as unknown as ExpressionBuilder<Database, 'clients'>)),
  );
}

function onTeam(eb: ExpressionBuilder<Database, never>, actor: Actor, clientIdRef: string) {
  return eb.exists(
    eb
      .selectFrom('client_team')
      .select(sql.lit(1).as('one'))
      .where((c) => c(c.ref('client_team.client_id'), '=', sql.ref<string>(clientIdRef)))
      .where('client_team.user_id', '=', actor.id ?? ''),
  );
}

/** Restricts a query on `actions` to those the actor may read, inside the SQL (lists and counts). */
export function visibleActions(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'actions'>) => {
    if (actor.role === 'system') {
      return eb.lit(true);
    }
    if (actor.id === null) {
      return eb.lit(false);
    }
    const base = eb as unknown as ExpressionBuilder<Database, never>;
    const scope = scopeFor(actor.role, 'action', 'read');
    const owner = eb('actions.owner_id', '=', actor.id);
    const byRole = scope === 'any' ? eb.lit(true) : scope === 'client_team' ? onTeam(base, actor, 'actions.client_id') : eb.lit(false);
    return eb.and([clientVisible(base, actor, 'actions.client_id'), eb.or([owner, byRole])]);
  };
}
