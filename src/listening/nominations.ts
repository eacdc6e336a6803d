import { type ExpressionBuilder, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import type { Database, NominationOrigin, NominationRow, NominationStatus } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { requirePermission, scopeFor, scopeSatisfied, visibleClients } from '../http/access.js';
import { AppError, ConflictError, type FieldIssue, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import { notifyNominationAwaiting } from '../notifications/events.js';
import type { Actor, ServiceContext } from '../server/context.js';
import { type ParticipationPartner, participation } from './participation.js';
import type {
  NominateBody,
  Nomination,
  NominationDetail,
  NominationEvent,
  NominationListQuery,
  Participation,
  ProgrammeNominationsQuery,
  RemindBody,
  RemindResult,
  ResponseBody,
  WithdrawBody,
} from './programme-schemas.js';
import { assertOpen, commitmentsOf, latestNps, requireProgramme } from './programmes.js';
import { isAtRiskClient, isLostClient } from './progress.js';

/** Today's date in UTC (YYYY-MM-DD): ask-again dates are calendar dates, compared in UTC. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Whether a nomination waits for the partner's answer: it was proposed and not answered, or
 * the partner said "not now" and the date to ask again has come.
 */
export function isWaiting(n: { status: NominationStatus; ask_again_on: string | null }, today: string): boolean {
  return n.status === 'proposed' || (n.status === 'deferred' && n.ask_again_on !== null && n.ask_again_on <= today);
}

/**
 * Since when a nomination has waited for an answer, or null when it does not wait. A proposed
 * nomination waits from when it became proposed (its `updated_at`: reminders do not touch it,
 * and any other change moves it out of `proposed`); a deferred one from its ask-again date.
 */
export function waitingSince(n: { status: NominationStatus; ask_again_on: string | null; updated_at: string }, today: string): string | null {
  if (!isWaiting(n, today)) {
    return null;
  }
  return n.status === 'proposed' ? n.updated_at : `${n.ask_again_on}T00:00:00.000Z`;
}

/**
 * Whether a reminder is due: the nomination has waited at least `days` days, and nobody
 * reminded the partner about it in that time (so pressing the button twice does not nag).
 */
export function reminderDue(
  n: { status: NominationStatus; ask_again_on: string | null; updated_at: string; last_reminded_at: string | null },
  now: Date,
  days: number,
): boolean {
  const since = waitingSince(n, todayUtc(now));
  if (since === null) {
    return false;
  }
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  return since <= cutoff && (n.last_reminded_at === null || n.last_reminded_at <= cutoff);
}

/**
 * Restricts a query on `nominations` to the ones the actor may read, beside `visibleClients`:
 * programme leads and management read every nomination; a partner reads only those addressed to
 * them, for clients on which they are (still) a relationship partner.
 */
export function readableNominations(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'nominations'>) => {
    if (actor.role === 'system') {
      return eb.lit(true);
    }
    const scope = scopeFor(actor.role, 'nomination', 'read');
    if (!scope || actor.id === null) {
      return eb.lit(false);
    }
    if (scope === 'any') {
      return eb.lit(true);
    }
    return eb.and([
      eb('nominations.partner_id', '=', actor.id),
      eb.exists(
        eb
          .selectFrom('client_team')
          .select(sql.lit(1).as('one'))
          .whereRef('client_team.client_id', '=', 'nominations.client_id')
          .where('client_team.user_id', '=', actor.id)
          .where('client_team.team_role', '=', 'relationship_partner'),
      ),
    ]);
  };
}

function selectNominations(db: Db, actor: Actor) {
  return db
    .selectFrom('nominations')
    .innerJoin('programmes', 'programmes.id', 'nominations.programme_id')
    .innerJoin('clients', 'clients.id', 'nominations.client_id')
    .innerJoin('users as partner', 'partner.id', 'nominations.partner_id')
    .leftJoin('users as proposer', 'proposer.id', 'nominations.proposed_by')
    .selectAll('nominations')
    .select([
      'programmes.name as programme_name',
      'programmes.status as programme_status',
      'clients.name as client_name',
      'clients.status as client_status',
      'clients.is_key_client as client_is_key',
      'partner.name as partner_name',
      'proposer.name as proposer_name',
    ])
    .where(visibleClients(actor))
    .where(readableNominations(actor));
}

type NominationWithNames = Awaited<ReturnType<ReturnType<typeof selectNominations>['executeTakeFirstOrThrow']>>;

function toNomination(row: NominationWithNames, today: string): Nomination {
  return {
    id: row.id,
    programme: { id: row.programme_id, name: row.programme_name, status: row.programme_status },
    client: { id: row.client_id, name: row.client_name, status: row.client_status, isKeyClient: toBool(row.client_is_key) },
    partner: { id: row.partner_id, name: row.partner_name },
    origin: row.origin,
    proposedBy: row.proposed_by ? { id: row.proposed_by, name: row.proposer_name ?? 'Former user' } : null,
    status: row.status,
    reason: row.reason,
    askAgainOn: row.ask_again_on,
    note: row.note,
    respondedAt: row.responded_at,
    lastRemindedAt: row.last_reminded_at,
    reminderCount: Number(row.reminder_count),
    waiting: isWaiting(row, today),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function audited(row: Pick<NominationRow, 'status' | 'reason' | 'ask_again_on' | 'origin' | 'partner_id' | 'programme_id' | 'note'>) {
  return {
    programmeId: row.programme_id,
    partnerId: row.partner_id,
    origin: row.origin,
    status: row.status,
    reason: row.reason,
    askAgainOn: row.ask_again_on,
    note: row.note,
  };
}

/** A 403 that names the field at fault, e.g. the client a partner may not volunteer. */
class ForbiddenFieldError extends AppError {
  constructor(field: string, message: string) {
    super(403, 'forbidden', `${field}: ${message}`, [{ field, message }]);
  }
}

interface Target {
  index: number;
  clientId: string;
  clientName: string;
  partnerId: string;
  partnerName: string;
}

/**
 * Puts clients forward for a programme. A programme lead proposes: one nomination per client
 * and relationship partner, each answered by that partner. A partner volunteers: only clients
 * for which they are a relationship partner, accepted at once. All or nothing: one bad client
 * refuses the whole request.
 */
export async function nominate(ctx: ServiceContext, programmeId: string, input: NominateBody): Promise<Nomination[]> {
  const { actor } = ctx;
  const programme = await requireProgramme(ctx, programmeId);
  requirePermission(actor, 'nomination', input.volunteer ? 'volunteer' : 'propose');
  assertOpen(programme, 'nominations');
  if (input.volunteer && !actor.id) {
    throw new ValidationError('volunteer', 'only a signed-in partner can volunteer clients');
  }
  const seen = new Map<string, number>();
  input.clientIds.forEach((clientId, i) => {
    if (seen.has(clientId)) {
      throw new ValidationError(`clientIds.${i}`, 'is listed twice');
    }
    seen.set(clientId, i);
  });

  const created = await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const clients = await trx
      .selectFrom('clients')
      .select(['clients.id', 'clients.name'])
      .where('clients.id', 'in', input.clientIds)
      .where(visibleClients(actor))
      .execute();
    const clientNames = new Map(clients.map((c) => [c.id, c.name]));
    const partners = await trx
      .selectFrom('client_team')
      .innerJoin('users', 'users.id', 'client_team.user_id')
      .select(['client_team.client_id', 'users.id', 'users.name', 'users.active', 'users.role'])
      .where('client_team.client_id', 'in', input.clientIds)
      .where('client_team.team_role', '=', 'relationship_partner')
      .orderBy('users.name')
      .execute();

    const issues: FieldIssue[] = [];
    const targets: Target[] = [];
    input.clientIds.forEach((clientId, index) => {
      const field = `clientIds.${index}`;
      const clientName = clientNames.get(clientId);
      if (clientName === undefined) {
        issues.push({ field, message: 'is not a client you can see' });
        return;
      }
      const ofClient = partners.filter((p) => p.client_id === clientId);
      if (input.volunteer) {
        const me = ofClient.find((p) => p.id === actor.id);
        if (!me) {
          throw new ForbiddenFieldError(field, `you are not a relationship partner of ${clientName}; only its relationship partners can volunteer it`);
        }
        targets.push({ index, clientId, clientName, partnerId: me.id, partnerName: me.name });
        return;
      }
      // Only someone who may answer receives a nomination: an active user whose role answers nominations.
      const active = ofClient.filter((p) => toBool(p.active) && scopeFor(p.role, 'nomination', 'respond') !== undefined);
      if (active.length === 0) {
        issues.push({
          field,
          message:
            ofClient.length === 0
              ? `${clientName} has no relationship partner to answer it; add one to its relationship team first`
              : `${clientName} has no active relationship partner with a partner account to answer it (${ofClient.map((p) => p.name).join(', ')})`,
        });
        return;
      }
      for (const p of active) {
        targets.push({ index, clientId, clientName, partnerId: p.id, partnerName: p.name });
      }
    });
    const [first, ...more] = issues;
    if (first) {
      throw new ValidationError(first.field, first.message, more);
    }

    const existing = await trx
      .selectFrom('nominations')
      .selectAll()
      .where('programme_id', '=', programmeId)
      .where('client_id', 'in', input.clientIds)
      .execute();
    const existingByKey = new Map(existing.map((n) => [`${n.client_id}|${n.partner_id}`, n]));
    for (const t of targets) {
      const clash = existingByKey.get(`${t.clientId}|${t.partnerId}`);
      if (clash && clash.status !== 'withdrawn') {
        throw new ConflictError(
          `clientIds.${t.index}`,
          input.volunteer && (clash.status === 'proposed' || clash.status === 'deferred')
            ? `${t.clientName} has already been proposed to you in this programme; answer it from your inbox`
            : `${t.clientName} is already nominated to ${t.partnerName} in this programme (${clash.status})`,
        );
      }
    }

    const now = nowIso();
    const status: NominationStatus = input.volunteer ? 'accepted' : 'proposed';
    const origin: NominationOrigin = input.volunteer ? 'volunteered' : 'proposed';
    const ids: string[] = [];
    for (const t of targets) {
      const reopened = existingByKey.get(`${t.clientId}|${t.partnerId}`);
      const fields = {
        origin,
        proposed_by: actor.id,
        status,
        reason: null,
        ask_again_on: null,
        note: input.note ?? null,
        responded_at: input.volunteer ? now : null,
        updated_at: now,
      };
      let id: string;
      if (reopened) {
        // A withdrawn nomination is put forward again rather than duplicated: its history continues.
        id = reopened.id;
        await trx.updateTable('nominations').set(fields).where('id', '=', id).execute();
      } else {
        id = uuidv7();
        await trx
          .insertInto('nominations')
          .values({ id, programme_id: programmeId, client_id: t.clientId, partner_id: t.partnerId, ...fields, created_at: now })
          .execute();
      }
      await trx
        .insertInto('nomination_events')
        .values({
          id: uuidv7(),
          nomination_id: id,
          at: now,
          actor_id: actor.id,
          from_status: reopened?.status ?? null,
          to_status: status,
          reason: null,
          ask_again_on: null,
        })
        .execute();
      await recordAudit(tctx, {
        action: input.volunteer ? 'nomination.volunteer' : 'nomination.propose',
        entity: 'nomination',
        entityId: id,
        clientId: t.clientId,
        before: reopened ? audited(reopened) : null,
        after: audited({ ...fields, programme_id: programmeId, partner_id: t.partnerId }),
      });
      if (status === 'proposed') {
        await notifyNominationAwaiting(trx, { id, clientId: t.clientId, clientName: t.clientName, partnerId: t.partnerId }, actor.id);
      }
      ids.push(id);
    }
    return ids;
  });
  const today = todayUtc();
  const rows = await selectNominations(ctx.db, actor).where('nominations.id', 'in', created).orderBy('clients.name').orderBy('partner.name').execute();
  return rows.map((r) => toNomination(r, today));
}

/** A programme's nominations, for the board (grouped by status in the app): filtered by status and partner. */
export async function listProgrammeNominations(ctx: ServiceContext, programmeId: string, query: ProgrammeNominationsQuery): Promise<Nomination[]> {
  await requireProgramme(ctx, programmeId);
  requirePermission(ctx.actor, 'nomination', 'read');
  const today = todayUtc();
  const rows = await selectNominations(ctx.db, ctx.actor)
    .where('nominations.programme_id', '=', programmeId)
    .$if(!!query.status, (qb) => qb.where('nominations.status', 'in', query.status ?? []))
    .$if(!!query.partnerId, (qb) => qb.where('nominations.partner_id', '=', query.partnerId ?? ''))
    .orderBy('clients.name')
    .orderBy('partner.name')
    .orderBy('nominations.id')
    .execute();
  return rows.map((r) => toNomination(r, today));
}

/**
 * Nominations across programmes. With `mine`, the partner inbox: those addressed to the caller
 * that wait for an answer, proposed ones first (oldest first), then deferred ones whose date to
 * ask again has come; with `status` too, those statuses instead.
 */
export async function listNominations(ctx: ServiceContext, query: NominationListQuery): Promise<Nomination[]> {
  const { actor } = ctx;
  requirePermission(actor, 'nomination', 'read');
  const today = todayUtc();
  let q = selectNominations(ctx.db, actor)
    .$if(!!query.programmeId, (qb) => qb.where('nominations.programme_id', '=', query.programmeId ?? ''))
    .$if(!!query.status, (qb) => qb.where('nominations.status', 'in', query.status ?? []))
    .$if(!!query.mine, (qb) => qb.where('nominations.partner_id', '=', actor.id ?? ''));
  if (query.mine && !query.status) {
    q = q
      .where('programmes.status', '!=', 'closed')
      .where((eb) =>
        eb.or([eb('nominations.status', '=', 'proposed'), eb.and([eb('nominations.status', '=', 'deferred'), eb('nominations.ask_again_on', '<=', today)])]),
      )
      .orderBy((eb) => eb.case().when('nominations.status', '=', 'proposed').then(0).else(1).end())
      .orderBy('nominations.ask_again_on')
      .orderBy('nominations.updated_at');
  } else {
    q = q.orderBy('nominations.updated_at', 'desc');
  }
  const rows = await q.orderBy('nominations.id').limit(query.limit).execute();
  return rows.map((r) => toNomination(r, today));
}

/**
 * Loads a nomination for an action: one the actor may not read does not exist for them (404);
 * one they may read but not change is a 403. Answering is for the partner it is addressed to.
 */
async function requireNomination(ctx: ServiceContext, id: string, action: 'read' | 'respond' | 'withdraw'): Promise<NominationWithNames> {
  const { actor } = ctx;
  const row = await selectNominations(ctx.db, actor).where('nominations.id', '=', id).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Nomination');
  }
  if (action === 'read') {
    return row;
  }
  const scope = scopeFor(actor.role, 'nomination', action);
  if (!scope) {
    throw new ForbiddenError(action === 'respond' ? 'Only the partner the nomination is addressed to can answer it' : undefined);
  }
  if (action === 'respond') {
    const team = await ctx.db
      .selectFrom('client_team')
      .select('team_role')
      .where('client_id', '=', row.client_id)
      .where('user_id', '=', actor.id ?? '')
      .executeTakeFirst();
    if (!scopeSatisfied(scope, team?.team_role) || (actor.role !== 'system' && row.partner_id !== actor.id)) {
      throw new ForbiddenError('Only the partner the nomination is addressed to can answer it');
    }
  }
  return row;
}

