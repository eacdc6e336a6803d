import type { MantineColor } from '@mantine/core';
import dayjs from 'dayjs';
import type { Schemas } from '../../api/client';

export type ClientStatus = Schemas['Client']['status'];
export type MatterStatus = Schemas['Matter']['status'];
export type TeamRole = Schemas['ClientTeamMember']['teamRole'];

/** In lifecycle order, which is also how the status filter and the form list them. */
export const CLIENT_STATUSES: readonly ClientStatus[] = ['prospect', 'active', 'lapsed', 'lost', 'pitch_lost'];

export const CLIENT_STATUS_LABELS: Record<ClientStatus, string> = {
  prospect: 'Prospect',
  active: 'Active',
  lapsed: 'Lapsed',
  lost: 'Lost',
  pitch_lost: 'Pitch lost',
};

export const CLIENT_STATUS_COLORS: Record<ClientStatus, MantineColor> = {
  prospect: 'blue',
  active: 'teal',
  lapsed: 'orange',
  lost: 'gray',
  pitch_lost: 'red',
};

export const MATTER_STATUSES: readonly MatterStatus[] = ['open', 'on_hold', 'closed'];

export const MATTER_STATUS_LABELS: Record<MatterStatus, string> = {
  open: 'Open',
  on_hold: 'On hold',
  closed: 'Closed',
};

export const MATTER_STATUS_COLORS: Record<MatterStatus, MantineColor> = {
  open: 'teal',
  on_hold: 'orange',
  closed: 'gray',
};

export const TEAM_ROLE_LABELS: Record<TeamRole, string> = {
  relationship_partner: 'Relationship partner',
  member: 'Member',
};

export const clientStatusOptions = CLIENT_STATUSES.map((s) => ({ value: s, label: CLIENT_STATUS_LABELS[s] }));
export const matterStatusOptions = MATTER_STATUSES.map((s) => ({ value: s, label: MATTER_STATUS_LABELS[s] }));
export const teamRoleOptions = (Object.keys(TEAM_ROLE_LABELS) as TeamRole[]).map((r) => ({ value: r, label: TEAM_ROLE_LABELS[r] }));

export function isClientStatus(value: string): value is ClientStatus {
  return (CLIENT_STATUSES as readonly string[]).includes(value);
}

/**
 * Fees are kept in the firm's own currency, which the API does not name, so they are shown as
 * whole amounts with the reader's digit grouping and no currency sign.
 */
const feesFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatFees(fees: number | null): string {
  return fees === null ? '—' : feesFormat.format(fees);
}

/** A calendar date from the API (YYYY-MM-DD), written the way people read it: 5 Mar 2024. */
export function formatDate(date: string | null): string {
  return date ? dayjs(date).format('D MMM YYYY') : '—';
}

/** The date-input display format, matching formatDate so that forms and tables agree. */
export const DATE_INPUT_FORMAT = 'D MMM YYYY';
