import type { NominationOrigin, NominationStatus, ProgrammeCommitment } from '../db/schema.js';

/**
 * Partner participation in a programme, as a pure function over nominations the viewer may
 * see. It answers the second and third buy-in hurdles: does each partner put their own clients
 * forward, and do they put forward unhappy and lost ones too (see AT_RISK_DEFINITION in
 * progress.ts for "at risk")?
 */

export interface ParticipationPartner {
  id: string;
  name: string;
}

/** One nomination, reduced to what participation counts. */
export interface ParticipationNomination {
  partnerId: string;
  origin: NominationOrigin;
  status: NominationStatus;
  /** The client is at risk by AT_RISK_DEFINITION (includes lost and pitch-lost clients). */
  clientAtRisk: boolean;
  /** The client is lost or a lost pitch. */
  clientLost: boolean;
}

export interface ParticipationRow {
  partner: ParticipationPartner;
  commitment: ProgrammeCommitment | null;
  /** Nominations the programme lead proposed to the partner (withdrawn ones left out). */
  proposed: number;
  /** Of those proposed, how many the partner accepted, deferred ("not now") or declined. */
  accepted: number;
  deferred: number;
  declined: number;
  /** Clients the partner volunteered without being asked. */
  volunteered: number;
  /** Proposed clients the partner has not answered yet. */
  notAnswered: number;
  /** Clients put forward: accepted, whether proposed or volunteered. */
  putForward: number;
  /** Clients put forward that are at risk (unhappy, lapsed, lost or pitch lost). */
  atRiskPutForward: number;
  /** Clients put forward that are lost or lost pitches. */
  lostPutForward: number;
  /** Whether any unhappy, at-risk, lost or pitch-lost client was put forward. */
  putForwardUnhappyOrLost: boolean;
  /** The flag: said yes to the programme, yet put no client forward. */
  saidYesPutNothingForward: boolean;
}

/**
 * One row per partner: everyone in `partners` (so that partners who never engaged show, with
 * zeros; pass those who committed or were nominated too) plus anyone else a nomination names.
 * Sorted by name.
 */
export function participation(
  partners: readonly ParticipationPartner[],
  nominations: readonly ParticipationNomination[],
  commitments: ReadonlyMap<string, ProgrammeCommitment>,
): ParticipationRow[] {
  const rows = new Map<string, ParticipationRow>();
  const rowFor = (partner: ParticipationPartner): ParticipationRow => {
    let row = rows.get(partner.id);
    if (!row) {
      row = {
        partner,
        commitment: commitments.get(partner.id) ?? null,
        proposed: 0,
        accepted: 0,
        deferred: 0,
        declined: 0,
        volunteered: 0,
        notAnswered: 0,
        putForward: 0,
        atRiskPutForward: 0,
        lostPutForward: 0,
        putForwardUnhappyOrLost: false,
        saidYesPutNothingForward: false,
      };
      rows.set(partner.id, row);
    }
    return row;
  };
  const known = new Map(partners.map((p) => [p.id, p]));
  for (const p of partners) {
    rowFor(p);
  }
  for (const n of nominations) {
    if (n.status === 'withdrawn') {
      continue;
    }
    const row = rowFor(known.get(n.partnerId) ?? { id: n.partnerId, name: 'Unknown partner' });
    if (n.origin === 'volunteered') {
      row.volunteered += 1;
    } else {
      row.proposed += 1;
      if (n.status === 'proposed') {
        row.notAnswered += 1;
      } else if (n.status === 'accepted') {
        row.accepted += 1;
      } else if (n.status === 'deferred') {
        row.deferred += 1;
      } else if (n.status === 'declined') {
        row.declined += 1;
      }
    }
    if (n.status === 'accepted') {
      row.putForward += 1;
      row.atRiskPutForward += n.clientAtRisk || n.clientLost ? 1 : 0;
      row.lostPutForward += n.clientLost ? 1 : 0;
    }
  }
  for (const row of rows.values()) {
    row.putForwardUnhappyOrLost = row.atRiskPutForward > 0;
    row.saidYesPutNothingForward = row.commitment === 'yes' && row.putForward === 0;
  }
  return [...rows.values()].sort((a, b) => a.partner.name.localeCompare(b.partner.name) || a.partner.id.localeCompare(b.partner.id));
}
