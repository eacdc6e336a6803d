import { type Expression, type SqlBool, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import { containsText } from '../db/dialect.js';
import { type CursorValue, decodeCursor, type Page, toPage } from '../db/pagination.js';
import type { ClientRow, NewClientRow } from '../db/schema.js';
import { nowIso, parseJsonArray, toBool } from '../db/values.js';
import { clientAbilities, requireClientAccess, requirePermission, scopeFor, visibleClients } from '../http/access.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import type { Client, ClientCreateBody, ClientDetail, ClientListQuery, ClientUpdateBody } from './schemas.js';
import { listTeam } from './team.js';

type Person = { id: string; name: string };

export function toClient(row: ClientRow, relationshipPartners: Person[] = []): Client {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    industry: row.industry,
    annualFees: row.annual_fees === null ? null : Number(row.annual_fees),
    isKeyClient: toBool(row.is_key_client),
    parentId: row.parent_id,
    competitors: parseJsonArray(row.competitors),
    notes: row.notes,
    walled: toBool(row.walled),
    relationshipPartners,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The audited view of a client: what a person changed, in API names. */
function auditedFields(row: ClientRow) {
  const c = toClient(row);
  return {
    name: c.name,
    status: c.status,
    industry: c.industry,
    annualFees: c.annualFees,
    isKeyClient: c.isKeyClient,
    parentId: c.parentId,
    competitors: c.competitors,
    notes: c.notes,
    walled: c.walled,
  };
}

async function partnersOf(db: Db, clientIds: string[]): Promise<Map<string, Person[]>> {
  const map = new Map<string, Person[]>();
  if (clientIds.length === 0) {
    return map;
  }
  const rows = await db
    .selectFrom('client_team')
    .innerJoin('users', 'users.id', 'client_team.user_id')
    .select(['client_team.client_id', 'users.id', 'users.name'])
    .where('client_team.client_id', 'in', clientIds)
    .where('client_team.team_role', '=', 'relationship_partner')
    .orderBy('users.name')
    .execute();
  for (const r of rows) {
    const list = map.get(r.client_id) ?? [];
    list.push({ id: r.id, name: r.name });
    map.set(r.client_id, list);
  }
  return map;
}

/** The sort columns; fees sort with unknown fees as the lowest, so the keyset has no NULLs. */
function sortExpression(sort: ClientListQuery['sort']): Expression<string | number> {
  switch (sort) {
    case 'name':
      return sql<string>`clients.name`;
    case 'status':
      return sql<string>`clients.status`;
    case 'annualFees':
      return sql<number>`coalesce(clients.annual_fees, -1)`;
    case 'updatedAt':
      return sql<string>`clients.updated_at`;
    case 'createdAt':
      return sql<string>`clients.created_at`;
  }
}

function sortValue(row: ClientRow, sort: ClientListQuery['sort']): CursorValue {
  switch (sort) {
    case 'name':
      return row.name;
    case 'status':
      return row.status;
    case 'annualFees':
      return row.annual_fees === null ? -1 : Number(row.annual_fees);
    case 'updatedAt':
      return row.updated_at;
    case 'createdAt':
      return row.created_at;
  }
}

/**
 * Lists the clients the actor may see: filtered, sorted and paginated by keyset (stable under
 * inserts, fast at any depth). Walls are applied in the query, so counts never reveal them.
 */
export async function listClients(ctx: ServiceContext, query: ClientListQuery): Promise<Page<Client>> {
  const { db, actor } = ctx;
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after && typeof after.value !== (query.sort === 'annualFees' ? 'number' : 'string')) {
    throw new ValidationError('cursor', 'belongs to a list with another sort order');
  }
  const sortExpr = sortExpression(query.sort);
  const cmp = query.order === 'asc' ? '>' : '<';
  const filtered = db
    .selectFrom('clients')
    .where(visibleClients(actor))
    .$if(!!query.q, (qb) => qb.where((eb) => containsText(db, eb.ref('clients.name'), query.q ?? '')))
    .$if(!!query.status, (qb) => qb.where('clients.status', 'in', query.status ?? []))
    .$if(!!query.industry, (qb) => qb.where('clients.industry', '=', query.industry ?? ''))
    .$if(query.keyClient !== undefined, (qb) => qb.where('clients.is_key_client', '=', query.keyClient ?? false))
    .$if(!!query.parentId, (qb) => qb.where('clients.parent_id', '=', query.parentId ?? ''))
    .$if(!!query.partnerId || !!query.memberId, (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('client_team')
            .select('client_team.user_id')
            .whereRef('client_team.client_id', '=', 'clients.id')
            .where('client_team.user_id', '=', query.partnerId ?? query.memberId ?? '')
            .$if(!!query.partnerId, (q) => q.where('client_team.team_role', '=', 'relationship_partner')),
        ),
      ),
    );
  const rows = await filtered
    .selectAll('clients')
    // A row-value comparison lets both databases seek the (sort, id) index straight to the
    // cursor; the equivalent `a > x or (a = x and id > y)` makes SQLite scan from the first row.
    .$if(!!after, (qb) => qb.where(sql<SqlBool>`(${sortExpr}, ${sql.ref('clients.id')}) ${sql.raw(cmp)} (${after?.value ?? null}, ${after?.id ?? ''})`))
    .orderBy(sortExpr, query.order)
    .orderBy('clients.id', query.order)
    .limit(query.limit + 1)
    .execute();
  // Relationship partners are part of the team: shown only to those who may read teams.
  const partners = scopeFor(actor.role, 'client_team', 'read')
    ? await partnersOf(
        db,
        rows.slice(0, query.limit).map((r) => r.id),
      )
    : new Map<string, Person[]>();
  const page = toPage(
    rows,
    query.limit,
    (r) => sortValue(r, query.sort),
    (r) => toClient(r, partners.get(r.id)),
  );
  if (query.total) {
    const counted = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    page.total = Number(counted.n);
  }
  return page;
}

