import type { ClientStatus, SessionStatus } from '../db/schema.js';
import { HELD_STATUSES } from './session-states.js';

/**
 * Live progress of a listening programme against its three targets, as pure functions over
 * rows the service has already filtered to what the viewer may see.
 */

/** Client statuses that make a client "at risk" by themselves: the relationship has faded or ended. */
export const AT_RISK_CLIENT_STATUSES: readonly ClientStatus[] = ['lapsed', 'lost', 'pitch_lost'];

/** Client statuses that count as "lost" in the participation table: the firm lost the client or the pitch. */
export const LOST_CLIENT_STATUSES: readonly ClientStatus[] = ['lost', 'pitch_lost'];

/** The highest NPS answer (0–10) that makes a client a detractor, i.e. unhappy. */
export const UNHAPPY_NPS_MAX = 6;

/**
 * THE definition of an at-risk client, used by the programme's at-risk target and by the
 * participation table (whether a partner put forward unhappy or lost clients):
 * a client is at risk when its status is lapsed, lost or pitch_lost, OR when its latest known
 * NPS is 0–6 (a detractor). The latest known NPS is the `nps` recorded on the client's most
 * recent held session (completed or later, in any programme) that recorded one, most recent
 * by completion time, then start time. Only sessions the viewer may read are consulted.
 * Without the at-risk share, what the firm hears comes from a positively biased sample.
 */
export const AT_RISK_DEFINITION =
  'A client is at risk when its status is lapsed, lost or pitch_lost, or when its latest known NPS is 0–6 (a detractor). ' +
  'The latest known NPS is the one recorded on its most recent held session (completed or later, in any programme) that recorded an NPS, among the sessions you may read.';

export function isAtRiskClient(client: { status: ClientStatus; latestNps: number | null | undefined }): boolean {
  if (AT_RISK_CLIENT_STATUSES.includes(client.status)) {
    return true;
  }
  return client.latestNps !== null && client.latestNps !== undefined && client.latestNps >= 0 && client.latestNps <= UNHAPPY_NPS_MAX;
}

export function isLostClient(status: ClientStatus): boolean {
  return LOST_CLIENT_STATUSES.includes(status);
}

export function isHeld(status: SessionStatus): boolean {
  return HELD_STATUSES.includes(status);
}

/** A held session with an NPS, as needed to find a client's latest known NPS. */
export interface NpsReading {
  clientId: string;
  nps: number;
  completedAt: string | null;
  startsAt: string | null;
  id: string;
}

/** The latest known NPS of each client, from its held sessions that recorded one (see AT_RISK_DEFINITION). */
export function latestNpsByClient(readings: readonly NpsReading[]): Map<string, number> {
  const key = (r: NpsReading) => `${r.completedAt ?? ''}|${r.startsAt ?? ''}|${r.id}`;
  const latest = new Map<string, NpsReading>();
  for (const r of readings) {
    const current = latest.get(r.clientId);
    if (!current || key(r) > key(current)) {
      latest.set(r.clientId, r);
    }
  }
  return new Map([...latest].map(([clientId, r]) => [clientId, r.nps]));
}

export interface ProgrammeTargets {
  targetSessions: number | null;
  targetKeyClientShare: number | null;
  targetAtRiskShare: number | null;
}

/** One non-cancelled session of the programme, with what progress needs to know about its client. */
export interface ProgressSession {
  clientId: string;
  status: SessionStatus;
  clientStatus: ClientStatus;
  isKeyClient: boolean;
}

export interface ProgrammeProgress {
  sessions: { target: number | null; count: number; held: number; met: boolean | null };
  keyClients: { target: number | null; covered: number; total: number; share: number | null; met: boolean | null };
  atRisk: { target: number | null; count: number; sessions: number; share: number | null; met: boolean | null };
}

/** part / whole, or null when there is nothing to divide by (no share to speak of). */
export function shareOf(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/**
 * Progress against each target. `sessions` must hold the programme's non-cancelled sessions
 * the viewer may read; `keyClientTotal` the number of key clients the viewer may see.
 * `met` is null when the programme sets no target. An at-risk target is a minimum share and is
 * not met while there are no sessions at all.
 */
export function programmeProgress(
  targets: ProgrammeTargets,
  sessions: readonly ProgressSession[],
  latestNps: ReadonlyMap<string, number>,
  keyClientTotal: number,
): ProgrammeProgress {
  const count = sessions.length;
  const held = sessions.filter((s) => isHeld(s.status)).length;
  const coveredKeyClients = new Set(sessions.filter((s) => s.isKeyClient).map((s) => s.clientId)).size;
  const atRisk = sessions.filter((s) => isAtRiskClient({ status: s.clientStatus, latestNps: latestNps.get(s.clientId) })).length;
  const keyShare = shareOf(coveredKeyClients, keyClientTotal);
  const atRiskShare = shareOf(atRisk, count);
  // Shares are floats (3 of 10 against a 0.3 target): compare with a hair of tolerance.
  const reached = (value: number | null, target: number | null) => (target === null ? null : value !== null && value >= target - 1e-9);
  return {
    sessions: { target: targets.targetSessions, count, held, met: reached(count, targets.targetSessions) },
    keyClients: {
      target: targets.targetKeyClientShare,
      covered: coveredKeyClients,
      total: keyClientTotal,
      share: keyShare,
      // With no key clients at all there is nothing left to cover, so that target counts as met.
      met: targets.targetKeyClientShare === null ? null : keyClientTotal === 0 || (reached(keyShare, targets.targetKeyClientShare) ?? false),
    },
    atRisk: { target: targets.targetAtRiskShare, count: atRisk, sessions: count, share: atRiskShare, met: reached(atRiskShare, targets.targetAtRiskShare) },
  };
}
