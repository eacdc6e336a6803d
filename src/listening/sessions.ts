import { type SqlBool, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import { containsText } from '../db/dialect.js';
import { decodeCursor, type Page, toPage } from '../db/pagination.js';
import type { ClientTeamRole, ListeningSessionRow, NewListeningSessionRow, SessionStatus } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { loadVisibleClient, scopeFor, scopeSatisfied } from '../http/access.js';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import { remarkVisibility, requireSessionAccess, type SessionAccess, sessionAbilities, visibleSessions } from './access.js';
import { listRemarksFor, loadAnswers, loadScores } from './capture.js';
import { parseSections } from './guides.js';
import { buildInvite } from './invite.js';
import type { SessionCreateInput, SessionDetail, SessionListItem, SessionListQuery, SessionStatusBody, SessionUpdateBody } from './session-schemas.js';
import { canTransition, SESSION_TRANSITIONS, transitionRefusal } from './session-states.js';

/** The interviewer is on the client's relationship team: they would be hearing about their own work. */
export class IndependenceError extends AppError {
  constructor(message: string) {
    super(409, 'interviewer_not_independent', `interviewerId: ${message}`, [{ field: 'interviewerId', message }]);
  }
}

/** A status change the life of a session does not allow (see session-states.ts). */
export class TransitionError extends AppError {
  constructor(message: string) {
    super(409, 'invalid_transition', `status: ${message}`, [{ field: 'status', message }]);
  }
}

/** While a session is only planned or scheduled its plan may change; afterwards it is history. */
const PLAN_EDITABLE: readonly SessionStatus[] = ['planned', 'scheduled'];
const SUMMARY_STATUSES: readonly SessionStatus[] = ['summary_drafted', 'summary_reviewed', 'summary_shared'];

/** Sessions without a date sort after every dated one (ascending), so the keyset never holds NULL. */
const UNDATED = '9999-12-31T23:59:59.999Z';

function endsAt(startsAt: string | null, durationMinutes: number): string | null {
  return startsAt ? new Date(new Date(startsAt).getTime() + durationMinutes * 60_000).toISOString() : null;
}

interface PlanningClient {
  id: string;
  name: string;
  walled: boolean;
  actorTeamRole: ClientTeamRole | undefined;
}

/** The client a session is planned for: one the actor may see (404 otherwise, walls included). */
async function loadPlanningClient(ctx: ServiceContext, clientId: string): Promise<PlanningClient> {
  const row = await loadVisibleClient(ctx, clientId);
  return { id: row.id, name: row.name, walled: toBool(row.walled), actorTeamRole: row.team_role ?? undefined };
}

async function wallMembers(db: Db, client: PlanningClient): Promise<Set<string> | undefined> {
  if (!client.walled) {
    return undefined;
  }
  const rows = await db.selectFrom('client_wall_members').select('user_id').where('client_id', '=', client.id).execute();
  return new Set(rows.map((r) => r.user_id));
}

function assertNoDuplicates(field: string, ids: string[]): void {
  const seen = new Set<string>();
  ids.forEach((v, i) => {
    if (seen.has(v)) {
      throw new ValidationError(`${field}.${i}`, 'is listed twice');
    }
    seen.add(v);
  });
}

/** The interviewer: an active user, and for a walled client one who is listed on the wall. */
async function assertInterviewer(db: Db, interviewerId: string, wall: Set<string> | undefined): Promise<void> {
  const user = await db.selectFrom('users').select(['id', 'active']).where('id', '=', interviewerId).executeTakeFirst();
  if (!user || !toBool(user.active)) {
    throw new ValidationError('interviewerId', user ? 'is a deactivated user' : 'is not a user');
  }
  if (wall && !wall.has(interviewerId)) {
    throw new ValidationError('interviewerId', 'is not listed on the client’s ethical wall, so cannot interview it');
  }
}

async function assertAttendees(db: Db, ids: string[], interviewerId: string, wall: Set<string> | undefined): Promise<void> {
  assertNoDuplicates('attendeeIds', ids);
  if (ids.length === 0) {
    return;
  }
  const users = new Map((await db.selectFrom('users').select(['id', 'active']).where('id', 'in', ids).execute()).map((u) => [u.id, toBool(u.active)]));
  ids.forEach((userId, i) => {
    const active = users.get(userId);
    if (active === undefined) {
      throw new ValidationError(`attendeeIds.${i}`, 'is not a user');
    }
    if (!active) {
      throw new ValidationError(`attendeeIds.${i}`, 'is a deactivated user');
    }
    if (userId === interviewerId) {
      throw new ValidationError(`attendeeIds.${i}`, 'is the interviewer; list the other firm attendees here');
    }
    if (wall && !wall.has(userId)) {
      throw new ValidationError(`attendeeIds.${i}`, 'is not listed on the client’s ethical wall');
    }
  });
}

async function assertContacts(db: Db, clientId: string, ids: string[]): Promise<void> {
  assertNoDuplicates('contactIds', ids);
  if (ids.length === 0) {
    return;
  }
  const found = new Set((await db.selectFrom('contacts').select('id').where('id', 'in', ids).where('client_id', '=', clientId).execute()).map((r) => r.id));
  const missing = ids.findIndex((c) => !found.has(c));
  if (missing >= 0) {
    throw new ValidationError(`contactIds.${missing}`, 'is not a contact of this client');
  }
}

/**
 * Independence: someone on the client's relationship team hears about their own work, and the
 * client speaks less freely. Refused unless a programme lead overrides it with a reason.
 * Returns the override to record (null when none is needed).
 */
async function decideIndependence(
  ctx: ServiceContext,
  client: PlanningClient,
  interviewerId: string,
  reason: string | undefined,
): Promise<{ reason: string; by: string | null } | null> {
  const onTeam = await ctx.db
    .selectFrom('client_team')
    .innerJoin('users', 'users.id', 'client_team.user_id')
    .select(['client_team.team_role', 'users.name'])
    .where('client_team.client_id', '=', client.id)
    .where('client_team.user_id', '=', interviewerId)
    .executeTakeFirst();
  if (!onTeam) {
    return null;
  }
  const place = onTeam.team_role === 'relationship_partner' ? 'a relationship partner' : 'a member of the relationship team';
  if (reason === undefined) {
    throw new IndependenceError(
      `${onTeam.name} is ${place} for ${client.name}, so cannot interview the client independently; choose someone outside the team, or a programme lead may override with a reason (independenceOverrideReason)`,
    );
  }
  const scope = scopeFor(ctx.actor.role, 'session', 'override_independence');
  if (!scope || !scopeSatisfied(scope, client.actorTeamRole)) {
    throw new ForbiddenError(`${onTeam.name} is ${place} for ${client.name}; only a programme lead may override the independence rule`);
  }
  const trimmed = reason.trim();
  if (trimmed === '') {
    throw new ValidationError('independenceOverrideReason', 'is required: say why someone on the client’s relationship team should run this session');
  }
  return { reason: trimmed, by: ctx.actor.id };
}

/** The latest version of the guide asked for, or of the default guide; null when there is no guide at all. */
async function resolveGuideVersion(db: Db, guideId: string | undefined): Promise<string | null> {
  const guide = guideId
    ? await db.selectFrom('interview_guides').select(['id', 'archived']).where('id', '=', guideId).executeTakeFirst()
    : await db
        .selectFrom('interview_guides')
        .select(['id', 'archived'])
        .where('is_default', '=', true)
        .where('archived', '=', false)
        .orderBy('id')
        .executeTakeFirst();
  if (!guide) {
    if (guideId) {
      throw new ValidationError('guideId', 'is not an interview guide');
    }
    return null;
  }
  if (toBool(guide.archived)) {
    throw new ValidationError('guideId', 'is archived; choose a current guide');
  }
  const version = await db.selectFrom('guide_versions').select('id').where('guide_id', '=', guide.id).orderBy('version', 'desc').executeTakeFirst();
  if (!version) {
    throw new ValidationError('guideId', 'has no version to interview from yet');
  }
  return version.id;
}

/** The programme and nomination a session counts towards; a nomination brings its programme. */
async function resolveProgramme(
  db: Db,
  clientId: string,
  programmeId: string | null | undefined,
  nominationId: string | null | undefined,
): Promise<{ programmeId: string | null; nominationId: string | null }> {
  let programme = programmeId ?? null;
  if (nominationId) {
    const nomination = await db
      .selectFrom('nominations')
      .select(['id', 'client_id', 'programme_id', 'status'])
      .where('id', '=', nominationId)
      .executeTakeFirst();
    if (!nomination) {
      throw new ValidationError('nominationId', 'is not a nomination');
    }
    if (nomination.client_id !== clientId) {
      throw new ValidationError('nominationId', 'is a nomination of another client');
    }
    if (nomination.status !== 'accepted') {
      throw new ValidationError('nominationId', `has not been accepted by the relationship partner (it is ${nomination.status})`);
    }
    if (programme && programme !== nomination.programme_id) {
      throw new ValidationError('programmeId', 'is not the programme of the nomination');
    }
    programme = nomination.programme_id;
  }
  if (programme) {
    const found = await db.selectFrom('programmes').select('id').where('id', '=', programme).executeTakeFirst();
    if (!found) {
      throw new ValidationError('programmeId', 'is not a programme');
    }
  }
  return { programmeId: programme, nominationId: nominationId ?? null };
}

/** What each format needs, checked on the plan as it will be stored. */
function assertFormatDetails(plan: Pick<ListeningSessionRow, 'format' | 'location' | 'video_platform'>): void {
  if (plan.format === 'in_person' && !plan.location) {
    throw new ValidationError('location', 'is required for an in-person session');
  }
  if (plan.format === 'video' && !plan.video_platform) {
    throw new ValidationError('videoPlatform', 'is required for a video session (Teams, Zoom, …)');
  }
}

/** The audited view of a session plan, in API names. Capture content is never copied into the audit log. */
function auditedPlan(row: ListeningSessionRow, contactIds: string[], attendeeIds: string[]) {
  return {
    status: row.status,
    programmeId: row.programme_id,
    nominationId: row.nomination_id,
    objective: row.objective,
    expectations: row.expectations,
    agenda: row.agenda,
    interviewerId: row.interviewer_id,
    independenceOverrideReason: row.independence_override_reason,
    independenceOverrideBy: row.independence_override_by,
    format: row.format,
    location: row.location,
    videoPlatform: row.video_platform,
    videoLink: row.video_link,
    startsAt: row.starts_at,
    durationMinutes: row.duration_minutes,
    guideVersionId: row.guide_version_id,
    contactIds: [...contactIds].sort(),
    attendeeIds: [...attendeeIds].sort(),
    icsSequence: row.ics_sequence,
  };
}

async function linkedIds(db: Db, sessionId: string) {
  const [contacts, attendees] = await Promise.all([
    db.selectFrom('session_contacts').select('contact_id').where('session_id', '=', sessionId).execute(),
    db.selectFrom('session_attendees').select('user_id').where('session_id', '=', sessionId).execute(),
  ]);
  return { contactIds: contacts.map((r) => r.contact_id), attendeeIds: attendees.map((r) => r.user_id) };
}

async function loadRow(db: Db, id: string): Promise<ListeningSessionRow> {
  const row = await db.selectFrom('listening_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Session');
  }
  return row;
}

