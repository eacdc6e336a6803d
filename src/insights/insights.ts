import { type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { raiseForHighConcern } from '../actions/auto.js';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import { decodeCursor, type Page, toPage } from '../db/pagination.js';
import type { ClientTeamRole, Confidentiality, Database } from '../db/schema.js';
import { CONFIDENTIALITY } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import { readableConfidentiality, remarkVisibility, requireSessionAccess, visibleSessions } from '../listening/access.js';
import { recoveryOf } from '../relationships/recovery-checks.js';
import type { Actor, ServiceContext } from '../server/context.js';
import { contactShown, mayChange, mayOnClient, requireInsightClientAccess, visibleInsights } from './access.js';
import type { Insight, InsightCreateBody, InsightListQuery, InsightUpdateBody, PromoteRemarkBody, SessionInsights } from './schemas.js';

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The one query for insights as a reader sees them: only rows they may read, the contact only
 * when they may know it, the session only when they may read it. Every list, count and page
 * starts here.
 */
export function insightRows(db: Db, actor: Actor) {
  return db
    .selectFrom('insights')
    .innerJoin('clients', 'clients.id', 'insights.client_id')
    .leftJoin('contacts', (join) =>
      join.onRef('contacts.id', '=', 'insights.contact_id').on((eb) => contactShown(actor)(eb as unknown as ExpressionBuilder<Database, 'insights'>)),
    )
    .leftJoin('matters', 'matters.id', 'insights.matter_id')
    .leftJoin('listening_sessions', (join) =>
      join
        .onRef('listening_sessions.id', '=', 'insights.session_id')
        .on((eb) => visibleSessions(actor)(eb as unknown as ExpressionBuilder<Database, 'listening_sessions'>)),
    )
    .leftJoin('users', 'users.id', 'insights.recorded_by')
    .select([
      'insights.id',
      'insights.client_id',
      'clients.name as client_name',
      'insights.type',
      'insights.severity',
      'insights.summary',
      'insights.quote',
      'insights.confidentiality',
      'contacts.id as contact_id',
      'contacts.name as contact_name',
      'matters.id as matter_id',
      'matters.name as matter_name',
      'insights.source',
      'listening_sessions.id as session_id',
      'listening_sessions.starts_at as session_starts_at',
      'insights.remark_id',
      'insights.heard_on',
      'insights.recorded_by',
      'users.name as recorded_by_name',
      'insights.created_at',
      'insights.updated_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('client_team')
        .select('client_team.team_role')
        .whereRef('client_team.client_id', '=', 'insights.client_id')
        .where('client_team.user_id', '=', actor.id ?? '')
        .as('actor_team_role'),
    )
    .where(visibleInsights(actor));
}

type InsightJoinedRow = Awaited<ReturnType<ReturnType<typeof insightRows>['executeTakeFirstOrThrow']>>;
type InsightThemeRef = Insight['themes'][number];

export async function themesOf(db: Db, insightIds: string[]): Promise<Map<string, InsightThemeRef[]>> {
  const map = new Map<string, InsightThemeRef[]>();
  if (insightIds.length === 0) {
    return map;
  }
  const rows = await db
    .selectFrom('insight_themes')
    .innerJoin('themes', 'themes.id', 'insight_themes.theme_id')
    .leftJoin('themes as parent', 'parent.id', 'themes.parent_id')
    .select(['insight_themes.insight_id', 'themes.id', 'themes.name', 'themes.parent_id', 'parent.name as parent_name'])
    .where('insight_themes.insight_id', 'in', insightIds)
    .orderBy(sql`coalesce(parent.position, themes.position)`)
    .orderBy('themes.parent_id')
    .orderBy('themes.position')
    .execute();
  for (const r of rows) {
    const list = map.get(r.insight_id) ?? [];
    list.push({ id: r.id, name: r.name, parentId: r.parent_id, parentName: r.parent_name });
    map.set(r.insight_id, list);
  }
  return map;
}

export function toInsight(actor: Actor, row: InsightJoinedRow, themes: InsightThemeRef[], recovery: Insight['recovery'] = null): Insight {
  const teamRole = (row.actor_team_role ?? undefined) as ClientTeamRole | undefined;
  const change = mayChange(actor, row.recorded_by, teamRole);
  return {
    id: row.id,
    client: { id: row.client_id, name: row.client_name },
    type: row.type,
    severity: row.severity,
    summary: row.summary,
    quote: row.quote,
    confidentiality: row.confidentiality,
    contactId: row.contact_id,
    contact: row.contact_id ? { id: row.contact_id, name: row.contact_name ?? '' } : null,
    matter: row.matter_id ? { id: row.matter_id, name: row.matter_name ?? '' } : null,
    source: row.source,
    session: row.session_id ? { id: row.session_id, startsAt: row.session_starts_at } : null,
    remarkId: row.remark_id,
    heardOn: row.heard_on,
    themes,
    recordedBy: row.recorded_by ? { id: row.recorded_by, name: row.recorded_by_name ?? '' } : null,
    abilities: { edit: change, delete: change },
    recovery,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function mapInsights(ctx: ServiceContext, rows: InsightJoinedRow[]): Promise<Insight[]> {
  const themes = await themesOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const recovery = await recoveryOf(
    ctx.db,
    rows.filter((r) => r.type === 'concern').map((r) => r.id),
  );
  return rows.map((r) => toInsight(ctx.actor, r, themes.get(r.id) ?? [], recovery.get(r.id) ?? null));
}

/** Restricts to insights filed under a theme; a top-level theme matches its sub-themes too. */
export function underTheme(themeId: string) {
  return (eb: ExpressionBuilder<Database, 'insights'>) =>
    eb.exists(
      eb
        .selectFrom('insight_themes')
        .innerJoin('themes', 'themes.id', 'insight_themes.theme_id')
        .select(sql.lit(1).as('one'))
        .whereRef('insight_themes.insight_id', '=', 'insights.id')
        .where((e) => e.or([e('themes.id', '=', themeId), e('themes.parent_id', '=', themeId)])),
    );
}

/** Insights the actor may read, filtered, newest heard first, by keyset. */
export async function listInsights(ctx: ServiceContext, query: InsightListQuery): Promise<Page<Insight>> {
  const { actor } = ctx;
  if (!actor.id && actor.role !== 'system') {
    throw new ForbiddenError();
  }
  if (query.from && query.to && query.from > query.to) {
    throw new ValidationError('to', 'must be on or after from');
  }
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after && typeof after.value !== 'string') {
    throw new ValidationError('cursor', 'is not a cursor this list returned');
  }
  const filtered = insightRows(ctx.db, actor)
    .$if(!!query.clientId, (qb) => qb.where('insights.client_id', '=', query.clientId ?? ''))
    .$if(!!query.type, (qb) => qb.where('insights.type', '=', query.type ?? 'praise'))
    .$if(!!query.severity, (qb) => qb.where('insights.severity', '=', query.severity ?? 'low'))
    .$if(!!query.from, (qb) => qb.where('insights.heard_on', '>=', query.from ?? ''))
    .$if(!!query.to, (qb) => qb.where('insights.heard_on', '<=', query.to ?? ''))
    .$if(!!query.sessionId, (qb) => qb.where('insights.session_id', '=', query.sessionId ?? ''))
    .$if(!!query.themeId, (qb) => qb.where((eb) => underTheme(query.themeId ?? '')(eb as unknown as ExpressionBuilder<Database, 'insights'>)));
  const rows = await filtered
    .$if(!!after, (qb) => qb.where(sql<SqlBool>`(${sql.ref('insights.heard_on')}, ${sql.ref('insights.id')}) < (${after?.value ?? ''}, ${after?.id ?? ''})`))
    .orderBy('insights.heard_on', 'desc')
    .orderBy('insights.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const pageRows = rows.slice(0, query.limit);
  const mapped = await mapInsights(ctx, pageRows);
  const byId = new Map(mapped.map((m) => [m.id, m]));
  const page = toPage(
    rows,
    query.limit,
    (r) => r.heard_on,
    (r) => byId.get(r.id) as Insight,
  );
  if (query.total) {
    const counted = await filtered
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    page.total = Number(counted.n);
  }
  return page;
}

/** Loads an insight the actor may read (404 otherwise), as they may see it. */
async function loadInsight(ctx: ServiceContext, id: string): Promise<{ row: InsightJoinedRow; insight: Insight }> {
  const row = await insightRows(ctx.db, ctx.actor).where('insights.id', '=', id).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Insight');
  }
  const [insight] = await mapInsights(ctx, [row]);
  return { row, insight: insight as Insight };
}

export async function getInsight(ctx: ServiceContext, id: string): Promise<Insight> {
  return (await loadInsight(ctx, id)).insight;
}

// ---------------------------------------------------------------- validation of references

function assertHeardOn(heardOn: string): void {
  if (heardOn > todayUtc()) {
    throw new ValidationError('heardOn', 'must not be in the future');
  }
}

async function assertContact(db: Db, clientId: string, contactId: string | null | undefined): Promise<void> {
  if (!contactId) {
    return;
  }
  const row = await db.selectFrom('contacts').select('id').where('id', '=', contactId).where('client_id', '=', clientId).executeTakeFirst();
  if (!row) {
    throw new ValidationError('contactId', 'is not a contact of this client');
  }
}

async function assertMatter(db: Db, clientId: string, matterId: string | null | undefined): Promise<void> {
  if (!matterId) {
    return;
  }
  const row = await db.selectFrom('matters').select('id').where('id', '=', matterId).where('client_id', '=', clientId).executeTakeFirst();
  if (!row) {
    throw new ValidationError('matterId', 'is not a matter of this client');
  }
}

async function assertSession(ctx: ServiceContext, clientId: string, sessionId: string | null | undefined): Promise<void> {
  if (!sessionId) {
    return;
  }
  const row = await ctx.db
    .selectFrom('listening_sessions')
    .select(['listening_sessions.id', 'listening_sessions.client_id'])
    .where('listening_sessions.id', '=', sessionId)
    .where(visibleSessions(ctx.actor))
    .executeTakeFirst();
  if (!row) {
    throw new ValidationError('sessionId', 'is not a listening session you can see');
  }
  if (row.client_id !== clientId) {
    throw new ValidationError('sessionId', 'is a session of another client');
  }
}

/** The distinct theme ids, each an active theme (and not under an archived one). */
async function assertThemes(db: Db, themeIds: string[], allowed: Set<string> = new Set()): Promise<string[]> {
  const ids = [...new Set(themeIds)];
  const rows = await db
    .selectFrom('themes')
    .leftJoin('themes as parent', 'parent.id', 'themes.parent_id')
    .select(['themes.id', 'themes.archived', 'parent.archived as parent_archived'])
    .where('themes.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const [i, themeId] of themeIds.entries()) {
    const theme = byId.get(themeId);
    if (!theme) {
      throw new ValidationError(`themeIds.${i}`, 'is not a theme');
    }
    const archived = theme.archived === true || theme.archived === 1 || theme.parent_archived === true || theme.parent_archived === 1;
    if (archived && !allowed.has(themeId)) {
      throw new ValidationError(`themeIds.${i}`, 'is an archived theme; choose a current one');
    }
  }
  return ids;
}

/**
 * The audited view of an insight: its handling, never the client's words or who said them
 * (audit readers are admins, who may not read insights).
 */
function audited(i: Insight) {
  return {
    type: i.type,
    severity: i.severity,
    confidentiality: i.confidentiality,
    matterId: i.matter?.id ?? null,
    source: i.source,
    sessionId: i.session?.id ?? null,
    remarkId: i.remarkId,
    heardOn: i.heardOn,
    themeIds: i.themes.map((t) => t.id),
  };
}

/** The insight as stored, whoever asks (for the audit row only). */
async function auditView(ctx: ServiceContext, id: string): Promise<Insight> {
  return (await loadInsight({ ...ctx, actor: { ...ctx.actor, role: 'system' } }, id)).insight;
}

interface NewInsight {
  clientId: string;
  type: Insight['type'];
  severity: Insight['severity'];
  summary: string;
  quote: string | null;
  confidentiality: Confidentiality;
  contactId: string | null;
  matterId: string | null;
  source: Insight['source'];
  sessionId: string | null;
  remarkId: string | null;
  heardOn: string;
  themeIds: string[];
  checkInId?: string | null;
}

async function insertInsight(ctx: ServiceContext, input: NewInsight, action: string): Promise<Insight> {
  const now = nowIso();
  const id = uuidv7();
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    await trx
      .insertInto('insights')
      .values({
        id,
        client_id: input.clientId,
        type: input.type,
        severity: input.severity,
        summary: input.summary,
        quote: input.quote,
        confidentiality: input.confidentiality,
        contact_id: input.contactId,
        matter_id: input.matterId,
        source: input.source,
        session_id: input.sessionId,
        remark_id: input.remarkId,
        heard_on: input.heardOn,
        check_in_id: input.checkInId ?? null,
        recorded_by: ctx.actor.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('insight_themes')
      .values(input.themeIds.map((theme_id) => ({ insight_id: id, theme_id })))
      .execute();
    await recordAudit(tctx, { action, entity: 'insight', entityId: id, clientId: input.clientId, after: audited(await auditView(tctx, id)) });
    // A high-severity concern gets a follow-up for the relationship partner (when the firm's settings say so).
    await raiseForHighConcern(tctx, {
      id,
      client_id: input.clientId,
      type: input.type,
      severity: input.severity,
      summary: input.summary,
      session_id: input.sessionId,
    });
  });
  return getInsight(ctx, id);
}

/** `links.checkInId`: the check-in it was heard in (the caller has checked it is one of this client). */
export async function createInsight(ctx: ServiceContext, input: InsightCreateBody, links: { checkInId?: string } = {}): Promise<Insight> {
  await requireInsightClientAccess(ctx, input.clientId, 'create');
  assertHeardOn(input.heardOn);
  await assertContact(ctx.db, input.clientId, input.contactId);
  await assertMatter(ctx.db, input.clientId, input.matterId);
  if (input.source === 'session' && !input.sessionId) {
    throw new ValidationError('sessionId', 'is required when the source is a listening session');
  }
  await assertSession(ctx, input.clientId, input.sessionId);
  const themeIds = await assertThemes(ctx.db, input.themeIds);
  return insertInsight(
    ctx,
    {
      clientId: input.clientId,
      type: input.type,
      severity: input.severity,
      summary: input.summary,
      quote: input.quote ?? null,
      confidentiality: input.confidentiality,
      contactId: input.contactId ?? null,
      matterId: input.matterId ?? null,
      source: input.source,
      sessionId: input.sessionId ?? null,
      remarkId: null,
      heardOn: input.heardOn,
      themeIds,
      checkInId: links.checkInId ?? null,
    },
    'insight.create',
  );
}

/**
 * Makes an insight of a session remark: its words become the quote, its speaker the contact,
 * heard on the session's date, and it keeps the remark's confidentiality. Only someone who
 * reads the remark and may record insights on the client may do it, and only once per remark.
 */
export async function promoteRemark(ctx: ServiceContext, sessionId: string, remarkId: string, input: PromoteRemarkBody): Promise<Insight> {
  const access = await requireSessionAccess(ctx, sessionId, 'read');
  const visibility = remarkVisibility(access);
  const remark = await ctx.db
    .selectFrom('session_remarks')
    .selectAll()
    .where('id', '=', remarkId)
    .where('session_id', '=', sessionId)
    .where('confidentiality', 'in', readableConfidentiality(visibility))
    .executeTakeFirst();
  if (!remark) {
    throw new NotFoundError('Remark');
  }
  const { session } = access;
  await requireInsightClientAccess(ctx, session.client_id, 'create');
  const existing = await ctx.db.selectFrom('insights').select('id').where('remark_id', '=', remarkId).executeTakeFirst();
  if (existing) {
    throw new ConflictError('remarkId', 'has already been made an insight');
  }
  const themeIds = await assertThemes(ctx.db, input.themeIds);
  const heardOn = (session.starts_at ?? session.completed_at ?? session.created_at).slice(0, 10);
  return insertInsight(
    ctx,
    {
      clientId: session.client_id,
      type: input.type,
      severity: input.severity,
      summary: input.summary ?? remark.text.slice(0, 2000),
      quote: remark.text,
      confidentiality: remark.confidentiality,
      contactId: remark.speaker_contact_id,
      matterId: null,
      source: 'session',
      sessionId,
      remarkId,
      heardOn: heardOn > todayUtc() ? todayUtc() : heardOn,
      themeIds,
    },
    'insight.promote',
  );
}

/** The insights of one session the caller may read, and whether they may promote its remarks. */
export async function sessionInsights(ctx: ServiceContext, sessionId: string): Promise<SessionInsights> {
  const access = await requireSessionAccess(ctx, sessionId, 'read');
  const rows = await insightRows(ctx.db, ctx.actor).where('insights.session_id', '=', sessionId).orderBy('insights.id').execute();
  return { items: await mapInsights(ctx, rows), canPromote: mayOnClient(ctx.actor, 'create', access.teamRole) };
}

const STRICTNESS: Record<Confidentiality, number> = Object.fromEntries(CONFIDENTIALITY.map((c, i) => [c, i])) as Record<Confidentiality, number>;

async function requireChange(ctx: ServiceContext, id: string): Promise<{ row: InsightJoinedRow; insight: Insight }> {
  const loaded = await loadInsight(ctx, id);
  if (!loaded.insight.abilities.edit) {
    throw new ForbiddenError();
  }
  return loaded;
}

export async function updateInsight(ctx: ServiceContext, id: string, input: InsightUpdateBody): Promise<Insight> {
  const { row } = await requireChange(ctx, id);
  const clientId = row.client_id;
  const stored = await ctx.db.selectFrom('insights').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (input.heardOn !== undefined) {
    assertHeardOn(input.heardOn);
  }
  await assertContact(ctx.db, clientId, input.contactId);
  await assertMatter(ctx.db, clientId, input.matterId);
  await assertSession(ctx, clientId, input.sessionId);
  const source = input.source ?? stored.source;
  const sessionId = input.sessionId !== undefined ? input.sessionId : stored.session_id;
  if (source === 'session' && !sessionId) {
    throw new ValidationError('sessionId', 'is required when the source is a listening session');
  }
  if (input.confidentiality !== undefined && stored.remark_id) {
    const remark = await ctx.db.selectFrom('session_remarks').select('confidentiality').where('id', '=', stored.remark_id).executeTakeFirst();
    if (remark && STRICTNESS[input.confidentiality] < STRICTNESS[remark.confidentiality]) {
      throw new ValidationError('confidentiality', `comes from a ${remark.confidentiality.replace('_', '-')} remark and cannot be made less confidential`);
    }
  }
  const current = new Set((await ctx.db.selectFrom('insight_themes').select('theme_id').where('insight_id', '=', id).execute()).map((r) => r.theme_id));
  const themeIds = input.themeIds ? await assertThemes(ctx.db, input.themeIds, current) : undefined;
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = await auditView(tctx, id);
    await trx
      .updateTable('insights')
      .set({
        ...(input.type !== undefined && { type: input.type }),
        ...(input.severity !== undefined && { severity: input.severity }),
        ...(input.summary !== undefined && { summary: input.summary }),
        ...(input.quote !== undefined && { quote: input.quote }),
        ...(input.confidentiality !== undefined && { confidentiality: input.confidentiality }),
        ...(input.contactId !== undefined && { contact_id: input.contactId }),
        ...(input.matterId !== undefined && { matter_id: input.matterId }),
        ...(input.source !== undefined && { source: input.source }),
        ...(input.sessionId !== undefined && { session_id: input.sessionId }),
        ...(input.heardOn !== undefined && { heard_on: input.heardOn }),
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .execute();
    if (themeIds) {
      await trx.deleteFrom('insight_themes').where('insight_id', '=', id).execute();
      await trx
        .insertInto('insight_themes')
        .values(themeIds.map((theme_id) => ({ insight_id: id, theme_id })))
        .execute();
    }
    const after = await auditView(tctx, id);
    await recordAudit(tctx, { action: 'insight.update', entity: 'insight', entityId: id, clientId, before: audited(before), after: audited(after) });
    // An insight raised to a high-severity concern gets its follow-up too (once: the hook checks).
    const updated = await trx
      .selectFrom('insights')
      .select(['id', 'client_id', 'type', 'severity', 'summary', 'session_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await raiseForHighConcern(tctx, updated);
  });
  return getInsight(ctx, id);
}

export async function deleteInsight(ctx: ServiceContext, id: string): Promise<void> {
  const { row } = await requireChange(ctx, id);
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = await auditView(tctx, id);
    await trx.deleteFrom('insights').where('id', '=', id).execute();
    await recordAudit(tctx, { action: 'insight.delete', entity: 'insight', entityId: id, clientId: row.client_id, before: audited(before) });
  });
}
