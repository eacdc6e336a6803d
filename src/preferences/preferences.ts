import { type ExpressionBuilder, type Insertable, type Selectable, type SelectQueryBuilder, sql, type Updateable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { addDays, todayUtc } from '../actions/loop.js';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import { decodeCursor, type Page, toPage } from '../db/pagination.js';
import type { ClientTeamRole, Database, PreferenceChange, PreferenceTable } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { loadVisibleClient, scopeFor, scopeSatisfied, visibleClients } from '../http/access.js';
import { EditConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import type { Actor, ServiceContext } from '../server/context.js';
import { type PreferenceCategory, PreferenceRule, RULE_KINDS_BY_CATEGORY, type RuleSource } from './rules.js';
import type { PreferenceCreateBody, PreferenceHistoryEntry, PreferenceListQuery, PreferenceUpdateBody, PreferenceView } from './schemas.js';

type PreferenceRow = Selectable<PreferenceTable>;

export const STALE_AFTER_DAYS_KEY = 'preferences.stale_after_days';
export const DEFAULT_STALE_AFTER_DAYS = 365;

/** Days after the last confirmation when a preference is "ask again" (no access check). */
export async function readStaleAfterDays(db: Db): Promise<number> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', STALE_AFTER_DAYS_KEY).executeTakeFirst();
  try {
    const v: unknown = row ? JSON.parse(row.value) : undefined;
    return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : DEFAULT_STALE_AFTER_DAYS;
  } catch {
    return DEFAULT_STALE_AFTER_DAYS;
  }
}

/** The last confirmation before which a preference is stale, given today and the stale age. */
export function staleBefore(today: string, staleAfterDays: number): string {
  return addDays(today, -staleAfterDays);
}

// ---------------------------------------------------------------- access

function may(actor: Actor, action: 'read' | 'create' | 'update', teamRole: ClientTeamRole | undefined): boolean {
  const scope = scopeFor(actor.role, 'preference', action);
  return scope !== undefined && scopeSatisfied(scope, teamRole);
}

/** Restricts a query on `preferences` to those the actor may read, inside the SQL. */
export function visiblePreferences(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'preferences'>) => {
    if (actor.role === 'system') {
      return eb.lit(true);
    }
    const scope = scopeFor(actor.role, 'preference', 'read');
    if (!scope || actor.id === null) {
      return eb.lit(false);
    }
    const clientVisible = eb.exists(
      eb
        .selectFrom('clients')
        .select(sql.lit(1).as('one'))
        .whereRef('clients.id', '=', 'preferences.client_id')
        .where((c) => visibleClients(actor)(c as unknown as ExpressionBuilder<Database, 'clients'>)),
    );
    if (scope === 'any') {
      return clientVisible;
    }
    const onTeam = eb.exists(
      eb
        .selectFrom('client_team')
        .select(sql.lit(1).as('one'))
        .whereRef('client_team.client_id', '=', 'preferences.client_id')
        .where('client_team.user_id', '=', actor.id)
        .$if(scope === 'relationship_partner', (q) => q.where('client_team.team_role', '=', 'relationship_partner')),
    );
    return eb.and([clientVisible, onTeam]);
  };
}

/**
 * A client the actor may see (else 404) on which their role may do the action on preferences
 * (else 403). Used by the brief too.
 */
export async function requirePreferenceClient(
  ctx: ServiceContext,
  clientId: string,
  action: 'read' | 'create' | 'update',
): Promise<{ client: { id: string; name: string }; teamRole: ClientTeamRole | undefined }> {
  const row = await loadVisibleClient(ctx, clientId);
  const teamRole = row.team_role ?? undefined;
  if (!may(ctx.actor, action, teamRole)) {
    throw new ForbiddenError();
  }
  return { client: { id: row.id, name: row.name }, teamRole };
}

// ---------------------------------------------------------------- reading

