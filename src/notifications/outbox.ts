import type { Page } from '../db/pagination.js';
import { decodeCursor, toPage } from '../db/pagination.js';
import { requirePermission } from '../http/access.js';
import { ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import type { OutboxListQuery, OutboxMessage } from './schemas.js';

/** Admins: the outgoing email, newest first (bodies left out), e.g. `status=failed` to see what never went. */
export async function listOutbox(ctx: ServiceContext, query: OutboxListQuery): Promise<Page<OutboxMessage>> {
  requirePermission(ctx.actor, 'email_outbox', 'read');
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after && typeof after.value !== 'string') {
    throw new ValidationError('cursor', 'is not a cursor this list returned');
  }
  const rows = await ctx.db
    .selectFrom('email_outbox')
    .select(['id', 'user_id', 'kind', 'period_key', 'to_address', 'subject', 'status', 'attempts', 'last_error', 'next_attempt_at', 'created_at', 'sent_at'])
    .$if(!!query.status, (qb) => qb.where('status', '=', query.status ?? 'pending'))
    .$if(!!after, (qb) =>
      qb.where((eb) =>
        eb.or([eb('created_at', '<', String(after?.value)), eb.and([eb('created_at', '=', String(after?.value)), eb('id', '<', after?.id ?? '')])]),
      ),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return toPage(
    rows,
    query.limit,
    (r) => r.created_at,
    (r) => ({
      id: r.id,
      userId: r.user_id,
      kind: r.kind,
      periodKey: r.period_key,
      to: r.to_address,
      subject: r.subject,
      status: r.status,
      attempts: Number(r.attempts),
      lastError: r.last_error,
      nextAttemptAt: r.next_attempt_at,
      createdAt: r.created_at,
      sentAt: r.sent_at,
    }),
  );
}
