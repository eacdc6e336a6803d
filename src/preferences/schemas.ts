import { z } from 'zod';
import { PREFERENCE_CHANGES, PREFERENCE_SOURCES } from '../db/schema.js';
import { booleanQuery, cursor, id, isoDate, limit, optionalText, ProblemSchema, pageOf, timestamp } from '../http/schema-helpers.js';
import { PREFERENCE_CATEGORIES, PreferenceRule } from './rules.js';

const person = z.object({ id, name: z.string() });

export const PreferenceCategorySchema = z
  .enum(PREFERENCE_CATEGORIES)
  .describe('naming, channel, meetings_platforms, reporting, billing, documents, hospitality, vendors_brands or other');
export const PreferenceSourceSchema = z.enum(PREFERENCE_SOURCES).describe('Where it was heard: session, check_in, person or other');

const statement = z.string().trim().min(1, 'is required').max(2000, 'must be at most 2000 characters');

export const PreferenceSchema = z
  .object({
    id,
    client: person,
    contact: person.nullable().describe('The contact it belongs to; null for the client as a whole'),
    category: PreferenceCategorySchema,
    statement: z.string().describe('The client’s own words'),
    rule: PreferenceRule.nullable().describe('The structured rule the checks apply; null for a statement only'),
    source: PreferenceSourceSchema,
    sessionId: id.nullable(),
    checkInId: id.nullable(),
    sourcePerson: z.string().nullable().describe('Who told us (for source person or other)'),
    learnedOn: isoDate,
    lastConfirmedOn: isoDate,
    stale: z.boolean().describe('Last confirmed longer ago than the stale age (setting preferences.stale_after_days): ask again'),
    archived: z.boolean(),
    version: z.number().int().describe('Send back as baseVersion when editing'),
    createdBy: person.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    abilities: z.object({ update: z.boolean() }),
  })
  .meta({ id: 'Preference' });
export type PreferenceView = z.infer<typeof PreferenceSchema>;

export const PreferencePage = pageOf(PreferenceSchema, 'PreferencePage');

/** The 409 for an edit made on a stale version: the stored preference, so the web can show both. */
export const PreferenceConflictProblem = ProblemSchema.extend({
  current: PreferenceSchema.optional().describe('With code edit_conflict: what is stored now; re-send with baseVersion = current.version'),
}).meta({ id: 'PreferenceConflictProblem' });

export const PreferenceCreateBody = z.object({
  clientId: id.describe('The client it belongs to'),
  contactId: id.nullish().describe('A contact of the client, when it is their preference'),
  category: PreferenceCategorySchema,
  statement: statement.describe('What the client said, in their words (required)'),
  rule: PreferenceRule.nullish().describe('Optional structured rule; its kind must suit the category'),
  source: PreferenceSourceSchema.default('person'),
  sessionId: id.nullish().describe('The listening session it was heard in (source session)'),
  checkInId: id.nullish().describe('The check-in it was heard in (source check_in)'),
  sourcePerson: optionalText(200).describe('Who told us'),
  learnedOn: isoDate.optional().describe('When it was learned (YYYY-MM-DD, not in the future; default today)'),
});
export type PreferenceCreateBody = z.infer<typeof PreferenceCreateBody>;

export const PreferenceUpdateBody = z.object({
  baseVersion: z.number().int().min(1).describe('The version the edit was made on; a newer stored one answers 409 edit_conflict'),
  contactId: id.nullish(),
  category: PreferenceCategorySchema.optional(),
  statement: statement.optional(),
  rule: PreferenceRule.nullish(),
  source: PreferenceSourceSchema.optional(),
  sessionId: id.nullish(),
  checkInId: id.nullish(),
  sourcePerson: optionalText(200),
  learnedOn: isoDate.optional(),
  lastConfirmedOn: isoDate.optional().describe('YYYY-MM-DD, not before learnedOn nor in the future'),
});
export type PreferenceUpdateBody = z.infer<typeof PreferenceUpdateBody>;

