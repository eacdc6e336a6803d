import type { Schemas } from '../../api/client';

export type Action = Schemas['Action'];
export type ActionStatus = Action['status'];
export type ActionPriority = Action['priority'];

export const STATUS_LABELS: Record<ActionStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  wont_do: 'Won’t do',
};
export const STATUS_COLORS: Record<ActionStatus, string> = { open: 'blue', in_progress: 'violet', done: 'green', wont_do: 'gray' };

export const PRIORITY_LABELS: Record<ActionPriority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };
export const PRIORITY_COLORS: Record<ActionPriority, string> = { low: 'gray', normal: 'blue', high: 'orange', urgent: 'red' };
export const priorityOptions = (Object.keys(PRIORITY_LABELS) as ActionPriority[]).map((value) => ({ value, label: PRIORITY_LABELS[value] }));

export const ORIGIN_LABELS: Record<Action['origin'], string> = {
  manual: 'Raised by hand',
  insight: 'From an insight',
  session: 'From a listening session',
  detractor: 'Raised automatically: detractor score',
  high_concern: 'Raised automatically: high-severity concern',
};

/** The status changes the API allows from a status (open ↔ in progress → done or won't do; closed ones reopen). */
export function nextStatuses(status: ActionStatus): ActionStatus[] {
  switch (status) {
    case 'open':
      return ['in_progress', 'done', 'wont_do'];
    case 'in_progress':
      return ['open', 'done', 'wont_do'];
    default:
      return ['open'];
  }
}

export function statusVerb(to: ActionStatus, from: ActionStatus): string {
  if (to === 'open') {
    return from === 'in_progress' ? 'Back to open' : 'Reopen';
  }
  return { in_progress: 'Start', done: 'Mark done', wont_do: 'Won’t do' }[to];
}

/** A YYYY-MM-DD date as people read it, e.g. 3 Mar 2026. */
export function formatDate(date: string | null | undefined): string {
  if (!date) {
    return '—';
  }
  return new Date(`${date.slice(0, 10)}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}
