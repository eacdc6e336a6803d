import { type ExpressionBuilder, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import { decodeCursor, type Page, toPage } from '../db/pagination.js';
import type { ClientTeamRole, Database, ReferralRow } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { loadVisibleClient, scopeFor, scopeSatisfied, visibleClients } from '../http/access.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors.js';
import type { Actor, ServiceContext } from '../server/context.js';
import type { ReferralCreateBody, ReferralListQuery, ReferralUpdateBody, ReferralView } from './problem-schemas.js';

/**
 * Referrals belong to the referrer client: the `referral` policy entry and walls on the referrer
 * decide who reads and changes them. The prospect, when it is a client record, is shown (link and
 * name) only to readers who may see that client; for everyone else both are null, so a referral
 * never reveals a walled client's existence or name.
 */
export function referralAbilities(actor: Actor, teamRole: ClientTeamRole | undefined) {
  const may = (action: 'read' | 'create' | 'update') => {
    const scope = scopeFor(actor.role, 'referral', action);
    return scope !== undefined && scopeSatisfied(scope, teamRole);
  };
  return { read: may('read'), create: may('create'), update: may('update') };
}

/** Restricts a query on `referrals` to those the actor may read (walls and policy on the referrer), in the SQL. */
export function visibleReferrals(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'referrals'>) => {
    if (actor.role === 'system') {
      return eb.lit(true);
    }
    if (actor.id === null) {
      return eb.lit(false);
    }
    const scope = scopeFor(actor.role, 'referral', 'read');
    if (!scope) {
      return eb.lit(false);
    }
    const clientVisible = eb.exists(
      eb
        .selectFrom('clients')
        .select(sql.lit(1).as('one'))
        .whereRef('clients.id', '=', 'referrals.referrer_client_id')
        .where((c) => visibleClients(actor)(c as unknown as ExpressionBuilder<Database, 'clients'>)),
    );
    const onTeam = eb.exists(
      eb
        .selectFrom('client_team')
        .select(sql.lit(1).as('one'))
        .whereRef('client_team.client_id', '=', 'referrals.referrer_client_id')
        .where('client_team.user_id', '=', actor.id),
    );
    return scope === 'any' ? clientVisible : eb.and([clientVisible, onTeam]);
  };
}

function referralQuery(db: Db, actor: Actor) {
  return db
    .selectFrom('referrals')
    .innerJoin('clients as referrer', 'referrer.id', 'referrals.referrer_client_id')
    .leftJoin('contacts', 'contacts.id', 'referrals.referred_by_contact_id')
    .leftJoin('users as recorder', 'recorder.id', 'referrals.recorded_by')
    .leftJoin('clients as prospect', (join) =>
      join.onRef('prospect.id', '=', 'referrals.prospect_client_id').on((eb) =>
        eb.exists(
          eb
            .selectFrom('clients')
            .select(sql.lit(1).as('one'))
            .whereRef('clients.id', '=', 'prospect.id')
            .where((c) => visibleClients(actor)(c as unknown as ExpressionBuilder<Database, 'clients'>)),
        ),
      ),
    )
    .selectAll('referrals')
    .select([
      'referrer.name as referrer_name',
      'contacts.name as contact_name',
      'recorder.name as recorder_name',
      'prospect.id as visible_prospect_id',
      'prospect.name as visible_prospect_name',
    ])
    .select((eb) =>
      eb
        .selectFrom('client_team')
        .select('client_team.team_role')
        .whereRef('client_team.client_id', '=', 'referrals.referrer_client_id')
        .where('client_team.user_id', '=', actor.id ?? '')
        .as('actor_team_role'),
    );
}

type ReferralJoinedRow = Awaited<ReturnType<ReturnType<typeof referralQuery>['executeTakeFirstOrThrow']>>;

