import { type ExpressionBuilder, sql } from 'kysely';
import type { ClientTeamRole, Database, Role } from '../db/schema.js';
import type { Actor, ServiceContext } from '../server/context.js';
import { ForbiddenError, NotFoundError } from './errors.js';

/**
 * How far a role's permission reaches:
 * - `any`: every record the actor can see (walls still apply);
 * - `client_team`: only clients on whose relationship team the actor is;
 * - `relationship_partner`: only clients for which the actor is a relationship partner.
 */
export type Scope = 'any' | 'client_team' | 'relationship_partner';

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
 * a change of the product's rules, reviewed as such. `external` users read no clients yet:
 * listening sessions (a later issue) will grant them the clients of the sessions assigned to them.
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
    read: INTERNAL_READERS,
    create: { admin: 'any', programme_lead: 'any', partner: 'any' },
    update: { admin: 'any', programme_lead: 'any', partner: 'client_team' },
    delete: { admin: 'any' },
  },
  contact: {
    read: INTERNAL_READERS,
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

/** Whether a scope is met, given the actor's place (if any) on the client's relationship team. */
export function scopeSatisfied(scope: Scope, teamRole: ClientTeamRole | undefined): boolean {
  switch (scope) {
    case 'any':
      return true;
    case 'client_team':
      return teamRole !== undefined;
    case 'relationship_partner':
      return teamRole === 'relationship_partner';
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
    edit: may('client', 'update'),
    delete: may('client', 'delete'),
    editContacts: may('contact', 'create') && may('contact', 'update'),
    deleteContacts: may('contact', 'delete'),
    editMatters: may('matter', 'create') && may('matter', 'update') && may('matter', 'delete'),
    editTeam: may('client_team', 'update'),
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
    if (!scopeFor(actor.role, 'client', 'read') || actor.id === null) {
      return eb.lit(false);
    }
    return eb.or([
      eb('clients.walled', '=', false),
      eb.exists(
        eb
          .selectFrom('client_wall_members')
          .select(sql.lit(1).as('one'))
          .whereRef('client_wall_members.client_id', '=', 'clients.id')
          .where('client_wall_members.user_id', '=', actor.id),
      ),
    ]);
  };
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
  const row = await ctx.db
    .selectFrom('clients')
    .select('clients.id')
    .select((eb) =>
      eb
        .selectFrom('client_team')
        .select('client_team.team_role')
        .whereRef('client_team.client_id', '=', 'clients.id')
        .where('client_team.user_id', '=', actor.id ?? '')
        .as('team_role'),
    )
    .where('clients.id', '=', clientId)
    .where(visibleClients(actor))
    .executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Client');
  }
  const teamRole = row.team_role ?? undefined;
  const scope = scopeFor(actor.role, resource, action);
  if (!scope || !scopeSatisfied(scope, teamRole)) {
    throw new ForbiddenError();
  }
  return { teamRole };
}
