import { isOverdue } from '../actions/loop.js';
import type { ActionStatus, ProblemStatus } from '../db/schema.js';
import { daysBetween, daysBetweenDates, distribution, rate } from './loop-metrics.js';
import type { LoopFigures, ProblemFigures } from './schemas.js';

/**
 * The loop's figures over a set of records, as pure functions (the service loads the records the
 * reader may see and groups them). Rules, written once:
 * - the cohort is the actions *created* in the period; closure rate = (done + won't do) / cohort;
 * - time to close = closed_at − created_at in days, for closed actions of the cohort, reported
 *   together and for done and won't do apart (a won't do is a decision, not a delivery);
 * - overdue = still open or in progress with a due date before today (UTC), as on the action lists;
 * - unactioned = concerns and risks heard in the period, heard more than the loop setting's
 *   days ago, with no action linked (listUnactioned's rule);
 * - problem time to resolution = resolved_on − reported_on in whole days, for problems reported
 *   in the period that have a resolution date.
 */
export const LOOP_RULES =
  'Actions counted are those created in the period. Closure rate = (done + won’t do) / actions. ' +
  'Time to close = days from creation to closing, for the closed ones, shown for all closed actions and for done and won’t do apart. ' +
  'Overdue = open or in progress with a due date before today (UTC). ' +
  'Unactioned = concerns and risks heard in the period, older than the loop setting, with no action linked. ' +
  'Problem time to resolution = days from the reported date to the resolved date, for problems reported in the period.';

export interface LoopActionRecord {
  id: string;
  status: ActionStatus;
  created_at: string;
  closed_at: string | null;
  due_on: string | null;
}

export interface LoopProblemRecord {
  id: string;
  status: ProblemStatus;
  reported_on: string;
  resolved_on: string | null;
}

export function loopFigures(actions: readonly LoopActionRecord[], unactionedInsightIds: readonly string[], now: Date): LoopFigures {
  const closed = actions.filter((a) => (a.status === 'done' || a.status === 'wont_do') && a.closed_at !== null);
  const duration = (a: LoopActionRecord) => daysBetween(a.created_at, a.closed_at as string);
  const done = actions.filter((a) => a.status === 'done');
  const wontDo = actions.filter((a) => a.status === 'wont_do');
  const overdue = actions.filter((a) => isOverdue(a, now));
  return {
    actions: actions.length,
    done: done.length,
    wontDo: wontDo.length,
    open: actions.length - done.length - wontDo.length,
    closureRate: rate(done.length + wontDo.length, actions.length),
    timeToClose: {
      all: distribution(closed.map(duration)),
      done: distribution(closed.filter((a) => a.status === 'done').map(duration)),
      wontDo: distribution(closed.filter((a) => a.status === 'wont_do').map(duration)),
    },
    overdue: overdue.length,
    unactioned: unactionedInsightIds.length,
    drill: {
      actionIds: actions.map((a) => a.id),
      closedActionIds: closed.map((a) => a.id),
      overdueActionIds: overdue.map((a) => a.id),
      unactionedInsightIds: [...unactionedInsightIds],
    },
  };
}

export function problemFigures(problems: readonly LoopProblemRecord[]): ProblemFigures {
  const resolved = problems.filter((p) => p.resolved_on !== null && (p.status === 'resolved' || p.status === 'closed'));
  return {
    reported: problems.length,
    resolved: resolved.length,
    timeToResolution: distribution(resolved.map((p) => daysBetweenDates(p.reported_on, p.resolved_on as string))),
    drill: { problemIds: problems.map((p) => p.id), resolvedProblemIds: resolved.map((p) => p.id) },
  };
}

/**
 * Groups records by keys (an action by its owner, or by each of the owner's teams). A record
 * with several keys counts in each group; one with none goes to the `null` group. Groups are
 * sorted by name, the null group last.
 */
export function groupRecords<T>(
  records: readonly T[],
  keysOf: (record: T) => readonly { id: string; name: string }[],
): { key: { id: string; name: string } | null; records: T[] }[] {
  const groups = new Map<string, { key: { id: string; name: string }; records: T[] }>();
  const none: T[] = [];
  for (const r of records) {
    const keys = keysOf(r);
    if (keys.length === 0) {
      none.push(r);
    }
    for (const key of keys) {
      const g = groups.get(key.id) ?? { key, records: [] };
      g.records.push(r);
      groups.set(key.id, g);
    }
  }
  const out: { key: { id: string; name: string } | null; records: T[] }[] = [...groups.values()].sort(
    (a, b) => a.key.name.localeCompare(b.key.name) || a.key.id.localeCompare(b.key.id),
  );
  if (none.length > 0) {
    out.push({ key: null, records: none });
  }
  return out;
}
