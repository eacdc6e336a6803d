import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import type { InterviewGuideRow } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { requirePermission, scopeFor } from '../http/access.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import type {
  Guide,
  GuideCreateBody,
  GuideDetail,
  GuidePatchBody,
  GuidePutBody,
  GuideSection,
  GuideSectionsInput,
  GuideVersion,
  GuideVersionInfo,
  ScoreDimension,
  ScoreDimensionsPutBody,
} from './guide-schemas.js';

type Executor = Db;

/**
 * A key made from free text (a question or a label): lower-case words joined by `_`, short
 * enough to read in an export, and not one of `taken`.
 */
export function keyFrom(text: string, taken: Set<string>, fallback = 'item'): string {
  const base =
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 40)
      .replace(/_+$/, '') || fallback;
  let candidate = base;
  for (let n = 2; taken.has(candidate); n += 1) {
    candidate = `${base}_${n}`;
  }
  taken.add(candidate);
  return candidate;
}

/** Gives every new section and question a key, keeping the ones the editor sent. */
export function withKeys(input: GuideSectionsInput): GuideSection[] {
  const sectionKeys = new Set(input.flatMap((s) => (s.key ? [s.key] : [])));
  const questionKeys = new Set(input.flatMap((s) => s.questions.flatMap((q) => (q.key ? [q.key] : []))));
  return input.map((s) => ({
    key: s.key ?? keyFrom(s.title, sectionKeys, 'section'),
    title: s.title,
    questions: s.questions.map((q) => ({ key: q.key ?? keyFrom(q.text, questionKeys, 'question'), text: q.text, help: q.help ?? null })),
  }));
}

/** The sections stored in a version (JSON text), as the API shapes them. */
export function parseSections(json: string): GuideSection[] {
  const raw = JSON.parse(json) as { key: string; title: string; questions: { key: string; text: string; help?: string | null }[] }[];
  return raw.map((s) => ({ key: s.key, title: s.title, questions: s.questions.map((q) => ({ key: q.key, text: q.text, help: q.help ?? null })) }));
}

/**
 * The sections of one guide version by its id, for sessions (which keep the version they were
 * planned with) and summaries. Undefined when there is no such version.
 */
export async function loadGuideVersionSections(db: Executor, versionId: string): Promise<GuideSection[] | undefined> {
  const row = await db.selectFrom('guide_versions').select('sections').where('id', '=', versionId).executeTakeFirst();
  return row ? parseSections(row.sections) : undefined;
}

function toGuide(row: InterviewGuideRow & { latest_version: number | null }): Guide {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isDefault: toBool(row.is_default),
    archived: toBool(row.archived),
    latestVersion: Number(row.latest_version ?? 0),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function guidesQuery(db: Executor) {
  return db
    .selectFrom('interview_guides')
    .selectAll('interview_guides')
    .select((eb) =>
      eb
        .selectFrom('guide_versions')
        .select((v) => v.fn.max('guide_versions.version').as('v'))
        .whereRef('guide_versions.guide_id', '=', 'interview_guides.id')
        .as('latest_version'),
    );
}

async function loadGuide(db: Executor, guideId: string): Promise<Guide> {
  const row = await guidesQuery(db).where('interview_guides.id', '=', guideId).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Guide');
  }
  return toGuide(row);
}

function auditedGuide(g: Guide) {
  return { name: g.name, description: g.description, isDefault: g.isDefault, archived: g.archived, latestVersion: g.latestVersion };
}

/** Every interview guide: the default first, archived ones last. */
export async function listGuides(ctx: ServiceContext): Promise<Guide[]> {
  requirePermission(ctx.actor, 'guide', 'read');
  const rows = await guidesQuery(ctx.db)
    .orderBy('interview_guides.archived')
    .orderBy('interview_guides.is_default', 'desc')
    .orderBy('interview_guides.name')
    .execute();
  return rows.map(toGuide);
}

async function loadVersion(db: Executor, guideId: string, version: number): Promise<GuideVersion> {
  const row = await db
    .selectFrom('guide_versions')
    .leftJoin('users', 'users.id', 'guide_versions.created_by')
    .select([
      'guide_versions.id',
      'guide_versions.guide_id',
      'guide_versions.version',
      'guide_versions.sections',
      'guide_versions.created_at',
      'users.id as user_id',
      'users.name as user_name',
    ])
    .where('guide_versions.guide_id', '=', guideId)
    .where('guide_versions.version', '=', version)
    .executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Guide version');
  }
  return {
    id: row.id,
    guideId: row.guide_id,
    version: row.version,
    sections: parseSections(row.sections),
    createdAt: row.created_at,
    createdBy: row.user_id ? { id: row.user_id, name: row.user_name ?? '' } : null,
  };
}

