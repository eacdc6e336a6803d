import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import type { ThemeRow } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { requirePermission } from '../http/access.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import type { Theme, ThemeCreateBody, ThemeListQuery, ThemeTreeNode, ThemeUpdateBody } from './schemas.js';

type ThemeWithUse = ThemeRow & { in_use: number | string | boolean | null };

function toTheme(row: ThemeWithUse): Theme {
  return {
    id: row.id,
    parentId: row.parent_id,
    name: row.name,
    description: row.description,
    position: Number(row.position),
    archived: toBool(row.archived),
    inUse: Number(row.in_use ?? 0) > 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function audited(t: Theme) {
  return { name: t.name, description: t.description, parentId: t.parentId, position: t.position, archived: t.archived };
}

function themeRows(db: Db) {
  return db
    .selectFrom('themes')
    .selectAll('themes')
    .select((eb) =>
      eb
        .selectFrom('insight_themes')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('insight_themes.theme_id', '=', 'themes.id')
        .as('in_use'),
    );
}

/** The taxonomy as a two-level tree, ordered by position; archived themes flagged (or left out with `active`). */
export async function listThemes(ctx: ServiceContext, query: ThemeListQuery = {}): Promise<ThemeTreeNode[]> {
  requirePermission(ctx.actor, 'theme', 'read');
  const rows = await themeRows(ctx.db)
    .$if(query.active === true, (qb) => qb.where('themes.archived', '=', false))
    .orderBy('themes.position')
    .orderBy('themes.name')
    .execute();
  const themes = rows.map(toTheme);
  return themes.filter((t) => t.parentId === null).map((parent) => ({ ...parent, children: themes.filter((c) => c.parentId === parent.id) }));
}

async function loadTheme(db: Db, id: string): Promise<Theme> {
  const row = await themeRows(db).where('themes.id', '=', id).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Theme');
  }
  return toTheme(row);
}

export async function getTheme(ctx: ServiceContext, id: string): Promise<Theme> {
  requirePermission(ctx.actor, 'theme', 'read');
  return loadTheme(ctx.db, id);
}

async function assertUniqueName(db: Db, parentId: string | null, name: string, exceptId?: string): Promise<void> {
  const siblings = await db
    .selectFrom('themes')
    .select(['id', 'name'])
    .$if(parentId === null, (qb) => qb.where('parent_id', 'is', null))
    .$if(parentId !== null, (qb) => qb.where('parent_id', '=', parentId ?? ''))
    .execute();
  if (siblings.some((s) => s.id !== exceptId && s.name.toLocaleLowerCase() === name.toLocaleLowerCase())) {
    throw new ConflictError('name', parentId ? 'is already a sub-theme of this theme' : 'is already a theme');
  }
}

export async function createTheme(ctx: ServiceContext, input: ThemeCreateBody): Promise<Theme> {
  requirePermission(ctx.actor, 'theme', 'update');
  const parentId = input.parentId ?? null;
  return ctx.db.transaction().execute(async (trx) => {
    if (parentId) {
      const parent = await trx.selectFrom('themes').select(['id', 'parent_id']).where('id', '=', parentId).executeTakeFirst();
      if (!parent) {
        throw new ValidationError('parentId', 'is not a theme');
      }
      if (parent.parent_id !== null) {
        throw new ValidationError('parentId', 'is a sub-theme; themes have two levels, so choose a top-level theme');
      }
    }
    await assertUniqueName(trx, parentId, input.name);
    const last = await trx
      .selectFrom('themes')
      .select(sql<number | null>`max(position)`.as('p'))
      .$if(parentId === null, (qb) => qb.where('parent_id', 'is', null))
      .$if(parentId !== null, (qb) => qb.where('parent_id', '=', parentId ?? ''))
      .executeTakeFirst();
    const now = nowIso();
    const id = uuidv7();
    await trx
      .insertInto('themes')
      .values({
        id,
        parent_id: parentId,
        name: input.name,
        description: input.description ?? null,
        position: last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1,
        archived: false,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const theme = await loadTheme(trx, id);
    await recordAudit({ ...ctx, db: trx }, { action: 'theme.create', entity: 'theme', entityId: id, after: audited(theme) });
    return theme;
  });
}

export async function updateTheme(ctx: ServiceContext, id: string, input: ThemeUpdateBody): Promise<Theme> {
  requirePermission(ctx.actor, 'theme', 'update');
  return ctx.db.transaction().execute(async (trx) => {
    const before = await loadTheme(trx, id);
    if (input.name !== undefined) {
      await assertUniqueName(trx, before.parentId, input.name, id);
    }
    await trx
      .updateTable('themes')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.position !== undefined && { position: input.position }),
        ...(input.archived !== undefined && { archived: input.archived }),
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .execute();
    const after = await loadTheme(trx, id);
    await recordAudit({ ...ctx, db: trx }, { action: 'theme.update', entity: 'theme', entityId: id, before: audited(before), after: audited(after) });
    return after;
  });
}

/** Deletes a theme nobody has used (nor any of its sub-themes); a used theme is archived instead. */
export async function deleteTheme(ctx: ServiceContext, id: string): Promise<void> {
  requirePermission(ctx.actor, 'theme', 'update');
  await ctx.db.transaction().execute(async (trx) => {
    const before = await loadTheme(trx, id);
    const used = await trx
      .selectFrom('insight_themes')
      .innerJoin('themes', 'themes.id', 'insight_themes.theme_id')
      .select('insight_themes.theme_id')
      .where((eb) => eb.or([eb('themes.id', '=', id), eb('themes.parent_id', '=', id)]))
      .executeTakeFirst();
    if (used) {
      throw new ConflictError(undefined, 'Insights are filed under this theme or its sub-themes; archive it instead');
    }
    await trx.deleteFrom('themes').where('parent_id', '=', id).execute();
    await trx.deleteFrom('themes').where('id', '=', id).execute();
    await recordAudit({ ...ctx, db: trx }, { action: 'theme.delete', entity: 'theme', entityId: id, before: audited(before) });
  });
}
