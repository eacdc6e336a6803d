import { type ExpressionBuilder, sql } from 'kysely';
import type { ClientTeamRole, Database, Role } from '../db/schema.js';
import type { Actor, ServiceContext } from '../server/context.js';
import { ForbiddenError, NotFoundError } from './errors.js';

/**
 * How far a role's permission reaches:
 * - `any`: every record the actor can see (walls still apply);
 * - `client_team`: only clients on whose relationship team the actor is;
 * - `relationship_partner`: only clients for which the actor is a relationship partner;
 * - `assigned`: only listening sessions the actor is the interviewer of (and their clients).
 */
export type Scope = 'any' | 'client_team' | 'relationship_partner' | 'assigned';

type Grants = Partial<Record<Role, Scope>>;

const INTERNAL_READERS: Grants = {
  admin: 'any',
  programme_lead: 'any',
  management: 'any',
  partner: 'any',
  member: 'any',
};

/**
 * The access policy as data: resource → action → role → scope. Anything not listed is refused.
 * The test matrix (access.test.ts and the API matrix) iterates this table, so a change here is
 * a change of the product's rules, reviewed as such. `external` users see only the clients and
 * contacts of the listening sessions assigned to them (`visibleClients` narrows what `any` means
 * for them). A session's interviewer may read and capture it whatever their role (`assigned`).
 */
export const POLICY = {
  user: {
    read: INTERNAL_READERS,
    create: { admin: 'any' },
    update: { admin: 'any' },
    reset_password: { admin: 'any' },
  },
  team: {
    read: INTERNAL_READERS,
    create: { admin: 'any' },
    update: { admin: 'any' },
    delete: { admin: 'any' },
  },
  client: {
    read: { ...INTERNAL_READERS, external: 'assigned' },
    create: { admin: 'any', programme_lead: 'any', partner: 'any' },
    update: { admin: 'any', programme_lead: 'any', partner: 'client_team' },
    delete: { admin: 'any' },
  },
  contact: {
    read: { ...INTERNAL_READERS, external: 'assigned' },
    create: { admin: 'any', programme_lead: 'any', partner: 'client_team', member: 'client_team' },
    update: { admin: 'any', programme_lead: 'any', partner: 'client_team', member: 'client_team' },
    delete: { admin: 'any', partner: 'client_team' },
  },
  matter: {
    read: INTERNAL_READERS,
    create: { admin: 'any', partner: 'client_team' },
    update: { admin: 'any', partner: 'client_team' },
    delete: { admin: 'any', partner: 'client_team' },
  },
  client_team: {
    read: INTERNAL_READERS,
    update: { admin: 'any', programme_lead: 'any', partner: 'relationship_partner' },
  },
  wall: {
    read: { admin: 'any' },
    update: { admin: 'any' },
  },
  audit: {
    read: { admin: 'any' },
  },
  programme: {
    read: { admin: 'any', programme_lead: 'any', management: 'any', partner: 'any', member: 'any' },
    create: { programme_lead: 'any' },
    update: { programme_lead: 'any' },
    /** A partner's "yes" or "no" to taking part in the programme. */
    commit: { partner: 'any' },
  },
  nomination: {
    read: { programme_lead: 'any', management: 'any', partner: 'relationship_partner' },
    propose: { programme_lead: 'any' },
    volunteer: { partner: 'relationship_partner' },
    respond: { partner: 'relationship_partner' },
    remind: { programme_lead: 'any' },
    withdraw: { programme_lead: 'any' },
  },
  session: {
    read: { programme_lead: 'any', management: 'any', partner: 'client_team', member: 'client_team', external: 'assigned', admin: 'assigned' },
    create: { programme_lead: 'any', partner: 'client_team' },
    update: { programme_lead: 'any', partner: 'client_team', member: 'assigned', external: 'assigned', admin: 'assigned' },
    capture: { programme_lead: 'any', partner: 'assigned', member: 'assigned', external: 'assigned', management: 'assigned', admin: 'assigned' },
    cancel: { programme_lead: 'any', partner: 'client_team' },
    /** Approving the summary before it goes to the client. */
    review: { programme_lead: 'any' },
    share: { programme_lead: 'any', partner: 'relationship_partner' },
    /** Letting an interviewer from the client's own relationship team run the session. */
    override_independence: { programme_lead: 'any' },
  },
  theme: {
    read: { admin: 'any', programme_lead: 'any', management: 'any', partner: 'any', member: 'any' },
    update: { admin: 'any', programme_lead: 'any' },
  },
  insight: {
    read: { programme_lead: 'any', management: 'any', partner: 'client_team', member: 'client_team' },
    create: { programme_lead: 'any', partner: 'client_team', member: 'client_team' },
    /** Edit or delete: programme leads, the client's partners; whoever recorded it (checked in the service). */
    update: { programme_lead: 'any', partner: 'client_team' },
  },
  action: {
    /** Owners always read their own actions (checked in the service). */
    read: { programme_lead: 'any', management: 'any', partner: 'client_team', member: 'client_team' },
    create: { programme_lead: 'any', partner: 'client_team', member: 'client_team' },
    /** Owners update their own actions whatever their role (checked in the service). */
    update: { programme_lead: 'any', partner: 'relationship_partner' },
    comment: { programme_lead: 'any', partner: 'client_team', member: 'client_team' },
  },
  check_in: {
    read: { programme_lead: 'any', management: 'any', partner: 'client_team', member: 'client_team' },
    create: { programme_lead: 'any', partner: 'client_team', member: 'client_team' },
    /** Edit or delete: programme leads, the client's partners; whoever logged it (checked in the service). */
    update: { programme_lead: 'any', partner: 'client_team' },
  },
  /** Asking the client whether a concern is fixed: whoever may log check-ins for the client. */
  recovery_check: {
    read: { programme_lead: 'any', management: 'any', partner: 'client_team', member: 'client_team' },
    answer: { programme_lead: 'any', partner: 'client_team', member: 'client_team' },
  },
  cadence: {
    read: { programme_lead: 'any', management: 'any', partner: 'client_team', member: 'client_team' },
    update: { programme_lead: 'any', partner: 'relationship_partner' },
  },
  problem: {
    read: { programme_lead: 'any', management: 'any', partner: 'client_team', member: 'client_team' },
    create: { programme_lead: 'any', partner: 'client_team', member: 'client_team' },
    /** Owners update their own problems whatever their role (checked in the service). */
    update: { programme_lead: 'any', partner: 'client_team' },
  },
  referral: {
    read: { programme_lead: 'any', management: 'any', partner: 'client_team', member: 'client_team' },
    create: { programme_lead: 'any', partner: 'client_team', member: 'client_team' },
    update: { programme_lead: 'any', partner: 'client_team' },
  },
  /** Client preferences (and the client brief built on them): anyone on the team records what they hear. */
  preference: {
    read: { programme_lead: 'any', management: 'any', partner: 'client_team', member: 'client_team' },
    create: { programme_lead: 'any', partner: 'client_team', member: 'client_team' },
    update: { programme_lead: 'any', partner: 'client_team', member: 'client_team' },
  },
  /** Outgoing email (digests): what was sent, what is retrying, what failed for good. */
  email_outbox: {
    read: { admin: 'any' },
  },
  /**
   * Firm analytics (issue 6). Every figure counts only what the reader may see: partners and
   * members get the figures of their own clients' records, computed through the same visibility
   * rules as the lists (checked in the analytics services). Admins are left out on purpose: they
   * read no listening content (PRODUCT.md), so every figure would be an empty zero that looks like
   * a real one; they keep the health weights (settings).
   */
  analytics: {
    read: { programme_lead: 'any', management: 'any', partner: 'client_team', member: 'client_team' },
  },
  setting: {
    read: { admin: 'any', programme_lead: 'any', management: 'any' },
    update: { admin: 'any' },
  },
  guide: {
    read: { admin: 'any', programme_lead: 'any', management: 'any', partner: 'any', member: 'any', external: 'any' },
    update: { admin: 'any', programme_lead: 'any' },
  },
} as const satisfies Record<string, Record<string, Grants>>;

