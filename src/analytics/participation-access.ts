import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { requirePermission, visibleClients } from '../http/access.js';
import type { Actor } from '../server/context.js';
import { type AnalyticsFilters, filteredClients } from './filters.js';

/**
 * The analytics reader's reach over clients, beside each domain's own visibility rule:
 * programme leads and management (`analytics.read: any`) reach every client the walls
 * let them see; partners and members (`client_team`) reach only clients on whose relationship
 * team they sit. Used by participation, loop and retention so every figure counts the same set.
 * With `filters`, the clients are further narrowed by the shared analytics filters (practice,
 * partner, office, industry, segment, fee band, client; the period is each endpoint's own).
 * Throws 403 for roles without `analytics.read` (admins, externals).
 */
export function analyticsReach(actor: Actor, filters?: AnalyticsFilters) {
  const scope = requirePermission(actor, 'analytics', 'read');
  /** A condition on a client id column: the reader reaches that client (walls and team scope). */
  const reaches = (eb: ExpressionBuilder<Database, never>, clientIdRef: string): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [
      eb.exists(
        eb
          .selectFrom('clients')
          .select(sql.lit(1).as('one'))
          .where((c) => c(c.ref('clients.id'), '=', sql.ref<string>(clientIdRef)))
          .where((c) => visibleClients(actor)(c as unknown as ExpressionBuilder<Database, 'clients'>))
          .$if(filters !== undefined, (qb) =>
            qb.where((c) => filteredClients(filters as AnalyticsFilters)(c as unknown as ExpressionBuilder<Database, 'clients'>)),
          ),
      ),
    ];
    if (scope !== 'any' && actor.role !== 'system') {
      conditions.push(
        eb.exists(
          eb
            .selectFrom('client_team')
            .select(sql.lit(1).as('one'))
            .where((c) => c(c.ref('client_team.client_id'), '=', sql.ref<string>(clientIdRef)))
            .where('client_team.user_id', '=', actor.id ?? ''),
        ),
      );
    }
    return eb.and(conditions);
  };
  return { scope, reaches };
}