/**
 * Plans a listening session (status `planned`): checks the client is one the actor may plan for,
 * the stakeholders are the client's contacts, the interviewer is an active user who is
 * independent of the client's relationship team (or overridden by a programme lead with a
 * reason), and keeps the interview guide's latest version. Audited in the same transaction.
 */
export async function createSession(ctx: ServiceContext, input: SessionCreateInput): Promise<SessionDetail> {
  const client = await loadPlanningClient(ctx, input.clientId);
  const scope = scopeFor(ctx.actor.role, 'session', 'create');
  if (!scope || !scopeSatisfied(scope, client.actorTeamRole)) {
    throw new ForbiddenError();
  }
  const contactIds = input.contactIds ?? [];
  const attendeeIds = input.attendeeIds ?? [];
  const id = uuidv7();
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const wall = await wallMembers(trx, client);
    await assertInterviewer(trx, input.interviewerId, wall);
    const override = await decideIndependence(tctx, client, input.interviewerId, input.independenceOverrideReason);
    await assertContacts(trx, client.id, contactIds);
    await assertAttendees(trx, attendeeIds, input.interviewerId, wall);
    const links = await resolveProgramme(trx, client.id, input.programmeId, input.nominationId);
    const guideVersionId = await resolveGuideVersion(trx, input.guideId);
    const now = nowIso();
    const row = {
      id,
      client_id: client.id,
      programme_id: links.programmeId,
      nomination_id: links.nominationId,
      status: 'planned',
      objective: input.objective,
      expectations: input.expectations ?? null,
      agenda: input.agenda ?? null,
      interviewer_id: input.interviewerId,
      independence_override_reason: override?.reason ?? null,
      independence_override_by: override?.by ?? null,
      format: input.format,
      location: input.location ?? null,
      video_platform: input.videoPlatform ?? null,
      video_link: input.videoLink ?? null,
      starts_at: input.startsAt ?? null,
      duration_minutes: input.durationMinutes ?? 60,
      guide_version_id: guideVersionId,
      ics_sequence: 0,
      cancel_reason: null,
      nps: null,
      satisfaction: null,
      completed_at: null,
      summary: null,
      summary_version: 0,
      summary_reviewed_by: null,
      summary_reviewed_at: null,
      summary_shared_on: null,
      summary_shared_channel: null,
      created_by: ctx.actor.id,
      created_at: now,
      updated_at: now,
    } satisfies NewListeningSessionRow & ListeningSessionRow;
    assertFormatDetails(row);
    await trx.insertInto('listening_sessions').values(row).execute();
    if (contactIds.length > 0) {
      await trx
        .insertInto('session_contacts')
        .values(contactIds.map((contact_id) => ({ session_id: id, contact_id })))
        .execute();
    }
    if (attendeeIds.length > 0) {
      await trx
        .insertInto('session_attendees')
        .values(attendeeIds.map((user_id) => ({ session_id: id, user_id })))
        .execute();
    }
    await recordAudit(tctx, {
      action: 'session.create',
      entity: 'session',
      entityId: id,
      clientId: client.id,
      after: auditedPlan(row, contactIds, attendeeIds),
    });
    if (override) {
      await recordAudit(tctx, {
        action: 'session.independence_override',
        entity: 'session',
        entityId: id,
        clientId: client.id,
        after: { interviewerId: input.interviewerId, reason: override.reason },
      });
    }
  });
  return getSession(ctx, id);
}

