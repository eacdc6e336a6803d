import { recordAudit } from '../audit/service.js';
import { yieldToEventLoop } from '../db/batching.js';
import type { Db } from '../db/connect.js';
import { notifyActionEscalated } from '../notifications/events.js';
import type { ServiceContext } from '../server/context.js';
import { programmeLead } from './auto.js';
import { escalationCutoff } from './loop.js';
import { readLoopSettings } from './settings.js';

export interface EscalationReport {
  /** The configured age, in days, after which an untouched action escalates. */
  afterDays: number;
  escalatedTo: string | null;
  escalated: { id: string; title: string; clientId: string; ownerId: string; lastActivityAt: string }[];
  /** Why nothing could be escalated although some actions were due (no programme lead). */
  skipped?: string;
}

/**
 * Escalates open and in-progress actions nobody has touched for longer than
 * `loop.escalate_after_days` to the programme lead (the owner of the most recent active
 * programme, else any active programme lead). Idempotent: an escalated action is not escalated
 * again. Each escalation is audited as the system actor.
 */
export async function escalateStaleActions(db: Db, now = new Date(), requestId?: string): Promise<EscalationReport> {
  const settings = await readLoopSettings(db);
  const cutoff = escalationCutoff(now, settings.escalateAfterDays);
  const due = await db
    .selectFrom('actions')
    .select(['id', 'title', 'client_id', 'owner_id', 'last_activity_at'])
    .where('status', 'in', ['open', 'in_progress'])
    .where('escalated_at', 'is', null)
    .where('last_activity_at', '<', cutoff)
    .orderBy('last_activity_at')
    .orderBy('id')
    .execute();
  const report: EscalationReport = { afterDays: settings.escalateAfterDays, escalatedTo: null, escalated: [] };
  if (due.length === 0) {
    return report;
  }
  const leadId = await programmeLead(db);
  if (!leadId) {
    report.skipped = `${due.length} action(s) are due to escalate but there is no active programme lead`;
    return report;
  }
  report.escalatedTo = leadId;
  const at = now.toISOString();
  for (const [index, action] of due.entries()) {
    if (index > 0 && index % 50 === 0) {
      // A first sweep over a large backlog must not hold up the requests waiting meanwhile.
      await yieldToEventLoop();
    }
    await db.transaction().execute(async (trx) => {
      const ctx: ServiceContext = { db: trx, actor: { id: null, role: 'system', name: 'escalation', email: null }, requestId };
      // Re-checked in the update itself, so a concurrent sweep or edit never escalates twice.
      const result = await trx
        .updateTable('actions')
        .set({ escalated_at: at, escalated_to: leadId })
        .where('id', '=', action.id)
        .where('escalated_at', 'is', null)
        .where('status', 'in', ['open', 'in_progress'])
        .where('last_activity_at', '<', cutoff)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        return;
      }
      await recordAudit(ctx, {
        action: 'action.escalate',
        entity: 'action',
        entityId: action.id,
        clientId: action.client_id,
        before: { escalatedTo: null },
        after: { escalatedTo: leadId, escalatedAt: at },
      });
      await notifyActionEscalated(trx, { id: action.id, clientId: action.client_id, title: action.title }, leadId);
      report.escalated.push({
        id: action.id,
        title: action.title,
        clientId: action.client_id,
        ownerId: action.owner_id,
        lastActivityAt: action.last_activity_at,
      });
    });
  }
  return report;
}

/** Runs the sweep now and then every hour in the server process; the timer never holds the process open. */
export function startLoopScheduler(db: Db, log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void }, everyMs = 60 * 60 * 1000) {
  const run = async () => {
    try {
      const report = await escalateStaleActions(db, new Date());
      if (report.escalated.length > 0 || report.skipped) {
        log.info({ escalated: report.escalated.length, skipped: report.skipped }, 'action escalation sweep');
      }
    } catch (err) {
      log.error({ err }, 'action escalation sweep failed');
    }
  };
  const first = setTimeout(() => void run(), 60 * 1000);
  first.unref();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
