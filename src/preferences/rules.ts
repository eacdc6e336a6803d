import { z } from 'zod';

/**
 * A client preference is the statement in the client's own words plus, optionally, a structured
 * rule that the guardrail checks (invoice, message, plan) can apply. One rule shape per kind;
 * each category admits the kinds that make sense for it (`RULE_KINDS_BY_CATEGORY`).
 *
 * Pure: no I/O. The service stores the rule as JSON and validates it with `PreferenceRule`.
 */

export const PREFERENCE_CATEGORIES = [
  'naming',
  'channel',
  'meetings_platforms',
  'reporting',
  'billing',
  'documents',
  'hospitality',
  'vendors_brands',
  'other',
] as const;
export type PreferenceCategory = (typeof PREFERENCE_CATEGORIES)[number];

export const CHANNELS = ['email', 'phone', 'video', 'in_person', 'text_message', 'letter', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];

/** LOC timekeeper classes (two-letter codes since 2014); older files' words are mapped by the parser. */
export const TIMEKEEPER_CLASSES = ['PT', 'AS', 'OC', 'LA', 'OT', 'PL', 'LP', 'CS', 'LI'] as const;
export type TimekeeperClass = (typeof TIMEKEEPER_CLASSES)[number];

const text = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
const nonEmptyList = <T extends z.ZodType>(item: T, what: string) => z.array(item).min(1, `needs at least one ${what}`).max(100);

/** Meg for Megge: the name form to use, and the forms that must not be used. */
export const NamingRule = z.object({
  kind: z.literal('naming'),
  preferredName: text(200),
  avoid: z.array(text(200)).max(20).default([]),
});

/** Phone calls to someone in an open-plan office: channels to use and channels to avoid. */
export const ChannelRule = z.object({
  kind: z.literal('channel'),
  preferred: z.array(z.enum(CHANNELS)).max(CHANNELS.length).default([]),
  unwanted: z.array(z.enum(CHANNELS)).max(CHANNELS.length).default([]),
});

/** Zoom for Microsoft: the meeting platforms the client uses, and the ones not to use. */
export const MeetingPlatformRule = z.object({
  kind: z.literal('meeting_platform'),
  preferred: z.array(text(100)).max(20).default([]),
  avoid: z.array(text(100)).max(20).default([]),
});

export const Brand = z.object({
  name: text(100),
  /** Other names and products the brand goes by (Chevy for Chevrolet), matched case-insensitively. */
  aliases: z.array(text(100)).max(50).default([]),
});
/** The Chevy for the Ford client, Pepsi for Coca-Cola, FedEx for UPS. */
export const AvoidBrandsRule = z.object({
  kind: z.literal('avoid_brands'),
  brands: nonEmptyList(Brand, 'brand'),
});

export const RateCap = z.object({
  timekeeperClass: z.enum(TIMEKEEPER_CLASSES),
  maxRate: z.number().positive('must be above 0'),
});
/** The client's billing guidelines, as an invoice check applies them. */
export const BillingRule = z.object({
  kind: z.literal('billing'),
  /** "Review of file": phrases the client will not pay for, matched case-insensitively. */
  disallowedPhrases: z.array(text(200)).max(200).default([]),
  /** Several tasks in one time entry with one total. */
  noBlockBilling: z.boolean().default(false),
  rateCaps: z.array(RateCap).max(TIMEKEEPER_CLASSES.length).default([]),
  /** The straggler bill: no entries dated more than N days after the matter closed. null: no limit. */
  lateEntryGraceDays: z.number().int().min(0).max(3650).nullable().default(null),
  /** Invoices split by the client's own project or cost-centre code (CLIENT_MATTER_ID in LEDES). */
  splitByProjectCode: z.boolean().default(false),
  /** The bookkeeper who must not see private work: summary descriptions; or detailed ones. */
  descriptionDetail: z.enum(['summary', 'detailed']).nullable().default(null),
  /** Whether fee lines must carry UTBMS task and activity codes. */
  requireUtbmsCodes: z.boolean().default(false),
  /**
   * Vague entries ("work on matter", "attention to file") are not paid. Optional (added for the invoice
   * check): when absent, the check still reports vague entries, as warnings without a preference.
   */
  noVagueDescriptions: z.boolean().optional(),
});

/** The litigation update due N days before each monthly board meeting. */
export const ReportingScheduleRule = z.object({
  kind: z.literal('reporting_schedule'),
  report: text(200),
  /** When the meeting the report feeds falls: a day of the month, or the nth weekday. */
  anchor: z.discriminatedUnion('type', [
    z.object({ type: z.literal('day_of_month'), day: z.number().int().min(1).max(31) }),
    z.object({
      type: z.literal('nth_weekday'),
      /** 1–4, or -1 for the last. */
      nth: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(-1)]),
      /** ISO weekday, 1 = Monday. */
      weekday: z.number().int().min(1).max(7),
    }),
  ]),
  leadDays: z.number().int().min(0).max(60),
});

/** The monthly report nobody wanted. */
export const UnwantedReportRule = z.object({
  kind: z.literal('unwanted_report'),
  report: text(200),
  /** Words that identify such a report in a subject or body ("status report", "pipeline"). */
  keywords: nonEmptyList(text(100), 'keyword'),
});

/** The bookkeeper who must not see private matters: a contact who must not receive certain work. */
export const RestrictedRecipientRule = z.object({
  kind: z.literal('restricted_recipient'),
  contactId: z.string().min(1),
  /** Words that mark the work they must not see (a matter name, "personal", "estate"). */
  keywords: nonEmptyList(text(100), 'keyword'),
});

export const PreferenceRule = z.discriminatedUnion('kind', [
  NamingRule,
  ChannelRule,
  MeetingPlatformRule,
  AvoidBrandsRule,
  BillingRule,
  ReportingScheduleRule,
  UnwantedReportRule,
  RestrictedRecipientRule,
]);
export type PreferenceRule = z.infer<typeof PreferenceRule>;
export type RuleKind = PreferenceRule['kind'];
export type BillingRule = z.infer<typeof BillingRule>;
export type AvoidBrandsRule = z.infer<typeof AvoidBrandsRule>;
export type ReportingScheduleRule = z.infer<typeof ReportingScheduleRule>;

export const RULE_KINDS_BY_CATEGORY: Record<PreferenceCategory, readonly RuleKind[]> = {
  naming: ['naming'],
  channel: ['channel'],
  meetings_platforms: ['meeting_platform'],
  reporting: ['reporting_schedule', 'unwanted_report'],
  billing: ['billing'],
  documents: ['restricted_recipient'],
  hospitality: ['avoid_brands'],
  vendors_brands: ['avoid_brands', 'meeting_platform'],
  other: [],
};

/** A preference as the guardrail checks need it: where it applies and why, and its rule. */
export interface RuleSource {
  preferenceId: string;
  /** The client's words, quoted in every finding that the rule produces. */
  statement: string;
  category: PreferenceCategory;
  clientId: string;
  /** Set when the preference belongs to one contact rather than the whole client. */
  contactId: string | null;
  rule: PreferenceRule;
}
