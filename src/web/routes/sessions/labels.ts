import type { MantineColor } from '@mantine/core';
import dayjs from 'dayjs';
import type { Schemas } from '../../api/client';

export type SessionDetail = Schemas['SessionDetail'];
export type SessionListItem = Schemas['SessionListItem'];
export type SessionStatus = SessionDetail['status'];
export type SessionFormat = SessionDetail['format'];
export type Remark = Schemas['SessionRemark'];
export type Confidentiality = Remark['confidentiality'];

/** In the order a session moves through them, which is also how the status filter lists them. */
export const SESSION_STATUSES: readonly SessionStatus[] = [
  'planned',
  'scheduled',
  'completed',
  'summary_drafted',
  'summary_reviewed',
  'summary_shared',
  'cancelled',
];

export const SESSION_STATUS_LABELS: Record<SessionStatus, string> = {
  planned: 'Planned',
  scheduled: 'Scheduled',
  completed: 'Completed',
  summary_drafted: 'Summary drafted',
  summary_reviewed: 'Summary reviewed',
  summary_shared: 'Summary shared',
  cancelled: 'Cancelled',
};

export const SESSION_STATUS_COLORS: Record<SessionStatus, MantineColor> = {
  planned: 'gray',
  scheduled: 'blue',
  completed: 'teal',
  summary_drafted: 'violet',
  summary_reviewed: 'indigo',
  summary_shared: 'green',
  cancelled: 'red',
};

export const sessionStatusOptions = SESSION_STATUSES.map((s) => ({ value: s, label: SESSION_STATUS_LABELS[s] }));

export function isSessionStatus(value: string): value is SessionStatus {
  return (SESSION_STATUSES as readonly string[]).includes(value);
}

/** Statuses in which notes, scores and remarks may be written (the server's CAPTURE_STATUSES). */
export const CAPTURE_STATUSES: readonly SessionStatus[] = ['scheduled', 'completed', 'summary_drafted'];

export const SESSION_FORMAT_LABELS: Record<SessionFormat, string> = {
  in_person: 'In person',
  video: 'Video',
  phone: 'Phone',
};

export const sessionFormatOptions = (Object.keys(SESSION_FORMAT_LABELS) as SessionFormat[]).map((f) => ({ value: f, label: SESSION_FORMAT_LABELS[f] }));

export const CONFIDENTIALITY_LABELS: Record<Confidentiality, string> = {
  attributable: 'Attributable',
  non_attributable: 'Non-attributable',
  programme_only: 'Programme only',
};

/** Who reads a remark of each kind, said the way the capture page and the badges say it. */
export const CONFIDENTIALITY_HELP: Record<Confidentiality, string> = {
  attributable: 'Shown with who said it',
  non_attributable: 'Shown without who said it',
  programme_only: 'Programme leads and the interviewer only',
};

/** Dark shades: with the light badge variant the text takes this shade, and the default shades fall short of AA contrast. */
export const CONFIDENTIALITY_COLORS: Record<Confidentiality, MantineColor> = {
  attributable: 'gray',
  non_attributable: 'orange.9',
  programme_only: 'red.9',
};

export const CONFIDENTIALITIES = Object.keys(CONFIDENTIALITY_LABELS) as Confidentiality[];

/** A timestamp from the API shown in the reader's own time zone: Tue 3 Mar 2026, 09:30. */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('ddd D MMM YYYY, HH:mm') : '—';
}

/** A short date for tables: 3 Mar 2026. */
export function formatShortDate(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('D MMM YYYY') : '—';
}

export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('HH:mm') : '';
}

/** 90 → "1 h 30 min". */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h > 0 && `${h} h`, m > 0 && `${m} min`].filter(Boolean).join(' ') || '0 min';
}

export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}