/** Builds the detail of a session the caller has been granted (access already decided). */
async function toDetail(ctx: ServiceContext, access: SessionAccess): Promise<SessionDetail> {
  const { db, actor } = ctx;
  const s = access.session;
  const visibility = remarkVisibility(access);
  const [client, programme, people, contacts, attendees, guide, answers, scores, remarks] = await Promise.all([
    db.selectFrom('clients').select(['id', 'name', 'status']).where('id', '=', s.client_id).executeTakeFirstOrThrow(),
    s.programme_id ? db.selectFrom('programmes').select(['id', 'name']).where('id', '=', s.programme_id).executeTakeFirst() : undefined,
    db
      .selectFrom('users')
      .select(['id', 'name', 'email', 'role'])
      .where('id', 'in', [s.interviewer_id, ...[s.independence_override_by, s.created_by].filter((v): v is string => !!v)])
      .execute(),
    db
      .selectFrom('session_contacts')
      .innerJoin('contacts', 'contacts.id', 'session_contacts.contact_id')
      .select(['contacts.id', 'contacts.name', 'contacts.job_title', 'contacts.role', 'contacts.email', 'contacts.left_on'])
      .where('session_contacts.session_id', '=', s.id)
      .orderBy('contacts.name')
      .execute(),
    db
      .selectFrom('session_attendees')
      .innerJoin('users', 'users.id', 'session_attendees.user_id')
      .select(['users.id', 'users.name', 'users.email', 'users.title'])
      .where('session_attendees.session_id', '=', s.id)
      .orderBy('users.name')
      .execute(),
    s.guide_version_id
      ? db
          .selectFrom('guide_versions')
          .innerJoin('interview_guides', 'interview_guides.id', 'guide_versions.guide_id')
          .select(['guide_versions.id', 'guide_versions.guide_id', 'guide_versions.version', 'guide_versions.sections', 'interview_guides.name'])
          .where('guide_versions.id', '=', s.guide_version_id)
          .executeTakeFirst()
      : undefined,
    loadAnswers(db, s.id),
    loadScores(db, s),
    listRemarksFor(db, s.id, visibility),
  ]);
  const byId = new Map(people.map((p) => [p.id, p]));
  const interviewer = byId.get(s.interviewer_id);
  const personOf = (userId: string | null) => {
    const p = userId ? byId.get(userId) : undefined;
    return p ? { id: p.id, name: p.name } : null;
  };
  const abilities = sessionAbilities(actor, access);
  const editable = PLAN_EDITABLE.includes(s.status);
  return {
    id: s.id,
    status: s.status,
    client,
    programme: programme ?? null,
    nominationId: s.nomination_id,
    objective: s.objective,
    expectations: s.expectations,
    agenda: s.agenda,
    interviewer: { id: s.interviewer_id, name: interviewer?.name ?? '', email: interviewer?.email ?? '', role: interviewer?.role ?? '' },
    independenceOverride: s.independence_override_reason ? { reason: s.independence_override_reason, by: personOf(s.independence_override_by) } : null,
    format: s.format,
    location: s.location,
    videoPlatform: s.video_platform,
    videoLink: s.video_link,
    startsAt: s.starts_at,
    endsAt: endsAt(s.starts_at, s.duration_minutes),
    durationMinutes: s.duration_minutes,
    contacts: contacts.map((c) => ({ id: c.id, name: c.name, jobTitle: c.job_title, role: c.role, email: c.email, leftOn: c.left_on })),
    attendees,
    guide: guide
      ? { guideId: guide.guide_id, name: guide.name, versionId: guide.id, version: Number(guide.version), sections: parseSections(guide.sections) }
      : null,
    answers,
    scores,
    remarks,
    seesConfidential: access.seesConfidential,
    cancelReason: s.cancel_reason,
    completedAt: s.completed_at,
    icsSequence: Number(s.ics_sequence),
    nextStatuses: SESSION_TRANSITIONS[s.status].filter((st) => !SUMMARY_STATUSES.includes(st)),
    abilities: {
      ...abilities,
      update: abilities.update && editable,
      downloadInvite: s.starts_at !== null,
    },
    createdBy: personOf(s.created_by),
    createdAt: s.created_at,
    updatedAt: s.updated_at,
  };
}

