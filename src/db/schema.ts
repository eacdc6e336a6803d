import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types for both dialects. Booleans are 0/1 on SQLite and boolean on PostgreSQL, and
 * timestamps are ISO-8601 text on SQLite and timestamptz on PostgreSQL (read back as ISO
 * strings, see connect.ts); row mappers normalise both with `toBool` and `toIso`.
 */
type Bool = ColumnType<boolean | number, boolean, boolean>;
type Timestamp = ColumnType<string, string, string>;

export const ROLES = ['admin', 'programme_lead', 'management', 'partner', 'member', 'external'] as const;
export type Role = (typeof ROLES)[number];

export interface UserTable {
  id: string;
  email: string;
  name: string;
  title: string | null;
  office: string | null;
  role: Role;
  active: Bool;
  password_hash: string | null;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TeamTable {
  id: string;
  name: string;
  kind: 'practice_group' | 'team' | 'office';
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TeamMemberTable {
  team_id: string;
  user_id: string;
  created_at: Timestamp;
}

export interface AuthSessionTable {
  /** SHA-256 of the cookie value: a leaked database does not hand out live sessions. */
  id: string;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  /** The first characters of the token, shown so people can tell their tokens apart. */
  prefix: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export const CLIENT_STATUSES = ['prospect', 'active', 'lapsed', 'lost', 'pitch_lost'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

export interface ClientTable {
  id: string;
  name: string;
  status: ClientStatus;
  industry: string | null;
  annual_fees: number | null;
  is_key_client: Bool;
  parent_id: string | null;
  /** JSON array of competitor names, kept as text on both dialects. */
  competitors: string;
  notes: string | null;
  walled: Bool;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ClientWallMemberTable {
  client_id: string;
  user_id: string;
  created_at: Timestamp;
}

export interface ContactTable {
  id: string;
  client_id: string;
  name: string;
  preferred_name: string | null;
  role: string | null;
  job_title: string | null;
  email: string | null;
  phone: string | null;
  is_decision_maker: Bool;
  left_on: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const MATTER_STATUSES = ['open', 'on_hold', 'closed'] as const;
export type MatterStatus = (typeof MATTER_STATUSES)[number];

export interface MatterTable {
  id: string;
  client_id: string;
  name: string;
  reference: string | null;
  practice_area: string | null;
  status: MatterStatus;
  opened_on: string | null;
  closed_on: string | null;
  client_project_code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const TEAM_ROLES = ['relationship_partner', 'member'] as const;
export type ClientTeamRole = (typeof TEAM_ROLES)[number];

export interface ClientTeamTable {
  client_id: string;
  user_id: string;
  team_role: ClientTeamRole;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_label: string;
  action: string;
  entity: string;
  entity_id: string;
  /** The client the row concerns, so that walled clients' history stays behind the wall. */
  client_id: string | null;
  /** Whether that client was walled when the row was written: keeps a deleted walled client's history hidden. */
  client_walled: Bool;
  /** JSON object: field → [before, after]. */
  changes: string;
  request_id: string | null;
}

export interface Database {
  users: UserTable;
  teams: TeamTable;
  team_members: TeamMemberTable;
  auth_sessions: AuthSessionTable;
  api_tokens: ApiTokenTable;
  clients: ClientTable;
  client_wall_members: ClientWallMemberTable;
  contacts: ContactTable;
  matters: MatterTable;
  client_team: ClientTeamTable;
  audit_log: AuditLogTable;
}

export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;
export type UserRowUpdate = Updateable<UserTable>;
export type TeamRow = Selectable<TeamTable>;
export type ClientRow = Selectable<ClientTable>;
export type NewClientRow = Insertable<ClientTable>;
export type ClientRowUpdate = Updateable<ClientTable>;
export type ContactRow = Selectable<ContactTable>;
export type NewContactRow = Insertable<ContactTable>;
export type MatterRow = Selectable<MatterTable>;
export type NewMatterRow = Insertable<MatterTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