function toReferralView(row: ReferralJoinedRow, actor: Actor): ReferralView {
  const hidden = row.prospect_client_id !== null && !row.visible_prospect_id;
  return {
    id: row.id,
    referrer: { id: row.referrer_client_id, name: row.referrer_name },
    referredBy: row.referred_by_contact_id && row.contact_name ? { id: row.referred_by_contact_id, name: row.contact_name } : null,
    prospectClient: row.visible_prospect_id && row.visible_prospect_name ? { id: row.visible_prospect_id, name: row.visible_prospect_name } : null,
    prospectName: hidden ? null : row.prospect_name,
    referredOn: row.referred_on,
    outcome: row.outcome,
    outcomeOn: row.outcome_on,
    notes: row.notes,
    recordedBy: row.recorded_by && row.recorder_name ? { id: row.recorded_by, name: row.recorder_name } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    abilities: { update: referralAbilities(actor, row.actor_team_role ?? undefined).update },
  };
}

async function requireReferral(ctx: ServiceContext, id: string, need: 'read' | 'update' = 'read'): Promise<ReferralJoinedRow> {
  const row = await referralQuery(ctx.db, ctx.actor).where('referrals.id', '=', id).where(visibleReferrals(ctx.actor)).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Referral');
  }
  if (!referralAbilities(ctx.actor, row.actor_team_role ?? undefined)[need]) {
    throw new ForbiddenError();
  }
  return row;
}

/** The referrer client: visible (else 404) and the actor's role may create referrals on it (else 403). */
async function requireCreate(ctx: ServiceContext, clientId: string): Promise<void> {
  const row = await loadVisibleClient(ctx, clientId);
  if (!referralAbilities(ctx.actor, row.team_role ?? undefined).create) {
    throw new ForbiddenError();
  }
}

/** The prospect's name: the visible client's name, or the given name (one of the two is required). */
async function resolveProspect(ctx: ServiceContext, referrerId: string, prospectClientId: string | null, prospectName: string | null): Promise<string> {
  if (prospectClientId) {
    if (prospectClientId === referrerId) {
      throw new ValidationError('prospectClientId', 'cannot be the referrer itself');
    }
    const prospect = await ctx.db
      .selectFrom('clients')
      .select(['clients.id', 'clients.name'])
      .where('clients.id', '=', prospectClientId)
      .where(visibleClients(ctx.actor))
      .executeTakeFirst();
    if (!prospect) {
      throw new ValidationError('prospectClientId', 'is not a client you can see');
    }
    return prospectName ?? prospect.name;
  }
  if (!prospectName) {
    throw new ValidationError('prospectName', 'is required when the prospect is not a client record');
  }
  return prospectName;
}

async function assertContactOf(db: Db, clientId: string, contactId: string) {
  const row = await db.selectFrom('contacts').select('id').where('id', '=', contactId).where('client_id', '=', clientId).executeTakeFirst();
  if (!row) {
    throw new ValidationError('referredByContactId', 'is not a contact of the referring client');
  }
}

function assertOutcomeOn(referredOn: string, outcomeOn: string | null) {
  if (outcomeOn && outcomeOn < referredOn) {
    throw new ValidationError('outcomeOn', 'cannot be before the referral');
  }
}

function audited(row: ReferralRow) {
  return {
    referredByContactId: row.referred_by_contact_id,
    prospectClientId: row.prospect_client_id,
    prospectName: row.prospect_name,
    referredOn: row.referred_on,
    outcome: row.outcome,
    outcomeOn: row.outcome_on,
    notes: row.notes,
  };
}

export async function getReferral(ctx: ServiceContext, id: string): Promise<ReferralView> {
  return toReferralView(await requireReferral(ctx, id), ctx.actor);
}

export async function createReferral(ctx: ServiceContext, input: ReferralCreateBody): Promise<ReferralView> {
  await requireCreate(ctx, input.referrerClientId);
  if (input.referredByContactId) {
    await assertContactOf(ctx.db, input.referrerClientId, input.referredByContactId);
  }
  const prospectName = await resolveProspect(ctx, input.referrerClientId, input.prospectClientId ?? null, input.prospectName ?? null);
  assertOutcomeOn(input.referredOn, input.outcomeOn ?? null);
  const now = nowIso();
  const row: ReferralRow = {
    id: uuidv7(),
    referrer_client_id: input.referrerClientId,
    referred_by_contact_id: input.referredByContactId ?? null,
    prospect_client_id: input.prospectClientId ?? null,
    prospect_name: prospectName,
    referred_on: input.referredOn,
    outcome: input.outcome,
    outcome_on: input.outcomeOn ?? null,
    notes: input.notes ?? null,
    recorded_by: ctx.actor.id,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('referrals').values(row).execute();
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'referral.create', entity: 'referral', entityId: row.id, clientId: row.referrer_client_id, after: audited(row) },
    );
  });
  return getReferral(ctx, row.id);
}