/**
 * One session as the caller may see it: the plan, stakeholders, the guide version it keeps,
 * notes, scores, and the remarks the caller may read (programme-only remarks and the speakers of
 * non-attributable ones only for programme leads and the interviewer).
 */
export async function getSession(ctx: ServiceContext, id: string): Promise<SessionDetail> {
  const access = await requireSessionAccess(ctx, id, 'read');
  return toDetail(ctx, access);
}

/**
 * Lists the sessions the actor may read, filtered and ordered by start time, paginated by keyset.
 * Access and the remark counts' confidentiality are applied inside the SQL.
 */
export async function listSessions(ctx: ServiceContext, query: SessionListQuery): Promise<Page<SessionListItem>> {
  const { db, actor } = ctx;
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after && typeof after.value !== 'string') {
    throw new ValidationError('cursor', 'is not a cursor this list returned');
  }
  if (query.from && query.to && query.to < query.from) {
    throw new ValidationError('to', 'must not be before from');
  }
  const actorId = actor.id ?? '';
  // The literal, not a parameter: the expression must match listening_sessions_sort_idx for the index to serve it.
  const sortExpr = sql<string>`coalesce(${sql.ref('listening_sessions.starts_at')}, ${sql.lit(UNDATED)})`;
  const cmp = query.order === 'asc' ? '>' : '<';
  const seesAllConfidential = actor.role === 'programme_lead' || actor.role === 'system';
  const filtered = db
    .selectFrom('listening_sessions')
    .where(visibleSessions(actor))
    .$if(!!query.clientId, (qb) => qb.where('listening_sessions.client_id', '=', query.clientId ?? ''))
    .$if(!!query.programmeId, (qb) => qb.where('listening_sessions.programme_id', '=', query.programmeId ?? ''))
    .$if(!!query.status, (qb) => qb.where('listening_sessions.status', 'in', query.status ?? []))
    .$if(!!query.interviewerId, (qb) => qb.where('listening_sessions.interviewer_id', '=', query.interviewerId ?? ''))
    .$if(!!query.q, (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('clients as named')
            .select('named.id')
            .whereRef('named.id', '=', 'listening_sessions.client_id')
            .where((n) => containsText(db, n.ref('named.name'), query.q ?? '')),
        ),
      ),
    )
    .$if(query.mine === true, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb('listening_sessions.interviewer_id', '=', actorId),
          eb.exists(
            eb
              .selectFrom('session_attendees')
              .select('session_attendees.user_id')
              .whereRef('session_attendees.session_id', '=', 'listening_sessions.id')
              .where('session_attendees.user_id', '=', actorId),
          ),
        ]),
      ),
    )
    .$if(!!query.from, (qb) => qb.where('listening_sessions.starts_at', '>=', `${query.from}T00:00:00.000Z`))
    .$if(!!query.to, (qb) => qb.where('listening_sessions.starts_at', '<', nextDay(query.to ?? '')));
  const rows = await filtered
    .innerJoin('clients', 'clients.id', 'listening_sessions.client_id')
    .innerJoin('users as interviewer', 'interviewer.id', 'listening_sessions.interviewer_id')
    .leftJoin('programmes', 'programmes.id', 'listening_sessions.programme_id')
    .select([
      'programmes.name as programme_name',
      'listening_sessions.id',
      'listening_sessions.status',
      'listening_sessions.client_id',
      'clients.name as client_name',
      'listening_sessions.programme_id',
      'listening_sessions.objective',
      'listening_sessions.format',
      'listening_sessions.starts_at',
      'listening_sessions.duration_minutes',
      'listening_sessions.interviewer_id',
      'interviewer.name as interviewer_name',
      'listening_sessions.created_at',
      'listening_sessions.updated_at',
    ])
    .select((eb) => [
      eb
        .selectFrom('session_contacts')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('session_contacts.session_id', '=', 'listening_sessions.id')
        .as('contact_count'),
      eb
        .selectFrom('session_remarks')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('session_remarks.session_id', '=', 'listening_sessions.id')
        // A programme-only remark counts only for those who may read it: leads and the session's interviewer.
        .$if(!seesAllConfidential, (q) =>
          q.where((e) => e.or([e('session_remarks.confidentiality', '!=', 'programme_only'), e('listening_sessions.interviewer_id', '=', actorId)])),
        )
        .as('remark_count'),
    ])
    .$if(!!after, (qb) =>
      qb.where(sql<SqlBool>`(${sortExpr}, ${sql.ref('listening_sessions.id')}) ${sql.raw(cmp)} (${after?.value ?? ''}, ${after?.id ?? ''})`),
    )
    .orderBy(sortExpr, query.order)
    .orderBy('listening_sessions.id', query.order)
    .limit(query.limit + 1)
    .execute();
  const page = toPage(
    rows,
    query.limit,
    (r) => r.starts_at ?? UNDATED,
    (r): SessionListItem => ({
      id: r.id,
      status: r.status,
      client: { id: r.client_id, name: r.client_name },
      programmeId: r.programme_id,
      programme: r.programme_id && r.programme_name ? { id: r.programme_id, name: r.programme_name } : null,
      objective: r.objective,
      format: r.format,
      startsAt: r.starts_at,
      durationMinutes: r.duration_minutes,
      interviewer: { id: r.interviewer_id, name: r.interviewer_name },
      contactCount: Number(r.contact_count ?? 0),
      remarkCount: Number(r.remark_count ?? 0),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }),
  );
  if (query.total) {
    const counted = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    page.total = Number(counted.n);
  }
  return page;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

