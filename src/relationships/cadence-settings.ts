import { recordAudit } from '../audit/service.js';
import { nowIso } from '../db/values.js';
import { requirePermission } from '../http/access.js';
import type { ServiceContext } from '../server/context.js';
import type { CadenceDefaults, CadenceDefaultsBody } from './check-in-schemas.js';
import { readCadenceDefaults } from './check-ins.js';

/**
 * The firm-wide check-in cadence defaults (settings `cadence.key_client` and
 * `cadence.other_client`): what a client without its own cadence follows. Read by those who
 * read settings; changed by admins only, audited.
 */
export async function getCadenceDefaults(ctx: ServiceContext): Promise<CadenceDefaults> {
  requirePermission(ctx.actor, 'setting', 'read');
  const d = await readCadenceDefaults(ctx.db);
  return { keyClient: d.key, otherClient: d.other };
}

export async function putCadenceDefaults(ctx: ServiceContext, input: CadenceDefaultsBody): Promise<CadenceDefaults> {
  requirePermission(ctx.actor, 'setting', 'update');
  return ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const read = async () => {
      const d = await readCadenceDefaults(trx);
      return { keyClient: d.key, otherClient: d.other };
    };
    const before = await read();
    const now = nowIso();
    for (const [key, rule] of [
      ['cadence.key_client', input.keyClient],
      ['cadence.other_client', input.otherClient],
    ] as const) {
      const value = JSON.stringify({ idealDays: rule.idealDays, maxDays: rule.maxDays });
      await trx
        .insertInto('settings')
        .values({ key, value, updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
        .execute();
    }
    const after = await read();
    await recordAudit(tctx, { action: 'settings.cadence.update', entity: 'settings', entityId: 'cadence', before, after });
    return after;
  });
}
