import type { SessionStatus } from '../db/schema.js';

/**
 * The life of a listening session, as data: planned → scheduled → completed → summary drafted →
 * summary reviewed → summary shared, or cancelled before it took place. Editing a reviewed
 * summary sends it back to drafted, so what the client receives is always what was reviewed.
 */
export const SESSION_TRANSITIONS: Record<SessionStatus, readonly SessionStatus[]> = {
  planned: ['scheduled', 'cancelled'],
  scheduled: ['completed', 'cancelled'],
  completed: ['summary_drafted'],
  summary_drafted: ['summary_reviewed'],
  summary_reviewed: ['summary_shared', 'summary_drafted'],
  summary_shared: [],
  cancelled: [],
};

export function canTransition(from: SessionStatus, to: SessionStatus): boolean {
  return SESSION_TRANSITIONS[from].includes(to);
}

const LABELS: Record<SessionStatus, string> = {
  planned: 'planned',
  scheduled: 'scheduled',
  completed: 'completed',
  summary_drafted: 'summary drafted',
  summary_reviewed: 'summary reviewed',
  summary_shared: 'summary shared',
  cancelled: 'cancelled',
};

/** A sentence for the error a refused transition returns, naming what is allowed instead. */
export function transitionRefusal(from: SessionStatus, to: SessionStatus): string {
  const allowed = SESSION_TRANSITIONS[from];
  const next = allowed.length === 0 ? 'nothing: it is final' : allowed.map((s) => LABELS[s]).join(' or ');
  return `a ${LABELS[from]} session cannot become ${LABELS[to]}; it can become ${next}`;
}

/** Statuses in which the interview has taken place, so capture and scores count. */
export const HELD_STATUSES: readonly SessionStatus[] = ['completed', 'summary_drafted', 'summary_reviewed', 'summary_shared'];
