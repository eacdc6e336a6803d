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
  digest_frequency: ColumnType<DigestFrequency, DigestFrequency | undefined, DigestFrequency>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const DIGEST_FREQUENCIES = ['daily', 'weekly', 'off'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

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

export const PROGRAMME_STATUSES = ['draft', 'active', 'closed'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];

export interface ProgrammeTable {
  id: string;
  name: string;
  description: string | null;
  starts_on: string;
  ends_on: string;
  owner_id: string;
  status: ProgrammeStatus;
  target_sessions: number | null;
  /** 0–1: the share of key clients the programme means to hear from. */
  target_key_client_share: number | null;
  /** 0–1: the minimum share of sessions with unhappy, lapsed, lost or pitch-lost clients. */
  target_at_risk_share: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const PROGRAMME_COMMITMENTS = ['yes', 'no'] as const;
export type ProgrammeCommitment = (typeof PROGRAMME_COMMITMENTS)[number];

export interface ProgrammePartnerTable {
  programme_id: string;
  user_id: string;
  commitment: ProgrammeCommitment;
  responded_at: Timestamp;
}

export const NOMINATION_STATUSES = ['proposed', 'accepted', 'deferred', 'declined', 'withdrawn'] as const;
export type NominationStatus = (typeof NOMINATION_STATUSES)[number];
export const NOMINATION_ORIGINS = ['proposed', 'volunteered'] as const;
export type NominationOrigin = (typeof NOMINATION_ORIGINS)[number];

export interface NominationTable {
  id: string;
  programme_id: string;
  client_id: string;
  /** The relationship partner who answers this nomination. */
  partner_id: string;
  origin: NominationOrigin;
  proposed_by: string | null;
  status: NominationStatus;
  reason: string | null;
  ask_again_on: string | null;
  note: string | null;
  responded_at: Timestamp | null;
  last_reminded_at: Timestamp | null;
  reminder_count: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface NominationEventTable {
  id: string;
  nomination_id: string;
  at: Timestamp;
  actor_id: string | null;
  from_status: NominationStatus | null;
  to_status: NominationStatus;
  reason: string | null;
  ask_again_on: string | null;
}

export interface InterviewGuideTable {
  id: string;
  name: string;
  description: string | null;
  is_default: Bool;
  archived: Bool;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GuideVersionTable {
  id: string;
  guide_id: string;
  version: number;
  /** JSON: [{key, title, questions: [{key, text, help}]}]. Immutable once written. */
  sections: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface ScoreDimensionTable {
  key: string;
  label: string;
  position: number;
  active: Bool;
}

export const SESSION_STATUSES = ['planned', 'scheduled', 'completed', 'summary_drafted', 'summary_reviewed', 'summary_shared', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const SESSION_FORMATS = ['in_person', 'video', 'phone'] as const;
export type SessionFormat = (typeof SESSION_FORMATS)[number];

export interface ListeningSessionTable {
  id: string;
  client_id: string;
  programme_id: string | null;
  nomination_id: string | null;
  status: SessionStatus;
  objective: string;
  expectations: string | null;
  agenda: string | null;
  interviewer_id: string;
  independence_override_reason: string | null;
  independence_override_by: string | null;
  format: SessionFormat;
  location: string | null;
  video_platform: string | null;
  video_link: string | null;
  starts_at: Timestamp | null;
  duration_minutes: number;
  guide_version_id: string | null;
  ics_sequence: Generated<number>;
  cancel_reason: string | null;
  nps: number | null;
  satisfaction: number | null;
  completed_at: Timestamp | null;
  /** JSON of the summary document: {thanks, heard: [{theme, points}], willDo, nextSteps}. */
  summary: string | null;
  summary_version: Generated<number>;
  summary_reviewed_by: string | null;
  summary_reviewed_at: Timestamp | null;
  summary_shared_on: string | null;
  summary_shared_channel: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionContactTable {
  session_id: string;
  contact_id: string;
}

export interface SessionAttendeeTable {
  session_id: string;
  user_id: string;
}

export interface SessionAnswerTable {
  session_id: string;
  question_key: string;
  notes: string;
  version: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface SessionScoreTable {
  session_id: string;
  dimension: string;
  score: number;
}

export const CONFIDENTIALITY = ['attributable', 'non_attributable', 'programme_only'] as const;
export type Confidentiality = (typeof CONFIDENTIALITY)[number];

export interface SessionRemarkTable {
  id: string;
  session_id: string;
  speaker_contact_id: string | null;
  text: string;
  theme: string | null;
  confidentiality: Confidentiality;
  version: Generated<number>;
  created_by: string | null;
  updated_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ThemeTable {
  id: string;
  /** null for a top-level theme; a sub-theme's parent otherwise (two levels only). */
  parent_id: string | null;
  name: string;
  description: string | null;
  position: number;
  archived: Bool;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const INSIGHT_TYPES = ['praise', 'concern', 'risk', 'opportunity', 'preference', 'idea'] as const;
export type InsightType = (typeof INSIGHT_TYPES)[number];
export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const INSIGHT_SOURCES = ['session', 'check_in', 'problem', 'call', 'meeting', 'email', 'other'] as const;
export type InsightSource = (typeof INSIGHT_SOURCES)[number];

export interface InsightTable {
  id: string;
  client_id: string;
  type: InsightType;
  severity: Severity;
  summary: string;
  quote: string | null;
  confidentiality: Confidentiality;
  contact_id: string | null;
  matter_id: string | null;
  source: InsightSource;
  session_id: string | null;
  remark_id: string | null;
  check_in_id: string | null;
  problem_id: string | null;
  heard_on: string;
  recorded_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InsightThemeTable {
  insight_id: string;
  theme_id: string;
}

export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'wont_do'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ACTION_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type ActionPriority = (typeof ACTION_PRIORITIES)[number];
export const ACTION_ORIGINS = ['manual', 'insight', 'session', 'detractor', 'high_concern'] as const;
export type ActionOrigin = (typeof ACTION_ORIGINS)[number];

export interface ActionTable {
  id: string;
  client_id: string;
  title: string;
  description: string | null;
  owner_id: string;
  due_on: string | null;
  priority: ActionPriority;
  status: ActionStatus;
  wont_do_reason: string | null;
  closure_note: string | null;
  origin: ActionOrigin;
  insight_id: string | null;
  session_id: string | null;
  check_in_id: string | null;
  problem_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_activity_at: Timestamp;
  closed_at: Timestamp | null;
  escalated_at: Timestamp | null;
  escalated_to: string | null;
}

export interface ActionCommentTable {
  id: string;
  action_id: string;
  author_id: string | null;
  body: string;
  created_at: Timestamp;
}

export interface SettingTable {
  key: string;
  /** JSON. */
  value: string;
  updated_at: Timestamp;
}

export const CHECK_IN_CHANNELS = ['meeting', 'call', 'video', 'email', 'event', 'other'] as const;
export type CheckInChannel = (typeof CHECK_IN_CHANNELS)[number];

export interface CadenceTable {
  id: string;
  client_id: string;
  /** null: the client's own cadence; else one key contact's. */
  contact_id: string | null;
  ideal_days: number;
  max_days: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CheckInTable {
  id: string;
  client_id: string;
  contact_id: string | null;
  held_on: string;
  channel: CheckInChannel;
  held_by: string | null;
  likes: string | null;
  one_thing_better: string | null;
  notes: string | null;
  recovery_for_insight_id: string | null;
  recovery_fixed: Bool | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const PROBLEM_STATUSES = ['open', 'investigating', 'resolved', 'closed'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export interface ProblemTable {
  id: string;
  client_id: string;
  title: string;
  description: string | null;
  reported_on: string;
  reported_by_contact_id: string | null;
  recorded_by: string | null;
  owner_id: string | null;
  matter_id: string | null;
  status: ProblemStatus;
  resolution: string | null;
  resolved_on: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const REFERRAL_OUTCOMES = ['pending', 'won', 'lost', 'no_fit'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

export interface ReferralTable {
  id: string;
  referrer_client_id: string;
  referred_by_contact_id: string | null;
  prospect_client_id: string | null;
  prospect_name: string;
  referred_on: string;
  outcome: ReferralOutcome;
  outcome_on: string | null;
  notes: string | null;
  recorded_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const RECOVERY_CHECK_STATUSES = ['scheduled', 'done', 'cancelled'] as const;
export type RecoveryCheckStatus = (typeof RECOVERY_CHECK_STATUSES)[number];

/** Asks the client whether a concern is fixed once every action born from it is closed. */
export interface RecoveryCheckTable {
  id: string;
  insight_id: string;
  client_id: string;
  owner_id: string | null;
  due_on: string;
  status: RecoveryCheckStatus;
  /** The check-in that asked; its date is when the client answered. */
  check_in_id: string | null;
  fixed: Bool | null;
  answer: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string | null;
  /** The web app path it opens. */
  link: string;
  client_id: string | null;
  entity: string | null;
  entity_id: string | null;
  created_at: Timestamp;
  read_at: Timestamp | null;
}

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface EmailOutboxTable {
  id: string;
  user_id: string | null;
  kind: string;
  period_key: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  status: OutboxStatus;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: Timestamp;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export const PREFERENCE_SOURCES = ['session', 'check_in', 'person', 'other'] as const;
export type PreferenceSource = (typeof PREFERENCE_SOURCES)[number];
export const PREFERENCE_CHANGES = ['created', 'updated', 'confirmed', 'archived', 'restored'] as const;
export type PreferenceChange = (typeof PREFERENCE_CHANGES)[number];

export interface PreferenceTable {
  id: string;
  client_id: string;
  /** null: the client as a whole; else one contact's preference. */
  contact_id: string | null;
  /** A PreferenceCategory (src/preferences/rules.ts). */
  category: string;
  /** The client's own words. */
  statement: string;
  /** JSON PreferenceRule, or null for a statement only. */
  rule: string | null;
  source: PreferenceSource;
  session_id: string | null;
  check_in_id: string | null;
  source_person: string | null;
  learned_on: string;
  last_confirmed_on: string;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Increases on every change; edits name the version they were based on. */
  version: number;
  archived: Bool;
}

export interface PreferenceHistoryTable {
  id: string;
  preference_id: string;
  changed_by: string | null;
  changed_at: Timestamp;
  change: PreferenceChange;
  /** JSON snapshots. */
  before: string | null;
  after: string | null;
}

export interface CalendarFeedTokenTable {
  id: string;
  user_id: string;
  token_hash: string;
  prefix: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export const SEARCH_KINDS = ['insight', 'session_note', 'remark', 'check_in', 'problem', 'action'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** Derived: one row per searchable record, kept by triggers (migration 0006), never backed up. */
export interface SearchEntryTable {
  id: Generated<number>;
  kind: SearchKind;
  entity_id: string;
  client_id: string;
  session_id: string | null;
  insight_type: InsightType | null;
  heading: string | null;
  title: string | null;
  body: string | null;
  occurred_on: string;
  updated_at: Timestamp;
}

/** One client's health score on one day (src/analytics/health-snapshots.ts). */
export interface HealthSnapshotTable {
  id: string;
  client_id: string;
  taken_on: string;
  score: number;
  /** healthy | watch | at_risk */
  band: string;
  /** JSON array of the reasons ({kind, points, count, text, ids}). */
  reasons: string;
  created_at: Timestamp;
}

/** A client whose cached analytics are out of date (marked by triggers; src/analytics/cache.ts). */
export interface AnalyticsDirtyTable {
  client_id: string;
  version: number;
}

/** What the analytics cache was computed under (src/analytics/cache.ts). */
export interface AnalyticsCacheStateTable {
  key: string;
  value: string;
}

/** Each client's health today, per view (src/analytics/health-cache.ts). */
export interface HealthCurrentTable {
  client_id: string;
  /** shared (no programme-only insights) | programme */
  view: string;
  score: number;
  band: string;
  /** JSON array of the reasons ({kind, points, count, text, ids}). */
  reasons: string;
  /** JSON array of the single-threaded warnings. */
  warnings: string;
}

/**
 * The counting rule applied: per client and quarter, each measure's latest answer, one column
 * per measure slot m0…m47 (src/analytics/nps-cache.ts maps measures to slots).
 */
export type NpsQuartersTable = {
  client_id: string;
  quarter: string;
  sessions: number;
} & { [slot: `m${number}`]: number | null };

/** The sessions whose answers nps_quarters holds (src/analytics/nps-cache.ts). */
export interface NpsQuarterSessionsTable {
  session_id: string;
  client_id: string;
  quarter: string;
  completed_at: Timestamp;
  /** Comma-separated measures this session's answer counts for (dimension keys bare). */
  counts_for: string;
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
  programmes: ProgrammeTable;
  programme_partners: ProgrammePartnerTable;
  nominations: NominationTable;
  nomination_events: NominationEventTable;
  interview_guides: InterviewGuideTable;
  guide_versions: GuideVersionTable;
  score_dimensions: ScoreDimensionTable;
  listening_sessions: ListeningSessionTable;
  session_contacts: SessionContactTable;
  session_attendees: SessionAttendeeTable;
  session_answers: SessionAnswerTable;
  session_scores: SessionScoreTable;
  session_remarks: SessionRemarkTable;
  themes: ThemeTable;
  insights: InsightTable;
  insight_themes: InsightThemeTable;
  actions: ActionTable;
  action_comments: ActionCommentTable;
  settings: SettingTable;
  cadences: CadenceTable;
  check_ins: CheckInTable;
  problems: ProblemTable;
  referrals: ReferralTable;
  recovery_checks: RecoveryCheckTable;
  notifications: NotificationTable;
  email_outbox: EmailOutboxTable;
  preferences: PreferenceTable;
  preference_history: PreferenceHistoryTable;
  calendar_feed_tokens: CalendarFeedTokenTable;
  search_entries: SearchEntryTable;
  health_snapshots: HealthSnapshotTable;
  analytics_dirty: AnalyticsDirtyTable;
  analytics_cache_state: AnalyticsCacheStateTable;
  health_current: HealthCurrentTable;
  nps_quarters: NpsQuartersTable;
  nps_quarter_sessions: NpsQuarterSessionsTable;
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
export type ProgrammeRow = Selectable<ProgrammeTable>;
export type NominationRow = Selectable<NominationTable>;
export type NominationEventRow = Selectable<NominationEventTable>;
export type InterviewGuideRow = Selectable<InterviewGuideTable>;
export type GuideVersionRow = Selectable<GuideVersionTable>;
export type ListeningSessionRow = Selectable<ListeningSessionTable>;
export type NewListeningSessionRow = Insertable<ListeningSessionTable>;
export type SessionRemarkRow = Selectable<SessionRemarkTable>;
export type SessionAnswerRow = Selectable<SessionAnswerTable>;
export type ThemeRow = Selectable<ThemeTable>;
export type InsightRow = Selectable<InsightTable>;
export type ActionRow = Selectable<ActionTable>;
export type ActionCommentRow = Selectable<ActionCommentTable>;
export type CheckInRow = Selectable<CheckInTable>;
export type ProblemRow = Selectable<ProblemTable>;
export type ReferralRow = Selectable<ReferralTable>;
export type CadenceRow = Selectable<CadenceTable>;