async function loadVisibleClient(ctx: ServiceContext, id: string): Promise<ClientRow> {
  const row = await ctx.db.selectFrom('clients').selectAll().where('clients.id', '=', id).where(visibleClients(ctx.actor)).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Client');
  }
  return row;
}

/** The client page: the record, its parent and subsidiaries, its team and how much hangs off it. */
export async function getClient(ctx: ServiceContext, id: string): Promise<ClientDetail> {
  const { teamRole } = await requireClientAccess(ctx, id, 'client', 'read');
  const row = await loadVisibleClient(ctx, id);
  const [team, parent, subsidiaries, counts] = await Promise.all([
    listTeam(ctx, id, { skipAccessCheck: true }),
    row.parent_id
      ? ctx.db
          .selectFrom('clients')
          .select(['clients.id', 'clients.name'])
          .where('clients.id', '=', row.parent_id)
          .where(visibleClients(ctx.actor))
          .executeTakeFirst()
      : undefined,
    ctx.db
      .selectFrom('clients')
      .select(['clients.id', 'clients.name'])
      .where('clients.parent_id', '=', id)
      .where(visibleClients(ctx.actor))
      .orderBy('clients.name')
      .execute(),
    ctx.db
      .selectFrom('clients')
      .select((eb) => [
        eb
          .selectFrom('contacts')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('contacts.client_id', '=', 'clients.id')
          .as('contacts'),
        eb
          .selectFrom('matters')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('matters.client_id', '=', 'clients.id')
          .as('matters'),
        eb
          .selectFrom('matters')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('matters.client_id', '=', 'clients.id')
          .where('matters.status', '!=', 'closed')
          .as('open_matters'),
      ])
      .where('clients.id', '=', id)
      .executeTakeFirstOrThrow(),
  ]);
  // External interviewers read a client for their session; its team and matters are not theirs to see.
  const abilities = clientAbilities(ctx.actor.role, teamRole);
  const shownTeam = abilities.readTeam ? team : [];
  const partners = shownTeam.filter((m) => m.teamRole === 'relationship_partner').map((m) => ({ id: m.userId, name: m.name }));
  return {
    ...toClient(row, partners),
    parent: parent ?? null,
    subsidiaries,
    team: shownTeam,
    counts: {
      contacts: Number(counts.contacts ?? 0),
      matters: abilities.readMatters ? Number(counts.matters ?? 0) : null,
      openMatters: abilities.readMatters ? Number(counts.open_matters ?? 0) : null,
    },
    abilities,
  };
}

async function assertParentUsable(ctx: ServiceContext, clientId: string | null, parentId: string | null | undefined): Promise<void> {
  if (!parentId) {
    return;
  }
  if (parentId === clientId) {
    throw new ValidationError('parentId', 'a client cannot be its own parent');
  }
  const parent = await ctx.db
    .selectFrom('clients')
    .select(['clients.id', 'clients.parent_id'])
    .where('clients.id', '=', parentId)
    .where(visibleClients(ctx.actor))
    .executeTakeFirst();
  if (!parent) {
    throw new ValidationError('parentId', 'is not a client you can see');
  }
  // Walk up from the new parent: meeting the client itself would make a loop.
  let cursor: string | null = parent.parent_id;
  for (let depth = 0; cursor && depth < 50; depth++) {
    if (cursor === clientId) {
      throw new ValidationError('parentId', 'would make the client its own ancestor');
    }
    const next: { parent_id: string | null } | undefined = await ctx.db.selectFrom('clients').select('parent_id').where('id', '=', cursor).executeTakeFirst();
    cursor = next?.parent_id ?? null;
  }
}

