import type { Schemas } from '../../api/client';

export type Role = Schemas['User']['role'];
export type TeamKind = Schemas['Team']['kind'];

/**
 * What each role may do, in one line each. Shown where an admin picks a role, so that the
 * choice is made knowing its consequence; keep in step with POLICY in src/http/access.ts.
 */
export const ROLES: { value: Role; label: string; description: string }[] = [
  { value: 'admin', label: 'Admin', description: 'Manages users, teams, ethical walls and settings; reads the audit log.' },
  { value: 'programme_lead', label: 'Programme lead', description: 'Runs the listening programme; sees every client that is not walled.' },
  { value: 'management', label: 'Management', description: 'Reads every client that is not walled and all analytics; changes only their own things.' },
  { value: 'partner', label: 'Partner', description: 'Owns client relationships; edits the clients on whose team they are.' },
  { value: 'member', label: 'Member', description: 'Fee earner; logs check-ins, insights and preferences for their team’s clients.' },
  { value: 'external', label: 'External', description: 'Outside interviewer; sees only the sessions assigned to them.' },
];

export function roleLabel(role: Role): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}

export function roleDescription(role: Role | null | undefined): string | undefined {
  return ROLES.find((r) => r.value === role)?.description;
}

export const TEAM_KINDS: { value: TeamKind; label: string }[] = [
  { value: 'practice_group', label: 'Practice group' },
  { value: 'team', label: 'Team' },
  { value: 'office', label: 'Office' },
];

export function teamKindLabel(kind: TeamKind): string {
  return TEAM_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A UTC ISO timestamp from the API, in the browser's local time. */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}
