import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import { nowIso } from '../db/values.js';
import { requirePermission } from '../http/access.js';
import type { ServiceContext } from '../server/context.js';
import type { LoopSettings } from './schemas.js';

/** The loop settings as stored (keys of the `settings` table) and their defaults. */
const KEYS = {
  unactionedAfterDays: 'loop.unactioned_after_days',
  escalateAfterDays: 'loop.escalate_after_days',
  autoActionOnDetractor: 'loop.auto_action_on_detractor',
  autoActionOnHighConcern: 'loop.auto_action_on_high_concern',
  autoActionDueDays: 'loop.auto_action_due_days',
  recoveryAfterDays: 'loop.recovery_after_days',
} as const satisfies Record<keyof LoopSettings, string>;

export const DEFAULT_LOOP_SETTINGS: LoopSettings = {
  unactionedAfterDays: 14,
  escalateAfterDays: 21,
  autoActionOnDetractor: true,
  autoActionOnHighConcern: true,
  autoActionDueDays: 7,
  recoveryAfterDays: 14,
};

function parse(value: string | undefined): unknown {
  if (value === undefined) {
    return undefined;
  }
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Reads the loop settings (no access check: used by jobs and services). Missing or malformed values fall back to defaults. */
export async function readLoopSettings(db: Db): Promise<LoopSettings> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', Object.values(KEYS)).execute();
  const stored = new Map(rows.map((r) => [r.key, parse(r.value)]));
  const num = (k: keyof LoopSettings) => {
    const v = stored.get(KEYS[k]);
    return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : (DEFAULT_LOOP_SETTINGS[k] as number);
  };
  const bool = (k: keyof LoopSettings) => {
    const v = stored.get(KEYS[k]);
    return typeof v === 'boolean' ? v : (DEFAULT_LOOP_SETTINGS[k] as boolean);
  };
  return {
    unactionedAfterDays: num('unactionedAfterDays'),
    escalateAfterDays: num('escalateAfterDays'),
    autoActionOnDetractor: bool('autoActionOnDetractor'),
    autoActionOnHighConcern: bool('autoActionOnHighConcern'),
    autoActionDueDays: num('autoActionDueDays'),
    recoveryAfterDays: num('recoveryAfterDays'),
  };
}

export async function getLoopSettings(ctx: ServiceContext): Promise<LoopSettings> {
  requirePermission(ctx.actor, 'setting', 'read');
  return readLoopSettings(ctx.db);
}

export async function putLoopSettings(ctx: ServiceContext, input: LoopSettings): Promise<LoopSettings> {
  requirePermission(ctx.actor, 'setting', 'update');
  return ctx.db.transaction().execute(async (trx) => {
    const before = await readLoopSettings(trx);
    const now = nowIso();
    for (const [field, key] of Object.entries(KEYS) as [keyof LoopSettings, string][]) {
      const value = JSON.stringify(input[field]);
      await trx
        .insertInto('settings')
        .values({ key, value, updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
        .execute();
    }
    const after = await readLoopSettings(trx);
    await recordAudit({ ...ctx, db: trx }, { action: 'settings.loop.update', entity: 'settings', entityId: 'loop', before, after });
    return after;
  });
}