export async function updateReferral(ctx: ServiceContext, id: string, input: ReferralUpdateBody): Promise<ReferralView> {
  const current = await requireReferral(ctx, id, 'update');
  const referrerId = current.referrer_client_id;
  if (input.referredByContactId) {
    await assertContactOf(ctx.db, referrerId, input.referredByContactId);
  }
  const prospectClientId = input.prospectClientId !== undefined ? input.prospectClientId : current.prospect_client_id;
  let prospectName = current.prospect_name;
  if (input.prospectClientId !== undefined || input.prospectName !== undefined) {
    // Changing the prospect: a client (visible) or a name; keeping a hidden prospect keeps its stored name.
    const changesClient = input.prospectClientId !== undefined && input.prospectClientId !== current.prospect_client_id;
    const name = input.prospectName !== undefined ? input.prospectName : changesClient ? null : current.prospect_name;
    prospectName =
      changesClient || input.prospectName !== undefined ? await resolveProspect(ctx, referrerId, prospectClientId ?? null, name ?? null) : prospectName;
  }
  const referredOn = input.referredOn ?? current.referred_on;
  const outcomeOn = input.outcomeOn !== undefined ? input.outcomeOn : current.outcome_on;
  assertOutcomeOn(referredOn, outcomeOn);
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await trx
      .updateTable('referrals')
      .set({
        ...(input.referredByContactId !== undefined && { referred_by_contact_id: input.referredByContactId }),
        prospect_client_id: prospectClientId ?? null,
        prospect_name: prospectName,
        referred_on: referredOn,
        ...(input.outcome !== undefined && { outcome: input.outcome }),
        outcome_on: outcomeOn ?? null,
        ...(input.notes !== undefined && { notes: input.notes }),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    const after = await trx.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'referral.update', entity: 'referral', entityId: id, clientId: referrerId, before: audited(before), after: audited(after) },
    );
  });
  return getReferral(ctx, id);
}

export async function deleteReferral(ctx: ServiceContext, id: string): Promise<void> {
  const current = await requireReferral(ctx, id, 'update');
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await trx.deleteFrom('referrals').where('id', '=', id).execute();
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'referral.delete', entity: 'referral', entityId: id, clientId: current.referrer_client_id, before: audited(before) },
    );
  });
}

export async function listReferrals(ctx: ServiceContext, query: ReferralListQuery): Promise<Page<ReferralView>> {
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after && typeof after.value !== 'string') {
    throw new ValidationError('cursor', 'is not a cursor this list returned');
  }
  const rows = await referralQuery(ctx.db, ctx.actor)
    .where((eb) => visibleReferrals(ctx.actor)(eb as unknown as ExpressionBuilder<Database, 'referrals'>))
    .$if(!!query.referrerClientId, (q) => q.where('referrals.referrer_client_id', '=', query.referrerClientId ?? ''))
    // Filtering by a prospect the reader may not see must not reveal its referrals.
    .$if(!!query.prospectClientId, (q) => q.where('referrals.prospect_client_id', '=', query.prospectClientId ?? '').where('prospect.id', 'is not', null))
    .$if(!!query.outcome, (q) => q.where('referrals.outcome', '=', query.outcome ?? 'pending'))
    .$if(!!after, (q) =>
      q.where((eb) =>
        eb.or([
          eb('referrals.referred_on', '<', String(after?.value)),
          eb.and([eb('referrals.referred_on', '=', String(after?.value)), eb('referrals.id', '<', after?.id ?? '')]),
        ]),
      ),
    )
    .orderBy('referrals.referred_on', 'desc')
    .orderBy('referrals.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return toPage(
    rows,
    query.limit,
    (r) => r.referred_on,
    (r) => toReferralView(r, ctx.actor),
  );
}