export type Resource = keyof typeof POLICY;
export type Action<R extends Resource> = keyof (typeof POLICY)[R] & string;

/** The scope a role has for an action, or undefined when the role may not do it at all. */
export function scopeFor<R extends Resource>(role: Actor['role'], resource: R, action: Action<R>): Scope | undefined {
  if (role === 'system') {
    return 'any';
  }
  const grants = POLICY[resource][action] as Grants;
  return grants[role];
}

/**
 * Whether a scope is met, given the actor's place (if any) on the client's relationship team
 * and whether the record is assigned to them (they interview the session). Partners and
 * members on a client's team also reach sessions they interview: `assigned` widens, never narrows.
 */
export function scopeSatisfied(scope: Scope, teamRole: ClientTeamRole | undefined, assigned = false): boolean {
  switch (scope) {
    case 'any':
      return true;
    case 'client_team':
      return teamRole !== undefined || assigned;
    case 'relationship_partner':
      return teamRole === 'relationship_partner';
    case 'assigned':
      return assigned;
  }
}

/** Throws 403 unless the actor's role may do the action somewhere (for firm-wide resources). */
export function requirePermission<R extends Resource>(actor: Actor, resource: R, action: Action<R>): Scope {
  const scope = scopeFor(actor.role, resource, action);
  if (!scope) {
    throw new ForbiddenError();
  }
  return scope;
}

/**
 * What an actor may do on one client's records, from the policy table: the web app shows only
 * the buttons that will work, without keeping its own copy of the rules.
 */
