import { type ExpressionBuilder, sql } from 'kysely';
import type { ClientTeamRole, Confidentiality, Database, ListeningSessionRow } from '../db/schema.js';
import { type Action, scopeFor, scopeSatisfied, visibleClients } from '../http/access.js';
import { ForbiddenError, NotFoundError } from '../http/errors.js';
import type { Actor, ServiceContext } from '../server/context.js';

export type SessionAction = Action<'session'>;

/** What one actor may know and do about one session, decided once and passed to mappers. */
export interface SessionAccess {
  session: ListeningSessionRow;
  teamRole: ClientTeamRole | undefined;
  isInterviewer: boolean;
  /**
   * Programme leads and the session's interviewer alone read `programme_only` remarks and the
   * speaker of `non_attributable` ones (PRODUCT.md, access model).
   */
  seesConfidential: boolean;
}

/** Whether the actor reads everything said in confidence in this session. */
export function seesConfidential(actor: Actor, interviewerId: string): boolean {
  return actor.role === 'programme_lead' || actor.role === 'system' || (actor.id !== null && actor.id === interviewerId);
}

/**
 * Which remarks an actor may see, as data the mappers and queries share: `full` shows every
 * remark with its speaker; `shareable` hides programme-only remarks and the speaker of
 * non-attributable ones.
 */
export type RemarkVisibility = 'full' | 'shareable';

export function remarkVisibility(access: Pick<SessionAccess, 'seesConfidential'>): RemarkVisibility {
  return access.seesConfidential ? 'full' : 'shareable';
}

/** The confidentiality levels a visibility may read: used inside SQL, never to filter results afterwards. */
export function readableConfidentiality(visibility: RemarkVisibility): Confidentiality[] {
  return visibility === 'full' ? ['attributable', 'non_attributable', 'programme_only'] : ['attributable', 'non_attributable'];
}

/** Whether the speaker of a remark may be shown to a reader with this visibility. */
export function showsSpeaker(visibility: RemarkVisibility, confidentiality: Confidentiality): boolean {
  return visibility === 'full' || confidentiality === 'attributable';
}

/**
 * Restricts a query on `listening_sessions` to the sessions the actor may read: the client is
 * visible to them (walls included), and their role reaches it: firm-wide, through the client's
 * relationship team, or because they interview it. Applied inside list and count queries.
 */
export function visibleSessions(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'listening_sessions'>) => {
    if (actor.role === 'system') {
      return eb.lit(true);
    }
    const scope = scopeFor(actor.role, 'session', 'read');
    if (!scope || actor.id === null) {
      return eb.lit(false);
    }
    const clientVisible = eb.exists(
      eb
        .selectFrom('clients')
        .select(sql.lit(1).as('one'))
        .whereRef('clients.id', '=', 'listening_sessions.client_id')
        .where((c) => visibleClients(actor)(c as unknown as ExpressionBuilder<Database, 'clients'>)),
    );
    const assigned = eb('listening_sessions.interviewer_id', '=', actor.id);
    const actorId = actor.id;
    // "On the client's team, or the interviewer" as a set of session ids: the database then reads
    // only the actor's clients' sessions through the indexes, instead of testing every session.
    const reachable = (partnersOnly: boolean) =>
      eb(
        'listening_sessions.id',
        'in',
        eb
          .selectFrom('client_team')
          .innerJoin('listening_sessions as through_team', 'through_team.client_id', 'client_team.client_id')
          .select('through_team.id')
          .where('client_team.user_id', '=', actorId)
          .$if(partnersOnly, (q) => q.where('client_team.team_role', '=', 'relationship_partner'))
          .unionAll(eb.selectFrom('listening_sessions as interviewed').select('interviewed.id').where('interviewed.interviewer_id', '=', actorId)),
      );
    switch (scope) {
      case 'any':
        return clientVisible;
      case 'client_team':
        return eb.and([clientVisible, reachable(false)]);
      case 'relationship_partner':
        return eb.and([clientVisible, reachable(true)]);
      case 'assigned':
        return eb.and([clientVisible, assigned]);
    }
  };
}

/**
 * Loads a session for an action, or fails the way the access model says: a session the actor
 * may not read does not exist for them (404); one they may read but not change is a 403.
 * Every session use-case starts here.
 */
export async function requireSessionAccess(ctx: ServiceContext, sessionId: string, action: SessionAction): Promise<SessionAccess> {
  const { actor } = ctx;
  const row = await ctx.db
    .selectFrom('listening_sessions')
    .selectAll('listening_sessions')
    .select((eb) =>
      eb
        .selectFrom('client_team')
        .select('client_team.team_role')
        .whereRef('client_team.client_id', '=', 'listening_sessions.client_id')
        .where('client_team.user_id', '=', actor.id ?? '')
        .as('actor_team_role'),
    )
    .where('listening_sessions.id', '=', sessionId)
    .where(visibleSessions(actor))
    .executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Session');
  }
  const { actor_team_role, ...session } = row;
  const teamRole = actor_team_role ?? undefined;
  const isInterviewer = actor.id !== null && session.interviewer_id === actor.id;
  const scope = scopeFor(actor.role, 'session', action);
  if (!scope || !scopeSatisfied(scope, teamRole, isInterviewer)) {
    throw new ForbiddenError();
  }
  return { session, teamRole, isInterviewer, seesConfidential: seesConfidential(actor, session.interviewer_id) };
}

/** What the actor may do on a session, from the policy table, for the web app's buttons. */
export function sessionAbilities(actor: Actor, access: Pick<SessionAccess, 'teamRole' | 'isInterviewer'>) {
  const may = (action: SessionAction) => {
    const scope = scopeFor(actor.role, 'session', action);
    return scope !== undefined && scopeSatisfied(scope, access.teamRole, access.isInterviewer);
  };
  return {
    update: may('update'),
    capture: may('capture'),
    cancel: may('cancel'),
    review: may('review'),
    share: may('share'),
    overrideIndependence: may('override_independence'),
  };
}