async function assertUsers(db: Db, field: string, ids: string[]): Promise<void> {
  if (ids.length === 0) {
    return;
  }
  const found = new Set((await db.selectFrom('users').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
  const missing = ids.findIndex((u) => !found.has(u));
  if (missing >= 0) {
    throw new ValidationError(`${field}.${missing}`, 'is not a user');
  }
}

export async function createClient(ctx: ServiceContext, input: ClientCreateBody): Promise<ClientDetail> {
  requirePermission(ctx.actor, 'client', 'create');
  const now = nowIso();
  const row = {
    id: uuidv7(),
    name: input.name,
    status: input.status,
    industry: input.industry ?? null,
    annual_fees: input.annualFees ?? null,
    is_key_client: input.isKeyClient,
    parent_id: input.parentId ?? null,
    competitors: JSON.stringify(input.competitors),
    notes: input.notes ?? null,
    walled: input.walled,
    created_at: now,
    updated_at: now,
  } satisfies NewClientRow;
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    await assertParentUsable(tctx, null, input.parentId);
    if (input.walled) {
      const members = [...new Set([...(ctx.actor.id ? [ctx.actor.id] : []), ...(input.wallMemberIds ?? [])])];
      await assertUsers(trx, 'wallMemberIds', input.wallMemberIds ?? []);
      await trx.insertInto('clients').values(row).execute();
      if (members.length > 0) {
        await trx
          .insertInto('client_wall_members')
          .values(members.map((user_id) => ({ client_id: row.id, user_id, created_at: now })))
          .execute();
      }
    } else {
      if (input.wallMemberIds?.length) {
        throw new ValidationError('wallMemberIds', 'only applies to a walled client');
      }
      await trx.insertInto('clients').values(row).execute();
    }
    // A partner who creates a client is its relationship partner until the team says otherwise.
    if (ctx.actor.role === 'partner' && ctx.actor.id) {
      await trx.insertInto('client_team').values({ client_id: row.id, user_id: ctx.actor.id, team_role: 'relationship_partner', created_at: now }).execute();
    }
    await recordAudit(tctx, { action: 'client.create', entity: 'client', entityId: row.id, clientId: row.id, after: auditedFields(row) });
  });
  return getClient(ctx, row.id);
}

export async function updateClient(ctx: ServiceContext, id: string, input: ClientUpdateBody): Promise<ClientDetail> {
  await requireClientAccess(ctx, id, 'client', 'update');
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = await loadVisibleClient(tctx, id);
    if (input.parentId !== undefined) {
      await assertParentUsable(tctx, id, input.parentId);
    }
    await trx
      .updateTable('clients')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.status !== undefined && { status: input.status }),
        ...(input.industry !== undefined && { industry: input.industry }),
        ...(input.annualFees !== undefined && { annual_fees: input.annualFees }),
        ...(input.isKeyClient !== undefined && { is_key_client: input.isKeyClient }),
        ...(input.parentId !== undefined && { parent_id: input.parentId }),
        ...(input.competitors !== undefined && { competitors: JSON.stringify(input.competitors) }),
        ...(input.notes !== undefined && { notes: input.notes }),
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .execute();
    const after = await loadVisibleClient(tctx, id);
    await recordAudit(tctx, {
      action: 'client.update',
      entity: 'client',
      entityId: id,
      clientId: id,
      before: auditedFields(before),
      after: auditedFields(after),
    });
  });
  return getClient(ctx, id);
}

/**
 * Deletes a client. One with contacts or matters is refused unless `cascade` is asked for, so
 * that a slip of the mouse does not erase a relationship's history.
 */
export async function deleteClient(ctx: ServiceContext, id: string, cascade = false): Promise<void> {
  await requireClientAccess(ctx, id, 'client', 'delete');
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = await loadVisibleClient(tctx, id);
    const [contacts, matters] = await Promise.all([
      trx
        .selectFrom('contacts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('client_id', '=', id)
        .executeTakeFirstOrThrow(),
      trx
        .selectFrom('matters')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('client_id', '=', id)
        .executeTakeFirstOrThrow(),
    ]);
    const nContacts = Number(contacts.n);
    const nMatters = Number(matters.n);
    if (!cascade && (nContacts > 0 || nMatters > 0)) {
      throw new ConflictError(
        undefined,
        `The client has ${nMatters} matter(s) and ${nContacts} contact(s); delete them first, or ask for cascade=true to delete them with the client`,
      );
    }
    await trx.deleteFrom('clients').where('id', '=', id).execute();
    await recordAudit(tctx, {
      action: 'client.delete',
      entity: 'client',
      entityId: id,
      clientId: id,
      before: { ...auditedFields(before), contacts: nContacts, matters: nMatters },
    });
  });
}