async function versionHistory(db: Executor, guideId: string): Promise<GuideVersionInfo[]> {
  const rows = await db
    .selectFrom('guide_versions')
    .leftJoin('users', 'users.id', 'guide_versions.created_by')
    .select(['guide_versions.version', 'guide_versions.created_at', 'users.id as user_id', 'users.name as user_name'])
    .where('guide_versions.guide_id', '=', guideId)
    .orderBy('guide_versions.version', 'desc')
    .execute();
  return rows.map((r) => ({ version: r.version, createdAt: r.created_at, createdBy: r.user_id ? { id: r.user_id, name: r.user_name ?? '' } : null }));
}

async function detail(ctx: ServiceContext, guideId: string): Promise<GuideDetail> {
  const guide = await loadGuide(ctx.db, guideId);
  return {
    ...guide,
    current: await loadVersion(ctx.db, guideId, guide.latestVersion),
    versions: await versionHistory(ctx.db, guideId),
    canEdit: scopeFor(ctx.actor.role, 'guide', 'update') !== undefined,
  };
}

/** A guide with its newest version's sections and its version history. */
export async function getGuide(ctx: ServiceContext, guideId: string): Promise<GuideDetail> {
  requirePermission(ctx.actor, 'guide', 'read');
  return detail(ctx, guideId);
}

/** One version of a guide, as it was written (versions never change). */
export async function getGuideVersion(ctx: ServiceContext, guideId: string, version: number): Promise<GuideVersion> {
  requirePermission(ctx.actor, 'guide', 'read');
  await loadGuide(ctx.db, guideId);
  return loadVersion(ctx.db, guideId, version);
}

/** Makes one guide the default and records the guide that stops being it. */
async function takeDefault(ctx: ServiceContext, guideId: string): Promise<void> {
  const previous = await ctx.db.selectFrom('interview_guides').select('id').where('is_default', '=', true).where('id', '!=', guideId).execute();
  if (previous.length === 0) {
    return;
  }
  await ctx.db
    .updateTable('interview_guides')
    .set({ is_default: false, updated_at: nowIso() })
    .where(
      'id',
      'in',
      previous.map((p) => p.id),
    )
    .execute();
  for (const p of previous) {
    await recordAudit(ctx, { action: 'guide.update', entity: 'guide', entityId: p.id, changes: { isDefault: [true, false] } });
  }
}

async function assertNameFree(db: Executor, name: string, exceptId?: string): Promise<void> {
  let q = db
    .selectFrom('interview_guides')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (exceptId) {
    q = q.where('id', '!=', exceptId);
  }
  if (await q.executeTakeFirst()) {
    throw new ConflictError('name', 'another guide has this name');
  }
}

/** Creates a guide with its first version. */
export async function createGuide(ctx: ServiceContext, input: GuideCreateBody): Promise<GuideDetail> {
  requirePermission(ctx.actor, 'guide', 'update');
  const now = nowIso();
  const guideId = uuidv7();
  const sections = withKeys(input.sections);
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    await assertNameFree(trx, input.name);
    if (input.isDefault) {
      await takeDefault(tctx, guideId);
    }
    await trx
      .insertInto('interview_guides')
      .values({
        id: guideId,
        name: input.name,
        description: input.description ?? null,
        is_default: input.isDefault,
        archived: false,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('guide_versions')
      .values({ id: uuidv7(), guide_id: guideId, version: 1, sections: JSON.stringify(sections), created_by: ctx.actor.id, created_at: now })
      .execute();
    await recordAudit(tctx, {
      action: 'guide.create',
      entity: 'guide',
      entityId: guideId,
      after: { ...auditedGuide(await loadGuide(trx, guideId)), questions: sections.flatMap((s) => s.questions.map((q) => q.key)) },
    });
  });
  return detail(ctx, guideId);
}

/**
 * Saves new sections as the guide's next version. Earlier versions stay exactly as they were,
 * so sessions planned with them keep their questions. Sections identical to the newest version
 * write nothing.
 */
export async function saveGuideVersion(ctx: ServiceContext, guideId: string, input: GuidePutBody): Promise<GuideDetail> {
  requirePermission(ctx.actor, 'guide', 'update');
  const sections = withKeys(input.sections);
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const guide = await loadGuide(trx, guideId);
    if (input.baseVersion !== undefined && input.baseVersion !== guide.latestVersion) {
      throw new ConflictError(
        'baseVersion',
        `version ${guide.latestVersion} was saved after version ${input.baseVersion}, which you started from; reload to see it before saving`,
      );
    }
    const latest = await loadVersion(trx, guideId, guide.latestVersion);
    if (JSON.stringify(latest.sections) === JSON.stringify(sections)) {
      return;
    }
    const version = guide.latestVersion + 1;
    const now = nowIso();
    await trx
      .insertInto('guide_versions')
      .values({ id: uuidv7(), guide_id: guideId, version, sections: JSON.stringify(sections), created_by: ctx.actor.id, created_at: now })
      .execute();
    await trx.updateTable('interview_guides').set({ updated_at: now }).where('id', '=', guideId).execute();
    await recordAudit(tctx, {
      action: 'guide.version',
      entity: 'guide',
      entityId: guideId,
      before: { latestVersion: guide.latestVersion, questions: latest.sections.flatMap((s) => s.questions.map((q) => q.key)) },
      after: { latestVersion: version, questions: sections.flatMap((s) => s.questions.map((q) => q.key)) },
    });
  });
  return detail(ctx, guideId);
}