function preferenceQuery(db: Db, actor: Actor) {
  return db
    .selectFrom('preferences')
    .innerJoin('clients', 'clients.id', 'preferences.client_id')
    .leftJoin('contacts', 'contacts.id', 'preferences.contact_id')
    .leftJoin('users as creator', 'creator.id', 'preferences.created_by')
    .selectAll('preferences')
    .select(['clients.name as client_name', 'contacts.name as contact_name', 'creator.name as creator_name'])
    .select((eb) =>
      eb
        .selectFrom('client_team')
        .select('client_team.team_role')
        .whereRef('client_team.client_id', '=', 'preferences.client_id')
        .where('client_team.user_id', '=', actor.id ?? '')
        .as('actor_team_role'),
    );
}

type PreferenceJoinedRow = Awaited<ReturnType<ReturnType<typeof preferenceQuery>['executeTakeFirstOrThrow']>>;

function parseRule(json: string | null): PreferenceRule | null {
  if (!json) {
    return null;
  }
  try {
    const parsed = PreferenceRule.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function toView(row: PreferenceJoinedRow, actor: Actor, staleCutoff: string): PreferenceView {
  const archived = toBool(row.archived);
  return {
    id: row.id,
    client: { id: row.client_id, name: row.client_name },
    contact: row.contact_id && row.contact_name ? { id: row.contact_id, name: row.contact_name } : null,
    category: row.category as PreferenceCategory,
    statement: row.statement,
    rule: parseRule(row.rule),
    source: row.source,
    sessionId: row.session_id,
    checkInId: row.check_in_id,
    sourcePerson: row.source_person,
    learnedOn: row.learned_on,
    lastConfirmedOn: row.last_confirmed_on,
    stale: !archived && row.last_confirmed_on < staleCutoff,
    archived,
    version: Number(row.version),
    createdBy: row.created_by && row.creator_name ? { id: row.created_by, name: row.creator_name } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    abilities: { update: may(actor, 'update', row.actor_team_role ?? undefined) },
  };
}

async function requirePreference(ctx: ServiceContext, id: string, need: 'read' | 'update' = 'read'): Promise<PreferenceJoinedRow> {
  const row = await preferenceQuery(ctx.db, ctx.actor).where('preferences.id', '=', id).where(visiblePreferences(ctx.actor)).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Preference');
  }
  if (need === 'update' && !may(ctx.actor, 'update', row.actor_team_role ?? undefined)) {
    throw new ForbiddenError();
  }
  return row;
}

export async function getPreference(ctx: ServiceContext, id: string, now = new Date()): Promise<PreferenceView> {
  const row = await requirePreference(ctx, id);
  return toView(row, ctx.actor, staleBefore(todayUtc(now), await readStaleAfterDays(ctx.db)));
}

/**
 * Preferences the actor may read. Current ones by default (archived=true for the archive);
 * stale=true lists those to ask again about, oldest confirmation first; otherwise newest first.
 */
export async function listPreferences(ctx: ServiceContext, query: PreferenceListQuery, now = new Date()): Promise<Page<PreferenceView>> {
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after && typeof after.value !== 'string') {
    throw new ValidationError('cursor', 'is not a cursor this list returned');
  }
  const cutoff = staleBefore(todayUtc(now), await readStaleAfterDays(ctx.db));
  const base = (preferenceQuery(ctx.db, ctx.actor) as unknown as SelectQueryBuilder<Database, 'preferences', PreferenceJoinedRow>)
    .where(visiblePreferences(ctx.actor))
    .where('preferences.archived', '=', query.archived === true)
    .$if(!!query.clientId, (q) => q.where('preferences.client_id', '=', query.clientId ?? ''))
    .$if(!!query.contactId, (q) => q.where('preferences.contact_id', '=', query.contactId ?? ''))
    .$if(!!query.category, (q) => q.where('preferences.category', '=', query.category ?? ''));
  let rows: PreferenceJoinedRow[];
  if (query.stale === true) {
    rows = await base
      .where('preferences.last_confirmed_on', '<', cutoff)
      .$if(!!after, (q) =>
        q.where((eb) =>
          eb.or([
            eb('preferences.last_confirmed_on', '>', String(after?.value)),
            eb.and([eb('preferences.last_confirmed_on', '=', String(after?.value)), eb('preferences.id', '>', after?.id ?? '')]),
          ]),
        ),
      )
      .orderBy('preferences.last_confirmed_on')
      .orderBy('preferences.id')
      .limit(query.limit + 1)
      .execute();
  } else {
    rows = await base
      .$if(query.stale === false, (q) => q.where('preferences.last_confirmed_on', '>=', cutoff))
      .$if(!!after, (q) => q.where('preferences.id', '<', after?.id ?? ''))
      .orderBy('preferences.id', 'desc')
      .limit(query.limit + 1)
      .execute();
  }
  return toPage(
    rows,
    query.limit,
    (r) => (query.stale === true ? r.last_confirmed_on : r.created_at),
    (r) => toView(r, ctx.actor, cutoff),
  );
}

