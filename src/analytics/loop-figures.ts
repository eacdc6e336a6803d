import { isOverdue } from '../actions/loop.js';
import type { ActionStatus, ProblemStatus } from '../db/schema.js';
import { daysBetween, daysBetweenDates, distribution, rate, splitDistributions } from './loop-metrics.js';
import type { LoopMetric, ProblemMetric } from './records.js';
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

/** The records behind each loop figure, by one rule each (loopFigures counts them, the drill-down lists them). */
function loopSets(actions: readonly LoopActionRecord[], now: Date) {
  return {
    done: actions.filter((a) => a.status === 'done'),
    wontDo: actions.filter((a) => a.status === 'wont_do'),
    open: actions.filter((a) => a.status !== 'done' && a.status !== 'wont_do'),
    closed: actions.filter((a) => (a.status === 'done' || a.status === 'wont_do') && a.closed_at !== null),
    overdue: actions.filter((a) => isOverdue(a, now)),
  };
}

function resolvedProblems(problems: readonly LoopProblemRecord[]): LoopProblemRecord[] {
  return problems.filter((p) => p.resolved_on !== null && (p.status === 'resolved' || p.status === 'closed'));
}

/**
 * What the loop's figures need from a set of actions, in a form that adds up: counts per rule and
 * the closed actions' durations in days. The service reads one tally per owner and client from
 * SQL (loop-queries.ts) and adds them up per group; a group's figures are those of its tally.
 */
export interface ActionTally {
  actions: number;
  done: number;
  wontDo: number;
  overdue: number;
  /** Days to close of the closed done actions, and of the closed won't do ones. */
  doneDays: number[];
  wontDoDays: number[];
}

export function emptyActionTally(): ActionTally {
  return { actions: 0, done: 0, wontDo: 0, overdue: 0, doneDays: [], wontDoDays: [] };
}

/** Adds `from` into `into` (durations appended). */
export function addActionTally(into: ActionTally, from: ActionTally): ActionTally {
  into.actions += from.actions;
  into.done += from.done;
  into.wontDo += from.wontDo;
  into.overdue += from.overdue;
  for (const d of from.doneDays) {
    into.doneDays.push(d);
  }
  for (const d of from.wontDoDays) {
    into.wontDoDays.push(d);
  }
  return into;
}

/** The tally of a list of actions, by the rules of loopSets. */
export function tallyActions(actions: readonly LoopActionRecord[], now: Date): ActionTally {
  const { done, wontDo, closed, overdue } = loopSets(actions, now);
  const duration = (a: LoopActionRecord) => daysBetween(a.created_at, a.closed_at as string);
  return {
    actions: actions.length,
    done: done.length,
    wontDo: wontDo.length,
    overdue: overdue.length,
    doneDays: closed.filter((a) => a.status === 'done').map(duration),
    wontDoDays: closed.filter((a) => a.status === 'wont_do').map(duration),
  };
}

/** The loop figures of a tally and a count of unactioned insights. */
export function tallyFigures(tally: ActionTally, unactioned: number): LoopFigures {
  const days = splitDistributions(tally.doneDays, tally.wontDoDays);
  return {
    actions: tally.actions,
    done: tally.done,
    wontDo: tally.wontDo,
    open: tally.actions - tally.done - tally.wontDo,
    closureRate: rate(tally.done + tally.wontDo, tally.actions),
    timeToClose: { all: days.all, done: days.left, wontDo: days.right },
    overdue: tally.overdue,
    unactioned,
  };
}

export function loopFigures(actions: readonly LoopActionRecord[], unactionedInsightIds: readonly string[], now: Date): LoopFigures {
  return tallyFigures(tallyActions(actions, now), unactionedInsightIds.length);
}

/** The ids of the records behind one loop figure (closed: the closed actions timeToClose counts). */
export function loopRecordIds(actions: readonly LoopActionRecord[], unactionedInsightIds: readonly string[], now: Date, metric: LoopMetric): string[] {
  if (metric === 'unactioned') {
    return [...unactionedInsightIds];
  }
  if (metric === 'actions') {
    return actions.map((a) => a.id);
  }
  return loopSets(actions, now)[metric].map((a) => a.id);
}

/** What the problem figures need from a set of problems, in a form that adds up (see ActionTally). */
export interface ProblemTally {
  reported: number;
  resolved: number;
  /** Whole days from report to resolution of the resolved ones. */
  days: number[];
}

export function emptyProblemTally(): ProblemTally {
  return { reported: 0, resolved: 0, days: [] };
}

export function addProblemTally(into: ProblemTally, from: ProblemTally): ProblemTally {
  into.reported += from.reported;
  into.resolved += from.resolved;
  for (const d of from.days) {
    into.days.push(d);
  }
  return into;
}

export function tallyProblems(problems: readonly LoopProblemRecord[]): ProblemTally {
  const resolved = resolvedProblems(problems);
  return { reported: problems.length, resolved: resolved.length, days: resolved.map((p) => daysBetweenDates(p.reported_on, p.resolved_on as string)) };
}

export function problemTallyFigures(tally: ProblemTally): ProblemFigures {
  return { reported: tally.reported, resolved: tally.resolved, timeToResolution: distribution(tally.days) };
}

export function problemFigures(problems: readonly LoopProblemRecord[]): ProblemFigures {
  return problemTallyFigures(tallyProblems(problems));
}

/** The ids of the problems behind one problem figure. */
export function problemRecordIds(problems: readonly LoopProblemRecord[], metric: ProblemMetric): string[] {
  return (metric === 'resolved' ? resolvedProblems(problems) : problems).map((p) => p.id);
}

/**
 * Groups buckets by keys (an owner's tally by the owner, or by each of the owner's teams),
 * adding up their payloads. A bucket with several keys counts in each group; one with none goes
 * to the `null` group. Groups are sorted by name, the null group last.
 */
export function groupBuckets<B, P>(
  buckets: readonly B[],
  keysOf: (bucket: B) => readonly { id: string; name: string }[],
  payloadOf: (bucket: B) => P,
  add: (into: P | undefined, from: P) => P,
): { key: { id: string; name: string } | null; payload: P }[] {
  const groups = new Map<string, { key: { id: string; name: string }; payload: P }>();
  let none: P | undefined;
  let anyNone = false;
  for (const b of buckets) {
    const keys = keysOf(b);
    const payload = payloadOf(b);
    if (keys.length === 0) {
      none = add(none, payload);
      anyNone = true;
    }
    for (const key of keys) {
      const g = groups.get(key.id);
      if (g) {
        g.payload = add(g.payload, payload);
      } else {
        groups.set(key.id, { key, payload: add(undefined, payload) });
      }
    }
  }
  const out: { key: { id: string; name: string } | null; payload: P }[] = [...groups.values()].sort((a, b) => compareKeys(a.key, b.key));
  if (anyNone) {
    out.push({ key: null, payload: none as P });
  }
  return out;
}

/** localeCompare's order (the default locale), with the collator made once: thousands of groups sort in milliseconds. */
const collator = new Intl.Collator();

/** Groups' order: by name, then id; the group without a key (null) last. */
export function compareKeys(a: { id: string; name: string } | null, b: { id: string; name: string } | null): number {
  if (!a || !b) {
    return a ? -1 : b ? 1 : 0;
  }
  return collator.compare(a.name, b.name) || collator.compare(a.id, b.id);
}
