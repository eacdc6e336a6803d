/**
 * Test factories for listening sessions, built through the services so every invariant holds
 * (access, independence, guide versions, audit). Not part of the build (only tests
 * import it). Keep the signatures stable: other suites call them.
 */
import { createClient } from '../clients/clients.js';
import { createContact } from '../clients/contacts.js';
import type { ClientDetail, Contact } from '../clients/schemas.js';
import { putTeam } from '../clients/team.js';
import type { ClientStatus, Confidentiality, SessionStatus } from '../db/schema.js';
import type { ServiceContext } from '../server/context.js';
import { createRemark, putAnswer, putScores } from './capture.js';
import type { ScoresPutBody, SessionCreateInput, SessionDetail } from './session-schemas.js';
import { createSession, getSession, transitionSession, updateSession } from './sessions.js';

let counter = 0;

export interface ClientWithTeamOptions {
  name?: string;
  status?: ClientStatus;
  isKeyClient?: boolean;
  walled?: boolean;
  /** Listed on the wall besides the creating actor (for a walled client). */
  wallMemberIds?: string[];
  partnerIds?: string[];
  memberIds?: string[];
  /** Names of contacts to create; each gets an email (name-based) so invites list them. Default: one contact. */
  contacts?: string[];
}

/**
 * A client with its relationship team (partners and members) and contacts. Use a context that
 * may create clients and edit teams (e.g. `systemContext(db)`).
 */
export async function buildClientWithTeam(ctx: ServiceContext, opts: ClientWithTeamOptions = {}): Promise<{ client: ClientDetail; contacts: Contact[] }> {
  counter += 1;
  const client = await createClient(ctx, {
    name: opts.name ?? `Listening Client ${counter} ${Date.now()}`,
    status: opts.status ?? 'active',
    isKeyClient: opts.isKeyClient ?? false,
    competitors: [],
    walled: opts.walled ?? false,
    wallMemberIds: opts.walled ? (opts.wallMemberIds ?? []) : undefined,
  });
  const members = [
    ...(opts.partnerIds ?? []).map((userId) => ({ userId, teamRole: 'relationship_partner' as const })),
    ...(opts.memberIds ?? []).map((userId) => ({ userId, teamRole: 'member' as const })),
  ];
  if (members.length > 0) {
    await putTeam(ctx, client.id, { members });
  }
  const contacts: Contact[] = [];
  for (const name of opts.contacts ?? ['Casey Contact']) {
    const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${counter}@client.test`;
    contacts.push(await createContact(ctx, client.id, { name, email, isDecisionMaker: false, jobTitle: 'General Counsel' }));
  }
  return { client, contacts };
}

export type SessionFactoryInput = Pick<SessionCreateInput, 'clientId' | 'interviewerId'> & Partial<SessionCreateInput>;

/** A planned session (video, 60 minutes, default guide) with sensible defaults; any field can be overridden. */
export function buildSession(ctx: ServiceContext, input: SessionFactoryInput): Promise<SessionDetail> {
  return createSession(ctx, {
    objective: 'Hear how the relationship is going',
    expectations: 'A candid conversation; not a pitch and not a complaint hearing',
    format: 'video',
    videoPlatform: 'Teams',
    videoLink: 'https://teams.example.com/meet/123',
    durationMinutes: 60,
    ...input,
  });
}

/** The default start time for sessions the factories schedule. */
export const FACTORY_STARTS_AT = '2026-03-02T10:00:00.000Z';

/**
 * Moves a session forward along planned → scheduled → completed (setting a start time when it
 * has none). Summary statuses are the summaries module's to set.
 */
export async function advanceSession(ctx: ServiceContext, sessionId: string, to: 'scheduled' | 'completed'): Promise<SessionDetail> {
  const order: SessionStatus[] = ['planned', 'scheduled', 'completed'];
  let session = await getSession(ctx, sessionId);
  while (order.indexOf(session.status) < order.indexOf(to)) {
    const next = order[order.indexOf(session.status) + 1] as SessionStatus;
    if (next === 'scheduled' && !session.startsAt) {
      session = await updateSession(ctx, sessionId, { startsAt: FACTORY_STARTS_AT });
    }
    session = await transitionSession(ctx, sessionId, { status: next });
  }
  return session;
}

export interface CompletedSessionInput extends SessionFactoryInput {
  /** Remarks to capture, e.g. one of each confidentiality. */
  remarks?: { text: string; confidentiality: Confidentiality; speakerContactId?: string | null; theme?: string | null }[];
  /** Notes per guide question key (default guide keys: how_going, what_works, one_thing, value, …). */
  answers?: Record<string, string>;
  scores?: ScoresPutBody;
}

/** A completed session with captured notes, scores and remarks: what a summary is built from. */
export async function buildCompletedSession(ctx: ServiceContext, input: CompletedSessionInput): Promise<SessionDetail> {
  const { remarks = [], answers = {}, scores, ...plan } = input;
  const planned = await buildSession(ctx, { startsAt: FACTORY_STARTS_AT, ...plan });
  await advanceSession(ctx, planned.id, 'completed');
  for (const [questionKey, notes] of Object.entries(answers)) {
    await putAnswer(ctx, planned.id, questionKey, { notes, baseVersion: 0 });
  }
  if (scores) {
    await putScores(ctx, planned.id, scores);
  }
  for (const remark of remarks) {
    await createRemark(ctx, planned.id, remark);
  }
  return getSession(ctx, planned.id);
}

/** One remark of each confidentiality, with a speaker: the material confidentiality tests check. */
export function remarksOfEachKind(speakerContactId: string) {
  return [
    { text: 'The team is responsive and knows our business.', confidentiality: 'attributable' as const, speakerContactId, theme: 'responsiveness' },
    { text: 'Invoices arrive late and surprise our finance team.', confidentiality: 'non_attributable' as const, speakerContactId, theme: 'billing' },
    { text: 'We are quietly talking to another firm for the next deal.', confidentiality: 'programme_only' as const, speakerContactId, theme: 'risk' },
  ];
}