function nominationAbilities(ctx: ServiceContext, row: NominationWithNames): NominationDetail['abilities'] {
  const { actor } = ctx;
  const open = row.programme_status !== 'closed' && row.status !== 'withdrawn';
  return {
    respond: open && scopeFor(actor.role, 'nomination', 'respond') !== undefined && row.partner_id === actor.id,
    withdraw: open && scopeFor(actor.role, 'nomination', 'withdraw') !== undefined,
  };
}

async function eventsOf(db: Db, nominationId: string): Promise<NominationEvent[]> {
  const rows = await db
    .selectFrom('nomination_events')
    .leftJoin('users', 'users.id', 'nomination_events.actor_id')
    .selectAll('nomination_events')
    .select('users.name as actor_name')
    .where('nomination_events.nomination_id', '=', nominationId)
    .orderBy('nomination_events.at')
    .orderBy('nomination_events.id')
    .execute();
  return rows.map((e) => ({
    id: e.id,
    at: e.at,
    actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? 'Former user' } : null,
    fromStatus: e.from_status,
    toStatus: e.to_status,
    reason: e.reason,
    askAgainOn: e.ask_again_on,
  }));
}

/** A nomination with its full status history. */
export async function getNomination(ctx: ServiceContext, id: string): Promise<NominationDetail> {
  const row = await requireNomination(ctx, id, 'read');
  return { ...toNomination(row, todayUtc()), events: await eventsOf(ctx.db, id), abilities: nominationAbilities(ctx, row) };
}

