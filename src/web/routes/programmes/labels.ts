import type { MantineColor } from '@mantine/core';
import type { Schemas } from '../../api/client';

export type Programme = Schemas['Programme'];
export type ProgrammeDetail = Schemas['ProgrammeDetail'];
export type ProgrammeStatus = Programme['status'];
export type Nomination = Schemas['Nomination'];
export type NominationStatus = Nomination['status'];
export type ParticipationRow = Schemas['ParticipationRow'];

export const PROGRAMME_STATUSES: readonly ProgrammeStatus[] = ['draft', 'active', 'closed'];

export const PROGRAMME_STATUS_LABELS: Record<ProgrammeStatus, string> = {
  draft: 'Draft',
  active: 'Active',
  closed: 'Closed',
};

export const PROGRAMME_STATUS_COLORS: Record<ProgrammeStatus, MantineColor> = {
  draft: 'gray',
  active: 'teal',
  closed: 'dark',
};

export const programmeStatusOptions = PROGRAMME_STATUSES.map((s) => ({ value: s, label: PROGRAMME_STATUS_LABELS[s] }));

export function isProgrammeStatus(value: string): value is ProgrammeStatus {
  return (PROGRAMME_STATUSES as readonly string[]).includes(value);
}

/** The board's columns, in the order a nomination moves through them. */
export const NOMINATION_STATUSES: readonly NominationStatus[] = ['proposed', 'accepted', 'deferred', 'declined', 'withdrawn'];

export const NOMINATION_STATUS_LABELS: Record<NominationStatus, string> = {
  proposed: 'Waiting for an answer',
  accepted: 'Yes',
  deferred: 'Not now',
  declined: 'No',
  withdrawn: 'Withdrawn',
};

export const NOMINATION_STATUS_COLORS: Record<NominationStatus, MantineColor> = {
  proposed: 'blue',
  accepted: 'teal',
  deferred: 'orange',
  declined: 'red',
  withdrawn: 'gray',
};

const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });

/** A 0–1 share as a percentage (25%), or a dash when there is none. */
export function formatShare(share: number | null | undefined): string {
  return share === null || share === undefined ? '—' : percentFormat.format(share);
}

export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** Names for the calendar's icon-only controls, which Mantine leaves unnamed. */
export const CALENDAR_LABELS = {
  nextMonth: 'Next month',
  previousMonth: 'Previous month',
  nextYear: 'Next year',
  previousYear: 'Previous year',
  nextDecade: 'Next decade',
  previousDecade: 'Previous decade',
  monthLevelControl: 'Choose another month',
  yearLevelControl: 'Choose another year',
};
