import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import type { MatterRow, NewMatterRow } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { requireClientAccess } from '../http/access.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import type { Matter, MatterCreateBody, MatterUpdateBody } from './schemas.js';

export function toMatter(row: MatterRow): Matter {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    reference: row.reference,
    practiceArea: row.practice_area,
    status: row.status,
    openedOn: row.opened_on,
    closedOn: row.closed_on,
    clientProjectCode: row.client_project_code,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function audited(m: Matter) {
  const { id: _id, clientId: _c, createdAt: _a, updatedAt: _b, ...fields } = m;
  return fields;
}

/** Matters of a client: open ones first, newest first. */
export async function listMatters(ctx: ServiceContext, clientId: string): Promise<Matter[]> {
  await requireClientAccess(ctx, clientId, 'matter', 'read');
  const rows = await ctx.db
    .selectFrom('matters')
    .selectAll()
    .where('client_id', '=', clientId)
    .orderBy((eb) => eb.case().when('status', '=', 'closed').then(1).else(0).end())
    .orderBy('opened_on', 'desc')
    .orderBy('name')
    .execute();
  return rows.map(toMatter);
}

async function loadMatter(ctx: ServiceContext, clientId: string, matterId: string): Promise<MatterRow> {
  const row = await ctx.db.selectFrom('matters').selectAll().where('id', '=', matterId).where('client_id', '=', clientId).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Matter');
  }
  return row;
}

export async function getMatter(ctx: ServiceContext, clientId: string, matterId: string): Promise<Matter> {
  await requireClientAccess(ctx, clientId, 'matter', 'read');
  return toMatter(await loadMatter(ctx, clientId, matterId));
}

export async function createMatter(ctx: ServiceContext, clientId: string, input: MatterCreateBody): Promise<Matter> {
  await requireClientAccess(ctx, clientId, 'matter', 'create');
  const now = nowIso();
  const row = {
    id: uuidv7(),
    client_id: clientId,
    name: input.name,
    reference: input.reference ?? null,
    practice_area: input.practiceArea ?? null,
    status: input.status,
    opened_on: input.openedOn ?? null,
    closed_on: input.closedOn ?? null,
    client_project_code: input.clientProjectCode ?? null,
    created_at: now,
    updated_at: now,
  } satisfies NewMatterRow;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('matters').values(row).execute();
    await recordAudit({ ...ctx, db: trx }, { action: 'matter.create', entity: 'matter', entityId: row.id, clientId, after: audited(toMatter(row)) });
  });
  return toMatter(row);
}

export async function updateMatter(ctx: ServiceContext, clientId: string, matterId: string, input: MatterUpdateBody): Promise<Matter> {
  await requireClientAccess(ctx, clientId, 'matter', 'update');
  return ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = toMatter(await loadMatter(tctx, clientId, matterId));
    const openedOn = input.openedOn !== undefined ? input.openedOn : before.openedOn;
    const closedOn = input.closedOn !== undefined ? input.closedOn : before.closedOn;
    if (openedOn && closedOn && closedOn < openedOn) {
      throw new ValidationError('closedOn', 'must not be before the opening date');
    }
    await trx
      .updateTable('matters')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.reference !== undefined && { reference: input.reference }),
        ...(input.practiceArea !== undefined && { practice_area: input.practiceArea }),
        ...(input.status !== undefined && { status: input.status }),
        ...(input.openedOn !== undefined && { opened_on: input.openedOn }),
        ...(input.closedOn !== undefined && { closed_on: input.closedOn }),
        ...(input.clientProjectCode !== undefined && { client_project_code: input.clientProjectCode }),
        updated_at: nowIso(),
      })
      .where('id', '=', matterId)
      .execute();
    const after = toMatter(await loadMatter(tctx, clientId, matterId));
    await recordAudit(tctx, { action: 'matter.update', entity: 'matter', entityId: matterId, clientId, before: audited(before), after: audited(after) });
    return after;
  });
}

export async function deleteMatter(ctx: ServiceContext, clientId: string, matterId: string): Promise<void> {
  await requireClientAccess(ctx, clientId, 'matter', 'delete');
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = toMatter(await loadMatter(tctx, clientId, matterId));
    await trx.deleteFrom('matters').where('id', '=', matterId).execute();
    await recordAudit(tctx, { action: 'matter.delete', entity: 'matter', entityId: matterId, clientId, before: audited(before) });
  });
}