const ANSWER_STATUS: Record<ResponseBody['answer'], NominationStatus> = { yes: 'accepted', not_now: 'deferred', no: 'declined' };

/** Moves a nomination to a new status, with its history row and audit row, in one transaction. */
async function changeStatus(
  ctx: ServiceContext,
  row: NominationWithNames,
  change: { status: NominationStatus; reason: string | null; askAgainOn: string | null; responded: boolean },
  action: string,
): Promise<void> {
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    // Re-read inside the transaction: two answers at once must not both start from the same state.
    const before = await trx.selectFrom('nominations').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    if (before.status === 'withdrawn') {
      throw new ConflictError(undefined, 'The nomination has been withdrawn; there is nothing left to answer');
    }
    const fields = {
      status: change.status,
      reason: change.reason,
      ask_again_on: change.askAgainOn,
      ...(change.responded && { responded_at: now }),
      updated_at: now,
    };
    await trx.updateTable('nominations').set(fields).where('id', '=', row.id).execute();
    await trx
      .insertInto('nomination_events')
      .values({
        id: uuidv7(),
        nomination_id: row.id,
        at: now,
        actor_id: ctx.actor.id,
        from_status: before.status,
        to_status: change.status,
        reason: change.reason,
        ask_again_on: change.askAgainOn,
      })
      .execute();
    await recordAudit(
      { ...ctx, db: trx },
      { action, entity: 'nomination', entityId: row.id, clientId: row.client_id, before: audited(before), after: audited({ ...before, ...fields }) },
    );
  });
}