// ---------------------------------------------------------------- validation

function assertDates(learnedOn: string, lastConfirmedOn: string, today: string, field: 'learnedOn' | 'lastConfirmedOn') {
  if (learnedOn > today) {
    throw new ValidationError('learnedOn', 'cannot be in the future');
  }
  if (lastConfirmedOn > today) {
    throw new ValidationError('lastConfirmedOn', 'cannot be in the future');
  }
  if (lastConfirmedOn < learnedOn) {
    throw new ValidationError(field, field === 'learnedOn' ? 'cannot be after the last confirmation' : 'cannot be before the preference was learned');
  }
}

async function assertContactOf(db: Db, clientId: string, contactId: string, field: string) {
  const row = await db.selectFrom('contacts').select('id').where('id', '=', contactId).where('client_id', '=', clientId).executeTakeFirst();
  if (!row) {
    throw new ValidationError(field, 'is not a contact of this client');
  }
}

async function assertRule(db: Db, clientId: string, category: PreferenceCategory, rule: PreferenceRule | null | undefined) {
  if (!rule) {
    return;
  }
  const allowed = RULE_KINDS_BY_CATEGORY[category];
  if (!allowed.includes(rule.kind)) {
    throw new ValidationError(
      'rule.kind',
      allowed.length === 0 ? `a ${category} preference takes no rule` : `must be ${allowed.join(' or ')} for a ${category} preference`,
    );
  }
  if (rule.kind === 'restricted_recipient') {
    await assertContactOf(db, clientId, rule.contactId, 'rule.contactId');
  }
}

async function assertSources(db: Db, clientId: string, input: { sessionId?: string | null | undefined; checkInId?: string | null | undefined }) {
  if (input.sessionId) {
    const s = await db.selectFrom('listening_sessions').select('id').where('id', '=', input.sessionId).where('client_id', '=', clientId).executeTakeFirst();
    if (!s) {
      throw new ValidationError('sessionId', 'is not a listening session of this client');
    }
  }
  if (input.checkInId) {
    const c = await db.selectFrom('check_ins').select('id').where('id', '=', input.checkInId).where('client_id', '=', clientId).executeTakeFirst();
    if (!c) {
      throw new ValidationError('checkInId', 'is not a check-in of this client');
    }
  }
}

/** What the history and the audit log keep of a preference. */
function snapshot(row: PreferenceRow) {
  return {
    contactId: row.contact_id,
    category: row.category,
    statement: row.statement,
    rule: parseRule(row.rule),
    source: row.source,
    sessionId: row.session_id,
    checkInId: row.check_in_id,
    sourcePerson: row.source_person,
    learnedOn: row.learned_on,
    lastConfirmedOn: row.last_confirmed_on,
    archived: toBool(row.archived),
    version: Number(row.version),
  };
}

async function writeHistory(ctx: ServiceContext, preferenceId: string, change: PreferenceChange, before: PreferenceRow | null, after: PreferenceRow | null) {
  await ctx.db
    .insertInto('preference_history')
    .values({
      id: uuidv7(),
      preference_id: preferenceId,
      changed_by: ctx.actor.id,
      changed_at: nowIso(),
      change,
      before: before ? JSON.stringify(snapshot(before)) : null,
      after: after ? JSON.stringify(snapshot(after)) : null,
    })
    .execute();
}

// ---------------------------------------------------------------- writing

