import type { Schemas } from '../../api/client';

export type Problem = Schemas['ClientProblem'];
export type ProblemStatus = Problem['status'];
export type Referral = Schemas['Referral'];
export type ReferralOutcome = Referral['outcome'];

export const PROBLEM_STATUS_LABELS: Record<ProblemStatus, string> = {
  open: 'Open',
  investigating: 'Investigating',
  resolved: 'Resolved',
  closed: 'Closed',
};
export const PROBLEM_STATUS_COLORS: Record<ProblemStatus, string> = { open: 'red', investigating: 'orange', resolved: 'green', closed: 'gray' };
/** Open first, then investigating, resolved, closed. */
export const PROBLEM_STATUS_ORDER: Record<ProblemStatus, number> = { open: 0, investigating: 1, resolved: 2, closed: 3 };

/** The status changes the API allows from each status, with the button's wording. */
export function problemNextStatuses(status: ProblemStatus): { to: ProblemStatus; label: string }[] {
  switch (status) {
    case 'open':
      return [
        { to: 'investigating', label: 'Start investigating' },
        { to: 'resolved', label: 'Resolve' },
      ];
    case 'investigating':
      return [
        { to: 'resolved', label: 'Resolve' },
        { to: 'open', label: 'Back to open' },
      ];
    case 'resolved':
      return [
        { to: 'closed', label: 'Close' },
        { to: 'open', label: 'Reopen' },
      ];
    case 'closed':
      return [{ to: 'open', label: 'Reopen' }];
  }
}

export const REFERRAL_OUTCOME_LABELS: Record<ReferralOutcome, string> = { pending: 'Pending', won: 'Won', lost: 'Lost', no_fit: 'No fit' };
export const REFERRAL_OUTCOME_COLORS: Record<ReferralOutcome, string> = { pending: 'blue', won: 'green', lost: 'red', no_fit: 'gray' };

export const problemKeys = { all: ['problems'] as const };
export const referralKeys = { all: ['referrals'] as const };

export const todayIso = () => new Date().toISOString().slice(0, 10);