/**
 * The addressed partner answers: yes, not now (with a reason and a future date to ask again) or
 * no (with a reason). A partner may change their answer; each answer is kept in the history.
 */
export async function respondToNomination(ctx: ServiceContext, id: string, input: ResponseBody): Promise<NominationDetail> {
  const row = await requireNomination(ctx, id, 'respond');
  if (row.programme_status === 'closed') {
    throw new ConflictError(undefined, `The programme “${row.programme_name}” is closed: it takes no more answers`);
  }
  if (input.answer === 'not_now' && input.askAgainOn && input.askAgainOn <= todayUtc()) {
    throw new ValidationError('askAgainOn', 'must be a date after today');
  }
  await changeStatus(
    ctx,
    row,
    {
      status: ANSWER_STATUS[input.answer],
      reason: input.reason ?? null,
      askAgainOn: input.answer === 'not_now' ? (input.askAgainOn ?? null) : null,
      responded: true,
    },
    'nomination.respond',
  );
  return getNomination(ctx, id);
}

/** The programme lead takes a nomination back; it can be proposed again later. */
export async function withdrawNomination(ctx: ServiceContext, id: string, input: WithdrawBody): Promise<NominationDetail> {
  const row = await requireNomination(ctx, id, 'withdraw');
  await changeStatus(ctx, row, { status: 'withdrawn', reason: input.reason ?? null, askAgainOn: null, responded: false }, 'nomination.withdraw');
  return getNomination(ctx, id);
}

