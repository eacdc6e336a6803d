import type { ParticipationRow } from '../listening/participation.js';

/**
 * Rolls per-partner participation (from listening/participation.ts) up to teams and the firm,
 * with the ids of the records behind each figure, as a pure function.
 *
 * - A team's figures are the sums of its member partners' rows; a partner in two teams counts
 *   in both, a partner in none is in the group with `team: null`.
 * - Firm totals count each partner once; held-back clients once even when two partners share one.
 */

/** The ids behind one partner's figures: nominations by outcome, and clients. */
export interface ParticipationDrill {
  /** Nominations the programme lead proposed (withdrawn left out). */
  proposed: string[];
  accepted: string[];
  deferred: string[];
  declined: string[];
  volunteered: string[];
  /**
   * Accepted nominations (proposed or volunteered): what putForward counts, so a client two
   * partners put forward is two records, as it is two in a team's or the firm's sum.
   */
  putForward: string[];
  /** Accepted nominations of clients at risk or lost (AT_RISK_DEFINITION in listening/progress.ts). */
  atRiskPutForward: string[];
  /** The partner's clients never put forward in the programme. */
  heldBackClients: string[];
}

export function emptyDrill(): ParticipationDrill {
  return { proposed: [], accepted: [], deferred: [], declined: [], volunteered: [], putForward: [], atRiskPutForward: [], heldBackClients: [] };
}

export interface ParticipationFigures {
  proposed: number;
  accepted: number;
  deferred: number;
  declined: number;
  volunteered: number;
  notAnswered: number;
  putForward: number;
  atRiskPutForward: number;
  heldBack: number;
  /** Partners who said yes to the programme yet put no client forward. */
  saidYesPutNothingForward: number;
  partners: number;
}

export interface PartnerParticipation {
  row: ParticipationRow;
  drill: ParticipationDrill;
  teams: { id: string; name: string }[];
}

export interface ParticipationGroup {
  team: { id: string; name: string } | null;
  figures: ParticipationFigures;
  partnerIds: string[];
  drill: ParticipationDrill;
}

/** The union of the partners' drills, each id once, in first-seen order. */
function unionOf(drills: readonly ParticipationDrill[]): ParticipationDrill {
  const into = emptyDrill();
  for (const key of Object.keys(into) as (keyof ParticipationDrill)[]) {
    const seen = new Set<string>();
    for (const drill of drills) {
      for (const id of drill[key]) {
        if (!seen.has(id)) {
          seen.add(id);
          into[key].push(id);
        }
      }
    }
  }
  return into;
}

/** Figures of a set of partners: sums of their rows, held-back clients counted once. */
export function figuresOf(partners: readonly PartnerParticipation[]): { figures: ParticipationFigures; drill: ParticipationDrill } {
  const drill = unionOf(partners.map((p) => p.drill));
  const figures: ParticipationFigures = {
    proposed: 0,
    accepted: 0,
    deferred: 0,
    declined: 0,
    volunteered: 0,
    notAnswered: 0,
    putForward: 0,
    atRiskPutForward: 0,
    heldBack: 0,
    saidYesPutNothingForward: 0,
    partners: partners.length,
  };
  for (const p of partners) {
    figures.proposed += p.row.proposed;
    figures.accepted += p.row.accepted;
    figures.deferred += p.row.deferred;
    figures.declined += p.row.declined;
    figures.volunteered += p.row.volunteered;
    figures.notAnswered += p.row.notAnswered;
    figures.putForward += p.row.putForward;
    figures.atRiskPutForward += p.row.atRiskPutForward;
    figures.saidYesPutNothingForward += p.row.saidYesPutNothingForward ? 1 : 0;
  }
  figures.heldBack = drill.heldBackClients.length;
  return { figures, drill };
}

/** One group per team that has a partner in the list (sorted by name), then the partners in no team. */
export function rollUpByTeam(partners: readonly PartnerParticipation[]): ParticipationGroup[] {
  const teams = new Map<string, { team: { id: string; name: string }; members: PartnerParticipation[] }>();
  const noTeam: PartnerParticipation[] = [];
  for (const p of partners) {
    if (p.teams.length === 0) {
      noTeam.push(p);
    }
    for (const team of p.teams) {
      const entry = teams.get(team.id) ?? { team, members: [] };
      entry.members.push(p);
      teams.set(team.id, entry);
    }
  }
  const groups: ParticipationGroup[] = [...teams.values()]
    .sort((a, b) => a.team.name.localeCompare(b.team.name) || a.team.id.localeCompare(b.team.id))
    .map(({ team, members }) => ({ team, ...figuresOf(members), partnerIds: members.map((m) => m.row.partner.id) }));
  if (noTeam.length > 0) {
    groups.push({ team: null, ...figuresOf(noTeam), partnerIds: noTeam.map((m) => m.row.partner.id) });
  }
  return groups;
}