/** Records a preference on a client or one of its contacts (with history and audit). */
export async function createPreference(ctx: ServiceContext, input: PreferenceCreateBody, now = new Date()): Promise<PreferenceView> {
  await requirePreferenceClient(ctx, input.clientId, 'create');
  const today = todayUtc(now);
  const learnedOn = input.learnedOn ?? today;
  assertDates(learnedOn, learnedOn, today, 'learnedOn');
  if (input.contactId) {
    await assertContactOf(ctx.db, input.clientId, input.contactId, 'contactId');
  }
  await assertRule(ctx.db, input.clientId, input.category, input.rule);
  await assertSources(ctx.db, input.clientId, input);
  const at = nowIso();
  const row = {
    id: uuidv7(),
    client_id: input.clientId,
    contact_id: input.contactId ?? null,
    category: input.category,
    statement: input.statement,
    rule: input.rule ? JSON.stringify(input.rule) : null,
    source: input.source,
    session_id: input.sessionId ?? null,
    check_in_id: input.checkInId ?? null,
    source_person: input.sourcePerson ?? null,
    learned_on: learnedOn,
    last_confirmed_on: learnedOn,
    created_by: ctx.actor.id,
    created_at: at,
    updated_at: at,
    version: 1,
    archived: false,
  } satisfies Insertable<PreferenceTable>;
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    await trx.insertInto('preferences').values(row).execute();
    await writeHistory(tctx, row.id, 'created', null, row);
    await recordAudit(tctx, { action: 'preference.create', entity: 'preference', entityId: row.id, clientId: row.client_id, after: snapshot(row) });
  });
  return getPreference(ctx, row.id, now);
}

/**
 * Applies a change to a preference at `baseVersion`: if someone changed it since, nothing is
 * written and 409 edit_conflict carries the stored preference as `current`.
 */
async function change(
  ctx: ServiceContext,
  id: string,
  baseVersion: number | undefined,
  kind: PreferenceChange,
  set: (current: PreferenceRow) => Updateable<PreferenceTable>,
  now: Date,
): Promise<PreferenceView> {
  const joined = await requirePreference(ctx, id, 'update');
  const cutoff = staleBefore(todayUtc(now), await readStaleAfterDays(ctx.db));
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = await trx.selectFrom('preferences').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const version = Number(before.version);
    if (baseVersion !== undefined && baseVersion !== version) {
      throw new EditConflictError(
        `This preference was changed since version ${baseVersion} (it is now version ${version}); review it and save with baseVersion ${version}`,
        toView({ ...joined, ...before }, ctx.actor, cutoff),
      );
    }
    const updated = await trx
      .updateTable('preferences')
      .set({ ...set(before), version: version + 1, updated_at: nowIso() })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      const stored = await trx.selectFrom('preferences').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      throw new EditConflictError(
        'This preference was changed at the same time; review it and save again',
        toView({ ...joined, ...stored }, ctx.actor, cutoff),
      );
    }
    const after = await trx.selectFrom('preferences').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await writeHistory(tctx, id, kind, before, after);
    const action = kind === 'updated' ? 'update' : kind === 'confirmed' ? 'confirm' : kind === 'archived' ? 'archive' : 'restore';
    await recordAudit(tctx, {
      action: `preference.${action}`,
      entity: 'preference',
      entityId: id,
      clientId: before.client_id,
      before: snapshot(before),
      after: snapshot(after),
    });
  });
  return getPreference(ctx, id, now);
}

