import { decodeCursor, type Page, toPage } from '../db/pagination.js';
import type { AuditRow } from '../db/schema.js';
import { requirePermission } from '../http/access.js';
import { toCsv } from '../http/csv.js';
import { ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import type { AuditEntry, AuditQuery } from './schemas.js';

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    clientId: row.client_id,
    changes: JSON.parse(row.changes) as AuditEntry['changes'],
    requestId: row.request_id,
  };
}

/**
 * The audit rows matching a filter, newest first. Rows about a walled client are left out for
 * anyone not listed on the wall (admins included), and stay hidden after the client is deleted.
 */
function filteredAudit(ctx: ServiceContext, query: Omit<AuditQuery, 'limit' | 'cursor'>) {
  const { actor } = ctx;
  if (query.from && query.to && query.to < query.from) {
    throw new ValidationError('to', 'must not be before from');
  }
  return ctx.db
    .selectFrom('audit_log')
    .selectAll('audit_log')
    .where((eb) =>
      eb.or([
        eb('audit_log.client_id', 'is', null),
        eb.and([
          eb('audit_log.client_walled', '=', false),
          eb.not(eb.exists(eb.selectFrom('clients').select('clients.id').whereRef('clients.id', '=', 'audit_log.client_id'))),
        ]),
        eb.exists(
          eb
            .selectFrom('clients')
            .select('clients.id')
            .whereRef('clients.id', '=', 'audit_log.client_id')
            .where((c) =>
              c.or([
                c('clients.walled', '=', false),
                c.exists(
                  c
                    .selectFrom('client_wall_members')
                    .select('client_wall_members.user_id')
                    .whereRef('client_wall_members.client_id', '=', 'clients.id')
                    .where('client_wall_members.user_id', '=', actor.id ?? ''),
                ),
              ]),
            ),
        ),
      ]),
    )
    .$if(!!query.actorId, (qb) => qb.where('audit_log.actor_id', '=', query.actorId ?? ''))
    .$if(!!query.entity, (qb) => qb.where('audit_log.entity', '=', query.entity ?? ''))
    .$if(!!query.entityId, (qb) => qb.where('audit_log.entity_id', '=', query.entityId ?? ''))
    .$if(!!query.clientId, (qb) => qb.where('audit_log.client_id', '=', query.clientId ?? ''))
    .$if(!!query.action, (qb) =>
      // "client." means every client action: a range on the prefix, which needs no LIKE escaping.
      query.action?.endsWith('.')
        ? qb.where('audit_log.action', '>=', query.action).where('audit_log.action', '<', `${query.action}\uffff`)
        : qb.where('audit_log.action', '=', query.action ?? ''),
    )
    .$if(!!query.from, (qb) => qb.where('audit_log.at', '>=', `${query.from}T00:00:00.000Z`))
    .$if(!!query.to, (qb) => qb.where('audit_log.at', '<=', `${query.to}T23:59:59.999Z`));
}

export async function listAudit(ctx: ServiceContext, query: AuditQuery): Promise<Page<AuditEntry>> {
  requirePermission(ctx.actor, 'audit', 'read');
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await filteredAudit(ctx, query)
    .$if(!!after, (qb) => qb.where('audit_log.id', '<', after?.id ?? ''))
    .orderBy('audit_log.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return toPage(rows, query.limit, () => null, toEntry);
}

/** The same rows as CSV, for auditors' spreadsheets (capped, newest first). */
export async function exportAuditCsv(ctx: ServiceContext, query: Omit<AuditQuery, 'limit' | 'cursor'>, max = 100_000): Promise<string> {
  requirePermission(ctx.actor, 'audit', 'read');
  const rows = await filteredAudit(ctx, query).orderBy('audit_log.id', 'desc').limit(max).execute();
  return toCsv(
    ['at', 'actor', 'actor_id', 'action', 'entity', 'entity_id', 'client_id', 'changes', 'request_id'],
    rows.map((r) => [r.at, r.actor_label, r.actor_id, r.action, r.entity, r.entity_id, r.client_id, r.changes, r.request_id]),
  );
}
