import { v7 as uuidv7 } from 'uuid';
import { nowIso, toBool } from '../db/values.js';
import type { ServiceContext } from '../server/context.js';

/** Fields never copied into the audit log: secrets, and bookkeeping that changes on every write. */
const NOT_AUDITED = new Set(['password_hash', 'passwordHash', 'token_hash', 'updated_at', 'updatedAt', 'created_at', 'createdAt']);

export type Changes = Record<string, [unknown, unknown]>;

/** The fields that differ between two versions of a record (either may be absent). */
export function diffChanges(before: object | null | undefined, after: object | null | undefined): Changes {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const changes: Changes = {};
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (NOT_AUDITED.has(key)) {
      continue;
    }
    const from = b[key] ?? null;
    const to = a[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) {
      changes[key] = [from, to];
    }
  }
  return changes;
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string;
  clientId?: string | null;
  before?: object | null;
  after?: object | null;
  changes?: Changes;
}

/**
 * Writes one audit row. Call it inside the same transaction as the change it records, so that
 * a change and its record stand or fall together.
 */
export async function recordAudit(ctx: ServiceContext, entry: AuditEntry): Promise<void> {
  const changes = entry.changes ?? diffChanges(entry.before, entry.after);
  const clientId = entry.clientId ?? null;
  const client = clientId ? await ctx.db.selectFrom('clients').select('walled').where('id', '=', clientId).executeTakeFirst() : undefined;
  await ctx.db
    .insertInto('audit_log')
    .values({
      id: uuidv7(),
      at: nowIso(),
      actor_id: ctx.actor.id,
      actor_label: ctx.actor.email ?? ctx.actor.name,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      client_id: clientId,
      client_walled: toBool(client?.walled) || toBool((entry.before as { walled?: boolean } | undefined)?.walled),
      changes: JSON.stringify(changes),
      request_id: ctx.requestId ?? null,
    })
    .execute();
}