export function clientAbilities(role: Actor['role'], teamRole: ClientTeamRole | undefined) {
  const may = <R extends Resource>(resource: R, action: Action<R>) => {
    const scope = scopeFor(role, resource, action);
    return scope !== undefined && scopeSatisfied(scope, teamRole);
  };
  return {
    readMatters: may('matter', 'read'),
    readTeam: may('client_team', 'read'),
    edit: may('client', 'update'),
    delete: may('client', 'delete'),
    editContacts: may('contact', 'create') && may('contact', 'update'),
    deleteContacts: may('contact', 'delete'),
    editMatters: may('matter', 'create') && may('matter', 'update') && may('matter', 'delete'),
    editTeam: may('client_team', 'update'),
    readPreferences: may('preference', 'read'),
    editPreferences: may('preference', 'create') && may('preference', 'update'),
  };
}

/** What an actor may do firm-wide, from the policy table (for the web app's navigation and buttons). */
export function firmAbilities(role: Actor['role']) {
  return {
    createClients: scopeFor(role, 'client', 'create') !== undefined,
    manageUsers: scopeFor(role, 'user', 'update') !== undefined,
    manageTeams: scopeFor(role, 'team', 'update') !== undefined,
    manageWalls: scopeFor(role, 'wall', 'update') !== undefined,
    readAudit: scopeFor(role, 'audit', 'read') !== undefined,
    readProgrammes: scopeFor(role, 'programme', 'read') !== undefined,
    manageProgrammes: scopeFor(role, 'programme', 'update') !== undefined,
    answerNominations: scopeFor(role, 'nomination', 'respond') !== undefined,
    readSessions: scopeFor(role, 'session', 'read') !== undefined,
    planSessions: scopeFor(role, 'session', 'create') !== undefined,
    manageGuides: scopeFor(role, 'guide', 'update') !== undefined,
    manageThemes: scopeFor(role, 'theme', 'update') !== undefined,
    manageSettings: scopeFor(role, 'setting', 'update') !== undefined,
    readInsights: scopeFor(role, 'insight', 'read') !== undefined,
    /** Everyone inside the firm may own actions, so everyone has a "my actions" inbox. */
    readActions: role !== 'external',
    readRelationships: scopeFor(role, 'check_in', 'read') !== undefined,
    readPreferences: scopeFor(role, 'preference', 'read') !== undefined,
    readAnalytics: scopeFor(role, 'analytics', 'read') !== undefined,
  };
}

/**
 * Restricts a query on `clients` to the rows the actor may know exist: every client that is
 * not walled, plus walled clients the actor is listed on. Applied inside every query that
 * returns client data, so lists, counts and search never see what the actor cannot.
 */
export function visibleClients(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'clients'>) => {
    if (actor.role === 'system') {
      return eb.lit(true);
    }
    const scope = scopeFor(actor.role, 'client', 'read');
    if (!scope || actor.id === null) {
      return eb.lit(false);
    }
    const open = eb.or([
      eb('clients.walled', '=', false),
      eb.exists(
        eb
          .selectFrom('client_wall_members')
          .select(sql.lit(1).as('one'))
          .whereRef('client_wall_members.client_id', '=', 'clients.id')
          .where('client_wall_members.user_id', '=', actor.id),
      ),
    ]);
    if (scope !== 'assigned') {
      return open;
    }
    return eb.and([
      open,
      eb.exists(
        eb
          .selectFrom('listening_sessions')
          .select(sql.lit(1).as('one'))
          .whereRef('listening_sessions.client_id', '=', 'clients.id')
          .where('listening_sessions.interviewer_id', '=', actor.id)
          .where('listening_sessions.status', '!=', 'cancelled'),
      ),
    ]);
  };
}

/**
 * One client as access decisions need it, with the actor's place on its relationship team; a
 * client the actor may not see does not exist for them (404, never 403, walls included).
 */
export async function loadVisibleClient(ctx: ServiceContext, clientId: string) {
  const row = await ctx.db
    .selectFrom('clients')
    .select(['clients.id', 'clients.name', 'clients.walled', 'clients.is_key_client'])
    .select((eb) =>
      eb
        .selectFrom('client_team')
        .select('client_team.team_role')
        .whereRef('client_team.client_id', '=', 'clients.id')
        .where('client_team.user_id', '=', ctx.actor.id ?? '')
        .as('team_role'),
    )
    .where('clients.id', '=', clientId)
    .where(visibleClients(ctx.actor))
    .executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Client');
  }
  return row;
}

/**
 * Loads what access decisions about one client need, and enforces the rule that a client the
 * actor may not see does not exist for them (404, never 403). Then checks the action's scope.
 */
export async function requireClientAccess<R extends 'client' | 'contact' | 'matter' | 'client_team'>(
  ctx: ServiceContext,
  clientId: string,
  resource: R,
  action: Action<R>,
): Promise<{ teamRole: ClientTeamRole | undefined }> {
  const { actor } = ctx;
  const row = await loadVisibleClient(ctx, clientId);
  const teamRole = row.team_role ?? undefined;
  const scope = scopeFor(actor.role, resource, action);
  // For `assigned` readers (externals) visibleClients has already found the assignment.
  if (!scope || !scopeSatisfied(scope, teamRole, scope === 'assigned')) {
    throw new ForbiddenError();
  }
  return { teamRole };
}
