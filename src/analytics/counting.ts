import { quarterOf } from './filters.js';

/**
 * THE counting rule of every analytics figure built on answers (NPS, satisfaction, each score
 * dimension):
 *
 *   **Each client counts once per calendar quarter, with its latest answer in that quarter.**
 *
 * - An answer is what a held listening session (completed or later, never cancelled) recorded:
 *   its NPS, its satisfaction, its score for a dimension. The answer belongs to the session's
 *   client (all its contacts in the room answer together: one session, one answer).
 * - It falls in the quarter (UTC) of the session's completion time (`completed_at`).
 * - When a client was heard more than once in a quarter, only the latest answer counts (latest
 *   by completion time, then by session id), so a client heard often does not weigh more than
 *   one heard once. Two sessions with the same client in one quarter count once.
 * - The rule applies to each measure on its own: a session that recorded a satisfaction but no
 *   NPS counts for satisfaction, and the client's latest NPS of the quarter may come from an
 *   earlier session.
 * - A figure over a period of several quarters sums the quarters: a client heard in Q1 and in Q3
 *   counts twice (once each quarter), which is what the quarterly trend shows too.
 * - Only the sessions the reader may read are counted (see visibleSessions), and only clients
 *   the filters select.
 */
export const COUNTING_RULE =
  'Each client counts once per calendar quarter, with its latest answer in that quarter (held sessions only, by completion time). ' +
  'A period of several quarters adds up the quarters.';

/** One answer to one measure, as recorded by a held session. */
export interface Answer {
  sessionId: string;
  clientId: string;
  /** The session's completion time (ISO). */
  at: string;
  value: number;
}

/** An answer that counts, with the quarter it counts in. */
export interface CountedAnswer extends Answer {
  quarter: string;
}

/** Applies the counting rule: keeps each client's latest answer in each quarter, oldest first. */
export function countedAnswers(answers: readonly Answer[]): CountedAnswer[] {
  const latest = new Map<string, CountedAnswer>();
  for (const a of answers) {
    const quarter = quarterOf(a.at);
    const key = `${a.clientId}|${quarter}`;
    const current = latest.get(key);
    if (!current || a.at > current.at || (a.at === current.at && a.sessionId > current.sessionId)) {
      latest.set(key, { ...a, quarter });
    }
  }
  return [...latest.values()].sort((x, y) => (x.at === y.at ? x.sessionId.localeCompare(y.sessionId) : x.at < y.at ? -1 : 1));
}