/**
 * Changes a session's plan while it is planned or scheduled. A new interviewer goes through the
 * same checks as at planning (active user, wall, independence). Changing the time, length,
 * place, link, format, interviewer, stakeholders or attendees raises the invite's SEQUENCE so
 * calendars replace the old invite.
 */
export async function updateSession(ctx: ServiceContext, id: string, input: SessionUpdateBody): Promise<SessionDetail> {
  const access = await requireSessionAccess(ctx, id, 'update');
  const client = await loadPlanningClient(ctx, access.session.client_id);
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = await loadRow(trx, id);
    if (!PLAN_EDITABLE.includes(before.status)) {
      throw new ConflictError(
        undefined,
        `The plan of a ${before.status.replaceAll('_', ' ')} session can no longer be changed; only planned or scheduled sessions can`,
      );
    }
    const links = await linkedIds(trx, id);
    const wall = await wallMembers(trx, client);
    const interviewerId = input.interviewerId ?? before.interviewer_id;
    const interviewerChanged = interviewerId !== before.interviewer_id;
    let override = before.independence_override_reason ? { reason: before.independence_override_reason, by: before.independence_override_by } : null;
    if (interviewerChanged) {
      await assertInterviewer(trx, interviewerId, wall);
    }
    if (interviewerChanged || input.independenceOverrideReason !== undefined) {
      override = await decideIndependence(tctx, client, interviewerId, input.independenceOverrideReason);
    }
    const contactIds = input.contactIds ?? links.contactIds;
    const attendeeIds = input.attendeeIds ?? links.attendeeIds;
    if (input.contactIds) {
      await assertContacts(trx, client.id, input.contactIds);
    }
    if (input.attendeeIds || interviewerChanged) {
      await assertAttendees(trx, attendeeIds, interviewerId, wall);
    }
    if (input.startsAt === null && before.status === 'scheduled') {
      throw new ValidationError('startsAt', 'a scheduled session needs a start time; set another time, or cancel the session');
    }
    let programme = { programmeId: before.programme_id, nominationId: before.nomination_id };
    if (input.programmeId !== undefined) {
      programme = await resolveProgramme(trx, client.id, input.programmeId, input.programmeId === before.programme_id ? before.nomination_id : null);
    }
    let guideVersionId = before.guide_version_id;
    if (input.guideId !== undefined) {
      const answered = await trx.selectFrom('session_answers').select('question_key').where('session_id', '=', id).executeTakeFirst();
      const next = await resolveGuideVersion(trx, input.guideId);
      if (answered && next !== before.guide_version_id) {
        throw new ConflictError('guideId', 'notes have already been taken against the current guide, so it cannot be changed');
      }
      guideVersionId = next;
    }
    const next: ListeningSessionRow = {
      ...before,
      programme_id: programme.programmeId,
      nomination_id: programme.nominationId,
      objective: input.objective ?? before.objective,
      expectations: input.expectations !== undefined ? input.expectations : before.expectations,
      agenda: input.agenda !== undefined ? input.agenda : before.agenda,
      interviewer_id: interviewerId,
      independence_override_reason: override?.reason ?? null,
      independence_override_by: override?.by ?? null,
      format: input.format ?? before.format,
      location: input.location !== undefined ? input.location : before.location,
      video_platform: input.videoPlatform !== undefined ? input.videoPlatform : before.video_platform,
      video_link: input.videoLink !== undefined ? input.videoLink : before.video_link,
      starts_at: input.startsAt !== undefined ? input.startsAt : before.starts_at,
      duration_minutes: input.durationMinutes ?? before.duration_minutes,
      guide_version_id: guideVersionId,
      updated_at: nowIso(),
    };
    assertFormatDetails(next);
    const inviteChanged =
      next.starts_at !== before.starts_at ||
      next.duration_minutes !== before.duration_minutes ||
      next.format !== before.format ||
      next.location !== before.location ||
      next.video_platform !== before.video_platform ||
      next.video_link !== before.video_link ||
      interviewerChanged ||
      !sameIds(contactIds, links.contactIds) ||
      !sameIds(attendeeIds, links.attendeeIds);
    next.ics_sequence = Number(before.ics_sequence) + (inviteChanged ? 1 : 0);
    const { id: _id, created_at: _c, created_by: _b, ...changes } = next;
    await trx.updateTable('listening_sessions').set(changes).where('id', '=', id).execute();
    if (input.contactIds) {
      await trx.deleteFrom('session_contacts').where('session_id', '=', id).execute();
      if (contactIds.length > 0) {
        await trx
          .insertInto('session_contacts')
          .values(contactIds.map((contact_id) => ({ session_id: id, contact_id })))
          .execute();
      }
    }
    if (input.attendeeIds) {
      await trx.deleteFrom('session_attendees').where('session_id', '=', id).execute();
      if (attendeeIds.length > 0) {
        await trx
          .insertInto('session_attendees')
          .values(attendeeIds.map((user_id) => ({ session_id: id, user_id })))
          .execute();
      }
    }
    await recordAudit(tctx, {
      action: 'session.update',
      entity: 'session',
      entityId: id,
      clientId: client.id,
      before: auditedPlan(before, links.contactIds, links.attendeeIds),
      after: auditedPlan(next, contactIds, attendeeIds),
    });
    if (override && override.reason !== before.independence_override_reason) {
      await recordAudit(tctx, {
        action: 'session.independence_override',
        entity: 'session',
        entityId: id,
        clientId: client.id,
        before: { interviewerId: before.interviewer_id, reason: before.independence_override_reason },
        after: { interviewerId, reason: override.reason },
      });
    }
  });
  return getSession(ctx, id);
}

