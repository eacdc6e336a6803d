import { z } from 'zod';
import { recordAudit } from '../audit/service.js';
import { nowIso } from '../db/values.js';
import { requirePermission } from '../http/access.js';
import type { ServiceContext } from '../server/context.js';
import { readStaleAfterDays, STALE_AFTER_DAYS_KEY } from './preferences.js';

/** Firm-wide settings of the preferences domain: when a preference becomes "ask again". */

export const PreferenceSettingsSchema = z
  .object({
    staleAfterDays: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(3650, 'must be at most 3650')
      .describe('A preference last confirmed longer ago than this many days is listed as "ask again" (1–3650)'),
  })
  .meta({ id: 'PreferenceSettings' });
export type PreferenceSettings = z.infer<typeof PreferenceSettingsSchema>;
export const PreferenceSettingsBody = z.object(PreferenceSettingsSchema.shape);

export async function getPreferenceSettings(ctx: ServiceContext): Promise<PreferenceSettings> {
  requirePermission(ctx.actor, 'setting', 'read');
  return { staleAfterDays: await readStaleAfterDays(ctx.db) };
}

export async function putPreferenceSettings(ctx: ServiceContext, input: PreferenceSettings): Promise<PreferenceSettings> {
  requirePermission(ctx.actor, 'setting', 'update');
  return ctx.db.transaction().execute(async (trx) => {
    const before = { staleAfterDays: await readStaleAfterDays(trx) };
    const now = nowIso();
    const value = JSON.stringify(input.staleAfterDays);
    await trx
      .insertInto('settings')
      .values({ key: STALE_AFTER_DAYS_KEY, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
    const after = { staleAfterDays: await readStaleAfterDays(trx) };
    await recordAudit({ ...ctx, db: trx }, { action: 'settings.preferences.update', entity: 'settings', entityId: 'preferences', before, after });
    return after;
  });
}