/**
 * Records a reminder for every nomination in the programme that has waited for an answer for
 * at least `days` days and was not reminded in that time. There is no email yet (digests come
 * later): the partner inbox shows the count, and the result says who was reminded.
 */
export async function sendReminders(ctx: ServiceContext, programmeId: string, input: RemindBody): Promise<RemindResult> {
  const programme = await requireProgramme(ctx, programmeId);
  requirePermission(ctx.actor, 'nomination', 'remind');
  assertOpen(programme, 'reminders');
  const now = new Date();
  const at = now.toISOString();
  const reminded: RemindResult['reminded'] = [];
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const candidates = await selectNominations(trx, ctx.actor)
      .where('nominations.programme_id', '=', programmeId)
      .where('nominations.status', 'in', ['proposed', 'deferred'])
      .orderBy('partner.name')
      .orderBy('clients.name')
      .execute();
    const today = todayUtc(now);
    for (const n of candidates.filter((c) => reminderDue(c, now, input.days))) {
      const count = Number(n.reminder_count) + 1;
      await trx.updateTable('nominations').set({ reminder_count: count, last_reminded_at: at }).where('id', '=', n.id).execute();
      await recordAudit(tctx, {
        action: 'nomination.remind',
        entity: 'nomination',
        entityId: n.id,
        clientId: n.client_id,
        changes: { reminderCount: [Number(n.reminder_count), count], lastRemindedAt: [n.last_reminded_at, at] },
      });
      await notifyNominationAwaiting(
        trx,
        { id: n.id, clientId: n.client_id, clientName: n.client_name, partnerId: n.partner_id, reminder: true },
        ctx.actor.id,
      );
      reminded.push({
        nominationId: n.id,
        client: { id: n.client_id, name: n.client_name },
        partner: { id: n.partner_id, name: n.partner_name },
        reminderCount: count,
        waitingSince: waitingSince(n, today) ?? n.updated_at,
      });
    }
  });
  const byPartner = new Map<string, { id: string; name: string; nominations: number }>();
  for (const r of reminded) {
    const entry = byPartner.get(r.partner.id) ?? { ...r.partner, nominations: 0 };
    entry.nominations += 1;
    byPartner.set(r.partner.id, entry);
  }
  return { days: input.days, reminded, partners: [...byPartner.values()] };
}