/** Renames, describes, archives or makes a guide the default (there is always exactly one default). */
export async function updateGuide(ctx: ServiceContext, guideId: string, input: GuidePatchBody): Promise<GuideDetail> {
  requirePermission(ctx.actor, 'guide', 'update');
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = await loadGuide(trx, guideId);
    const willBeDefault = input.isDefault ?? before.isDefault;
    const willBeArchived = input.archived ?? before.archived;
    if (willBeDefault && willBeArchived) {
      throw input.isDefault && !before.isDefault
        ? new ValidationError('isDefault', 'an archived guide cannot be the default; restore it first')
        : new ValidationError('archived', 'the default guide cannot be archived; make another guide the default first');
    }
    if (input.name !== undefined) {
      await assertNameFree(trx, input.name, guideId);
    }
    if (input.isDefault && !before.isDefault) {
      await takeDefault(tctx, guideId);
    }
    await trx
      .updateTable('interview_guides')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.isDefault !== undefined && { is_default: input.isDefault }),
        ...(input.archived !== undefined && { archived: input.archived }),
        updated_at: nowIso(),
      })
      .where('id', '=', guideId)
      .execute();
    const after = await loadGuide(trx, guideId);
    await recordAudit(tctx, { action: 'guide.update', entity: 'guide', entityId: guideId, before: auditedGuide(before), after: auditedGuide(after) });
  });
  return detail(ctx, guideId);
}

async function dimensions(db: Executor): Promise<ScoreDimension[]> {
  const rows = await db
    .selectFrom('score_dimensions')
    .selectAll('score_dimensions')
    .select((eb) =>
      eb
        .exists(eb.selectFrom('session_scores').select('session_scores.dimension').whereRef('session_scores.dimension', '=', 'score_dimensions.key'))
        .as('in_use'),
    )
    .orderBy('position')
    .orderBy('key')
    .execute();
  return rows.map((r) => ({ key: r.key, label: r.label, position: r.position, active: toBool(r.active), inUse: toBool(r.in_use as boolean | number) }));
}

/** The configurable list of dimensions scored 1–5 in a session, in display order. */
export async function listScoreDimensions(ctx: ServiceContext): Promise<ScoreDimension[]> {
  requirePermission(ctx.actor, 'guide', 'read');
  return dimensions(ctx.db);
}

/**
 * Replaces the list of score dimensions. The order given becomes the display order; a
 * dimension left out is deleted, or only deactivated if a session has a score on it, so past
 * scores keep their label.
 */
export async function saveScoreDimensions(ctx: ServiceContext, input: ScoreDimensionsPutBody): Promise<ScoreDimension[]> {
  requirePermission(ctx.actor, 'guide', 'update');
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = await dimensions(trx);
    const byKey = new Map(before.map((d) => [d.key, d]));
    const taken = new Set([...before.map((d) => d.key), ...input.items.flatMap((d) => (d.key ? [d.key] : []))]);
    const wanted = input.items.map((d, position) => ({ key: d.key ?? keyFrom(d.label, taken, 'dimension'), label: d.label, active: d.active, position }));
    const kept = new Set(wanted.map((d) => d.key));
    const dropped = before.filter((d) => !kept.has(d.key));

    for (const d of wanted) {
      const old = byKey.get(d.key);
      if (!old) {
        await trx.insertInto('score_dimensions').values(d).execute();
        await recordAudit(tctx, { action: 'score_dimension.create', entity: 'score_dimension', entityId: d.key, after: d });
      } else if (old.label !== d.label || old.active !== d.active || old.position !== d.position) {
        await trx.updateTable('score_dimensions').set({ label: d.label, active: d.active, position: d.position }).where('key', '=', d.key).execute();
        const { inUse: _u, ...oldFields } = old;
        await recordAudit(tctx, { action: 'score_dimension.update', entity: 'score_dimension', entityId: d.key, before: oldFields, after: d });
      }
    }
    let position = wanted.length;
    for (const d of dropped) {
      const { inUse, ...oldFields } = d;
      if (inUse) {
        const next = { ...oldFields, active: false, position };
        position += 1;
        if (next.active !== d.active || next.position !== d.position) {
          await trx.updateTable('score_dimensions').set({ active: false, position: next.position }).where('key', '=', d.key).execute();
          await recordAudit(tctx, { action: 'score_dimension.update', entity: 'score_dimension', entityId: d.key, before: oldFields, after: next });
        }
      } else {
        await trx.deleteFrom('score_dimensions').where('key', '=', d.key).execute();
        await recordAudit(tctx, { action: 'score_dimension.delete', entity: 'score_dimension', entityId: d.key, before: oldFields });
      }
    }
  });
  return dimensions(ctx.db);
}