export async function updatePreference(ctx: ServiceContext, id: string, input: PreferenceUpdateBody, now = new Date()): Promise<PreferenceView> {
  const current = await requirePreference(ctx, id, 'update');
  const clientId = current.client_id;
  const category = input.category ?? (current.category as PreferenceCategory);
  const rule = input.rule !== undefined ? input.rule : parseRule(current.rule);
  const learnedOn = input.learnedOn ?? current.learned_on;
  const lastConfirmedOn = input.lastConfirmedOn ?? current.last_confirmed_on;
  assertDates(learnedOn, lastConfirmedOn, todayUtc(now), input.lastConfirmedOn !== undefined ? 'lastConfirmedOn' : 'learnedOn');
  if (input.contactId) {
    await assertContactOf(ctx.db, clientId, input.contactId, 'contactId');
  }
  await assertRule(ctx.db, clientId, category, rule);
  await assertSources(ctx.db, clientId, input);
  return change(
    ctx,
    id,
    input.baseVersion,
    'updated',
    () => ({
      ...(input.contactId !== undefined && { contact_id: input.contactId }),
      ...(input.category !== undefined && { category: input.category }),
      ...(input.statement !== undefined && { statement: input.statement }),
      ...(input.rule !== undefined && { rule: input.rule ? JSON.stringify(input.rule) : null }),
      ...(input.source !== undefined && { source: input.source }),
      ...(input.sessionId !== undefined && { session_id: input.sessionId }),
      ...(input.checkInId !== undefined && { check_in_id: input.checkInId }),
      ...(input.sourcePerson !== undefined && { source_person: input.sourcePerson }),
      learned_on: learnedOn,
      last_confirmed_on: lastConfirmedOn,
    }),
    now,
  );
}

/** "Still true": the preference was confirmed today. */
export async function confirmPreference(ctx: ServiceContext, id: string, now = new Date()): Promise<PreferenceView> {
  return change(ctx, id, undefined, 'confirmed', () => ({ last_confirmed_on: todayUtc(now) }), now);
}

/** Archives (no longer true) or restores (undo) a preference. */
export async function archivePreference(ctx: ServiceContext, id: string, archived: boolean, now = new Date()): Promise<PreferenceView> {
  return change(ctx, id, undefined, archived ? 'archived' : 'restored', () => ({ archived }), now);
}

/** Deletes a preference and its history (recorded by mistake); the audit log keeps what it said. */
export async function deletePreference(ctx: ServiceContext, id: string): Promise<void> {
  const current = await requirePreference(ctx, id, 'update');
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('preferences').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await trx.deleteFrom('preference_history').where('preference_id', '=', id).execute();
    await trx.deleteFrom('preferences').where('id', '=', id).execute();
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'preference.delete', entity: 'preference', entityId: id, clientId: current.client_id, before: snapshot(before) },
    );
  });
}

function parseSnapshot(json: string | null): Record<string, unknown> | null {
  if (!json) {
    return null;
  }
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The preference's changes, oldest first. */
export async function preferenceHistory(ctx: ServiceContext, id: string): Promise<{ items: PreferenceHistoryEntry[] }> {
  await requirePreference(ctx, id);
  const rows = await ctx.db
    .selectFrom('preference_history')
    .leftJoin('users', 'users.id', 'preference_history.changed_by')
    .selectAll('preference_history')
    .select('users.name as changer_name')
    .where('preference_history.preference_id', '=', id)
    .orderBy('preference_history.changed_at')
    .orderBy('preference_history.id')
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      change: r.change,
      changedBy: r.changed_by && r.changer_name ? { id: r.changed_by, name: r.changer_name } : null,
      changedAt: r.changed_at,
      before: parseSnapshot(r.before),
      after: parseSnapshot(r.after),
    })),
  };
}

// ---------------------------------------------------------------- for the checks

/**
 * Every current preference of the client that carries a valid rule, as the guardrail checks
 * need it. No access check: the caller checks that the actor may read the client's preferences.
 */
export async function loadRuleSources(db: Db, clientId: string): Promise<RuleSource[]> {
  const rows = await db
    .selectFrom('preferences')
    .select(['id', 'statement', 'category', 'client_id', 'contact_id', 'rule'])
    .where('client_id', '=', clientId)
    .where('archived', '=', false)
    .where('rule', 'is not', null)
    .orderBy('id')
    .execute();
  const out: RuleSource[] = [];
  for (const r of rows) {
    const rule = parseRule(r.rule);
    if (rule) {
      out.push({
        preferenceId: r.id,
        statement: r.statement,
        category: r.category as PreferenceCategory,
        clientId: r.client_id,
        contactId: r.contact_id,
        rule,
      });
    }
  }
  return out;
}