/**
 * Moves a session along its life (session-states.ts): scheduled needs a start time, cancelled a
 * reason (and raises the invite's SEQUENCE so calendars drop it), completed records when. The
 * summary statuses belong to the summary endpoints.
 */
export async function transitionSession(ctx: ServiceContext, id: string, input: SessionStatusBody): Promise<SessionDetail> {
  const access = await requireSessionAccess(ctx, id, 'read');
  const to = input.status;
  if (SUMMARY_STATUSES.includes(to)) {
    throw new ValidationError(
      'status',
      `${to.replaceAll('_', ' ')} is set through the summary endpoints (/api/v1/sessions/{id}/summary…), which keep the summary and its review with it`,
    );
  }
  const may = sessionAbilities(ctx.actor, access);
  const allowed = to === 'cancelled' ? may.cancel : to === 'completed' ? may.update || may.capture : may.update;
  if (!allowed) {
    throw new ForbiddenError(to === 'cancelled' ? 'You may not cancel this session' : 'You may not change this session’s status');
  }
  const reason = input.reason?.trim() ?? '';
  if (to === 'cancelled' && reason === '') {
    throw new ValidationError('reason', 'is required to cancel a session: say why, it is kept with the session');
  }
  await ctx.db.transaction().execute(async (trx) => {
    const before = await loadRow(trx, id);
    if (!canTransition(before.status, to)) {
      throw new TransitionError(transitionRefusal(before.status, to));
    }
    if (to === 'scheduled' && !before.starts_at) {
      throw new ConflictError('startsAt', 'set when the session starts (PATCH startsAt) before scheduling it');
    }
    const now = nowIso();
    const result = await trx
      .updateTable('listening_sessions')
      .set({
        status: to,
        updated_at: now,
        ...(to === 'cancelled' && { cancel_reason: reason, ics_sequence: Number(before.ics_sequence) + 1 }),
        ...(to === 'completed' && { completed_at: now }),
      })
      .where('id', '=', id)
      // Two people moving the same session at once: the second finds it changed and is refused.
      .where('status', '=', before.status)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw new ConflictError('status', 'the session changed meanwhile; reload it and try again');
    }
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: `session.${to === 'cancelled' ? 'cancel' : to === 'completed' ? 'complete' : 'schedule'}`,
        entity: 'session',
        entityId: id,
        clientId: before.client_id,
        before: { status: before.status },
        after: { status: to, ...(to === 'cancelled' && { cancelReason: reason }) },
      },
    );
  });
  return getSession(ctx, id);
}