export const PreferenceListQuery = z.object({
  clientId: id.optional(),
  contactId: id.optional(),
  category: PreferenceCategorySchema.optional(),
  stale: booleanQuery.optional().describe('true: only preferences to ask again about (oldest confirmation first)'),
  archived: booleanQuery.optional().describe('true: only archived ones; default: only current ones'),
  limit,
  cursor,
});
export type PreferenceListQuery = z.infer<typeof PreferenceListQuery>;

export const PreferenceHistoryEntrySchema = z
  .object({
    id,
    change: z.enum(PREFERENCE_CHANGES),
    changedBy: person.nullable(),
    changedAt: timestamp,
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'PreferenceHistoryEntry' });
export type PreferenceHistoryEntry = z.infer<typeof PreferenceHistoryEntrySchema>;
export const PreferenceHistory = z.object({ items: z.array(PreferenceHistoryEntrySchema) }).meta({ id: 'PreferenceHistory' });

// ---------------------------------------------------------------- reports due and the feed

export const ReportDueSchema = z
  .object({
    uid: z.string().describe('Stable per report occurrence (the ICS UID)'),
    preferenceId: id,
    client: person,
    contact: person.nullable(),
    report: z.string(),
    statement: z.string(),
    dueOn: isoDate.describe('When the report must reach the client'),
    meetingOn: isoDate.describe('The meeting it feeds'),
  })
  .meta({ id: 'ReportDue' });
export type ReportDue = z.infer<typeof ReportDueSchema>;

export const ReportsDueQuery = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30).describe('How many days ahead, from today (1–366)'),
});
export const ReportsDueList = z.object({ from: isoDate, to: isoDate, items: z.array(ReportDueSchema) }).meta({ id: 'ReportsDueList' });

export const CalendarTokenStatus = z
  .object({
    active: z.boolean(),
    prefix: z.string().nullable().describe('The first characters of the active token'),
    createdAt: timestamp.nullable(),
  })
  .meta({ id: 'CalendarTokenStatus' });
export type CalendarTokenStatus = z.infer<typeof CalendarTokenStatus>;
export const CalendarTokenCreated = z
  .object({
    token: z.string().describe('The secret, shown once'),
    path: z.string().describe('The feed path to subscribe to (append to the server address)'),
    prefix: z.string(),
    createdAt: timestamp,
  })
  .meta({ id: 'CalendarTokenCreated' });

// ---------------------------------------------------------------- the client brief

const guidance = z.object({
  preferenceId: id,
  category: PreferenceCategorySchema,
  contact: person.nullable(),
  statement: z.string(),
  do: z.array(z.string()),
  dont: z.array(z.string()),
  stale: z.boolean(),
});
export const ClientBriefSchema = z
  .object({
    client: person,
    generatedAt: timestamp,
    contacts: z
      .array(
        z.object({
          id,
          name: z.string(),
          preferredName: z.string().nullable(),
          role: z.string().nullable(),
          jobTitle: z.string().nullable(),
          isDecisionMaker: z.boolean(),
        }),
      )
      .describe('Current contacts (those who left are not listed), decision makers first'),
    guidance: z
      .array(z.object({ category: PreferenceCategorySchema, label: z.string(), items: z.array(guidance) }))
      .describe('Do and don’t, by category, from current preferences'),
    feedback: z
      .array(
        z.object({
          id,
          type: z.string(),
          summary: z.string(),
          heardOn: isoDate,
          speaker: z.string().nullable().describe('Only for attributable feedback'),
        }),
      )
      .describe('Recent feedback: never programme-only, and never the speaker of non-attributable feedback'),
    openActions: z.array(z.object({ id, title: z.string(), owner: z.string(), dueOn: isoDate.nullable(), overdue: z.boolean() })),
    reportsDue: z.array(ReportDueSchema),
    lastCheckIn: z
      .object({ on: isoDate, kind: z.string(), by: z.string().nullable(), daysSince: z.number().nullable() })
      .nullable()
      .describe('The last interaction; null when none or not readable'),
  })
  .meta({ id: 'ClientBrief' });
export type ClientBrief = z.infer<typeof ClientBriefSchema>;