/**
 * Per-partner participation in a programme. Programme leads and management see every partner
 * (all active partners, so that those who never engaged show too); a partner sees their own row.
 */
export async function getParticipation(ctx: ServiceContext, programmeId: string): Promise<Participation> {
  const { actor, db } = ctx;
  await requireProgramme(ctx, programmeId);
  const scope = requirePermission(actor, 'nomination', 'read');
  const ownOnly = scope !== 'any';
  const nominations = await selectNominations(db, actor).where('nominations.programme_id', '=', programmeId).execute();
  const [nps, commitments] = await Promise.all([
    latestNps(
      ctx,
      nominations.map((n) => n.client_id),
    ),
    commitmentsOf(db, programmeId, ownOnly ? (actor.id ?? '') : undefined),
  ]);
  let partners: ParticipationPartner[];
  if (ownOnly) {
    partners = actor.id ? [{ id: actor.id, name: actor.name }] : [];
  } else {
    const ids = [...new Set([...nominations.map((n) => n.partner_id), ...commitments.keys()])];
    partners = await db
      .selectFrom('users')
      .select(['id', 'name'])
      .where((eb) => eb.or([eb.and([eb('role', '=', 'partner'), eb('active', '=', true)]), ...(ids.length ? [eb('id', 'in', ids)] : [])]))
      .orderBy('name')
      .execute();
  }
  const items = participation(
    partners,
    nominations.map((n) => ({
      partnerId: n.partner_id,
      origin: n.origin,
      status: n.status,
      clientAtRisk: isAtRiskClient({ status: n.client_status, latestNps: nps.get(n.client_id) }),
      clientLost: isLostClient(n.client_status),
    })),
    commitments,
  );
  return { items, flagged: items.filter((r) => r.saidYesPutNothingForward).length };
}