/** Cancels a planned or scheduled session with a reason; the invite becomes a cancellation. */
export function cancelSession(ctx: ServiceContext, id: string, reason: string): Promise<SessionDetail> {
  return transitionSession(ctx, id, { status: 'cancelled', reason });
}

/**
 * The session's calendar invite (RFC 5545): a request while it is on, a cancellation once it is
 * cancelled; the same UID throughout and the SEQUENCE of the last change. Never carries what
 * was said in the session.
 */
export async function getSessionInvite(ctx: ServiceContext, id: string): Promise<{ filename: string; ics: string }> {
  const { session: s } = await requireSessionAccess(ctx, id, 'read');
  if (!s.starts_at) {
    throw new ValidationError('startsAt', 'the session has no date yet; set startsAt before sending an invite');
  }
  const [client, interviewer, contacts, attendees] = await Promise.all([
    ctx.db.selectFrom('clients').select(['name']).where('id', '=', s.client_id).executeTakeFirstOrThrow(),
    ctx.db.selectFrom('users').select(['name', 'email']).where('id', '=', s.interviewer_id).executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('session_contacts')
      .innerJoin('contacts', 'contacts.id', 'session_contacts.contact_id')
      .select(['contacts.name', 'contacts.email'])
      .where('session_contacts.session_id', '=', id)
      .orderBy('contacts.name')
      .execute(),
    ctx.db
      .selectFrom('session_attendees')
      .innerJoin('users', 'users.id', 'session_attendees.user_id')
      .select(['users.name', 'users.email'])
      .where('session_attendees.session_id', '=', id)
      .orderBy('users.name')
      .execute(),
  ]);
  const ics = buildInvite({
    uid: `${s.id}@hearken`,
    sequence: Number(s.ics_sequence),
    cancelled: s.status === 'cancelled',
    title: `Client listening session: ${client.name}`,
    startsAt: s.starts_at,
    durationMinutes: s.duration_minutes,
    organizer: { name: interviewer.name, email: interviewer.email },
    attendees: [...contacts.flatMap((c) => (c.email ? [{ name: c.name, email: c.email }] : [])), ...attendees.map((a) => ({ name: a.name, email: a.email }))],
    location: s.format === 'video' ? (s.video_link ?? s.video_platform) : s.location,
    format: s.format,
    videoPlatform: s.video_platform,
    videoLink: s.video_link,
    objective: s.objective,
    expectations: s.expectations,
    agenda: s.agenda,
    updatedAt: s.updated_at,
  });
  return { filename: `listening-session-${s.id}.ics`, ics };
}
