import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import type { ContactRow, NewContactRow } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { requireClientAccess } from '../http/access.js';
import { NotFoundError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import type { Contact, ContactCreateBody, ContactUpdateBody } from './schemas.js';

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    preferredName: row.preferred_name,
    role: row.role,
    jobTitle: row.job_title,
    email: row.email,
    phone: row.phone,
    isDecisionMaker: toBool(row.is_decision_maker),
    leftOn: row.left_on,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function audited(c: Contact) {
  const { id: _id, clientId: _c, createdAt: _a, updatedAt: _b, ...fields } = c;
  return fields;
}

/** Contacts of a client: current ones first, then those who have left. */
export async function listContacts(ctx: ServiceContext, clientId: string): Promise<Contact[]> {
  await requireClientAccess(ctx, clientId, 'contact', 'read');
  const rows = await ctx.db
    .selectFrom('contacts')
    .selectAll()
    .where('client_id', '=', clientId)
    .orderBy((eb) => eb.case().when('left_on', 'is', null).then(0).else(1).end())
    .orderBy('name')
    .execute();
  return rows.map(toContact);
}

async function loadContact(ctx: ServiceContext, clientId: string, contactId: string): Promise<ContactRow> {
  const row = await ctx.db.selectFrom('contacts').selectAll().where('id', '=', contactId).where('client_id', '=', clientId).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Contact');
  }
  return row;
}

export async function getContact(ctx: ServiceContext, clientId: string, contactId: string): Promise<Contact> {
  await requireClientAccess(ctx, clientId, 'contact', 'read');
  return toContact(await loadContact(ctx, clientId, contactId));
}

export async function createContact(ctx: ServiceContext, clientId: string, input: ContactCreateBody): Promise<Contact> {
  await requireClientAccess(ctx, clientId, 'contact', 'create');
  const now = nowIso();
  const row = {
    id: uuidv7(),
    client_id: clientId,
    name: input.name,
    preferred_name: input.preferredName ?? null,
    role: input.role ?? null,
    job_title: input.jobTitle ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    is_decision_maker: input.isDecisionMaker,
    left_on: input.leftOn ?? null,
    created_at: now,
    updated_at: now,
  } satisfies NewContactRow;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('contacts').values(row).execute();
    await recordAudit({ ...ctx, db: trx }, { action: 'contact.create', entity: 'contact', entityId: row.id, clientId, after: audited(toContact(row)) });
  });
  return toContact(row);
}

export async function updateContact(ctx: ServiceContext, clientId: string, contactId: string, input: ContactUpdateBody): Promise<Contact> {
  await requireClientAccess(ctx, clientId, 'contact', 'update');
  return ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = toContact(await loadContact(tctx, clientId, contactId));
    await trx
      .updateTable('contacts')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.preferredName !== undefined && { preferred_name: input.preferredName }),
        ...(input.role !== undefined && { role: input.role }),
        ...(input.jobTitle !== undefined && { job_title: input.jobTitle }),
        ...(input.email !== undefined && { email: input.email }),
        ...(input.phone !== undefined && { phone: input.phone }),
        ...(input.isDecisionMaker !== undefined && { is_decision_maker: input.isDecisionMaker }),
        ...(input.leftOn !== undefined && { left_on: input.leftOn }),
        updated_at: nowIso(),
      })
      .where('id', '=', contactId)
      .execute();
    const after = toContact(await loadContact(tctx, clientId, contactId));
    await recordAudit(tctx, { action: 'contact.update', entity: 'contact', entityId: contactId, clientId, before: audited(before), after: audited(after) });
    return after;
  });
}

export async function deleteContact(ctx: ServiceContext, clientId: string, contactId: string): Promise<void> {
  await requireClientAccess(ctx, clientId, 'contact', 'delete');
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = toContact(await loadContact(tctx, clientId, contactId));
    await trx.deleteFrom('contacts').where('id', '=', contactId).execute();
    await recordAudit(tctx, { action: 'contact.delete', entity: 'contact', entityId: contactId, clientId, before: audited(before) });
  });
}
