import { z } from 'zod';
import { CONFIDENTIALITY, SESSION_FORMATS, SESSION_STATUSES } from '../db/schema.js';
import { booleanQuery, cursor, id, isoDate, limit, name, optionalText, ProblemSchema, pageOf, timestamp } from '../http/schema-helpers.js';

/** API shapes of listening sessions: planning, status, capture (answers, scores, remarks). */

export const SessionStatusSchema = z
  .enum(SESSION_STATUSES)
  .describe('planned → scheduled → completed → summary_drafted → summary_reviewed → summary_shared, or cancelled');
export const SessionFormatSchema = z.enum(SESSION_FORMATS).describe('in_person (needs location), video (needs videoPlatform) or phone');
export const ConfidentialitySchema = z
  .enum(CONFIDENTIALITY)
  .describe(
    'attributable: shown with who said it; non_attributable: shown without the speaker to everyone but programme leads and the interviewer; programme_only: seen by programme leads and the interviewer alone',
  );

const person = z.object({ id, name: z.string() });
const startsAt = z.iso
  .datetime({ error: 'must be an ISO-8601 UTC time such as 2026-03-01T09:30:00Z' })
  .transform((v) => new Date(v).toISOString())
  .describe('When the session starts, ISO-8601 UTC (ending in Z)');
const durationMinutes = z
  .number({ error: 'must be a number of minutes' })
  .int('must be a whole number of minutes')
  .min(15, 'must be at least 15 minutes')
  .max(480, 'must be at most 480 minutes (8 hours)')
  .describe('Planned length in minutes, 15–480');
const videoLink = z
  .string()
  .trim()
  .max(2000)
  .transform((v) => (v === '' ? null : v))
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) link' }).nullable())
  .nullish()
  .describe('The meeting link for a video session (goes in the invite as its location)');
const overrideReason = z
  .string()
  .max(2000, 'must be at most 2000 characters')
  .describe(
    'Why an interviewer on the client’s own relationship team should run this session anyway. Only programme leads may override; the reason is recorded on the session and in the audit log.',
  );
const idList = (what: string) => z.array(id).max(50, 'at most 50').describe(what);

const planFields = {
  objective: name(2000).describe('What the firm wants to learn from this session'),
  expectations: optionalText(5000).describe('What this session can and cannot achieve, agreed before it takes place'),
  agenda: optionalText(5000),
  contactIds: idList('Client stakeholders taking part: contacts of the session’s client'),
  attendeeIds: idList('Firm people attending besides the interviewer (users)'),
  interviewerId: id.describe('Who runs the interview: an active user who is not on the client’s relationship team (unless overridden)'),
  independenceOverrideReason: overrideReason,
  format: SessionFormatSchema,
  location: optionalText(500).describe('Where an in-person session takes place (required for in_person)'),
  videoPlatform: optionalText(100).describe('Teams, Zoom, … (required for video)'),
  videoLink,
  startsAt,
  durationMinutes,
  guideId: id.describe('The interview guide; the session keeps the guide’s latest version at planning time'),
};

export const SessionCreateBody = z.strictObject({
  clientId: id.describe('The client being listened to'),
  programmeId: id.nullish().describe('The listening programme this session counts towards (if any)'),
  nominationId: id.nullish().describe('The accepted nomination this session comes from (sets the programme)'),
  ...planFields,
  contactIds: planFields.contactIds.default([]),
  attendeeIds: planFields.attendeeIds.default([]),
  independenceOverrideReason: overrideReason.optional(),
  startsAt: startsAt.nullish(),
  durationMinutes: durationMinutes.default(60),
  guideId: planFields.guideId.optional().describe('The interview guide; defaults to the default guide. The session keeps its latest version.'),
});
export type SessionCreateBody = z.infer<typeof SessionCreateBody>;
/** What createSession takes: the parsed body, with the defaulted fields optional for callers in code. */
export type SessionCreateInput = Omit<SessionCreateBody, 'contactIds' | 'attendeeIds' | 'durationMinutes'> &
  Partial<Pick<SessionCreateBody, 'contactIds' | 'attendeeIds' | 'durationMinutes'>>;

export const SessionUpdateBody = z.strictObject({
  programmeId: id.nullish(),
  objective: planFields.objective.optional(),
  expectations: planFields.expectations,
  agenda: planFields.agenda,
  contactIds: planFields.contactIds.optional().describe('The whole list of stakeholders; replaces the current one'),
  attendeeIds: planFields.attendeeIds.optional().describe('The whole list of firm attendees; replaces the current one'),
  interviewerId: planFields.interviewerId.optional(),
  independenceOverrideReason: overrideReason
    .optional()
    .describe('Needed with a new interviewer who is on the client’s relationship team (programme leads only)'),
  format: planFields.format.optional(),
  location: planFields.location,
  videoPlatform: planFields.videoPlatform,
  videoLink: planFields.videoLink,
  startsAt: startsAt.nullish().describe('When the session starts (ISO-8601 UTC); null un-dates a planned session'),
  durationMinutes: durationMinutes.optional(),
  guideId: planFields.guideId.optional().describe('Switch to another guide (its latest version); refused once notes were taken'),
});
export type SessionUpdateBody = z.infer<typeof SessionUpdateBody>;

export const SessionStatusBody = z.strictObject({
  status: SessionStatusSchema.describe(
    'The status to move to: scheduled (needs startsAt), completed or cancelled (needs reason). The summary_* statuses are set by the /summary endpoints.',
  ),
  reason: z.string().trim().max(2000).optional().describe('Why the session is cancelled (required for cancelled)'),
});
export type SessionStatusBody = z.infer<typeof SessionStatusBody>;

export const SessionListQuery = z.strictObject({
  clientId: id.optional(),
  programmeId: id.optional(),
  status: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) {
        return undefined;
      }
      const parts = v.split(',').map((s) => s.trim());
      for (const p of parts) {
        if (!(SESSION_STATUSES as readonly string[]).includes(p)) {
          ctx.addIssue({ code: 'custom', message: `"${p}" is not one of ${SESSION_STATUSES.join(', ')}` });
          return z.NEVER;
        }
      }
      return parts as (typeof SESSION_STATUSES)[number][];
    })
    .describe('One status or several, comma-separated'),
  interviewerId: id.optional(),
  q: z.string().trim().max(200).optional().describe('Only sessions whose client’s name contains this text (case-insensitive)'),
  mine: booleanQuery.optional().describe('Only sessions the caller interviews or attends'),
  from: isoDate.optional().describe('Sessions starting on or after this date (UTC)'),
  to: isoDate.optional().describe('Sessions starting on or before this date (UTC)'),
  order: z.enum(['asc', 'desc']).default('asc').describe('By start time; sessions without a date sort after all dated ones in asc order'),
  total: booleanQuery.optional().describe('Also count all matching sessions'),
  cursor,
  limit,
});
export type SessionListQuery = z.infer<typeof SessionListQuery>;

export const SessionAbilitiesSchema = z
  .object({
    update: z.boolean().describe('Change the plan (while planned or scheduled)'),
    capture: z.boolean().describe('Write notes, scores and remarks'),
    cancel: z.boolean(),
    review: z.boolean().describe('Approve the summary'),
    share: z.boolean().describe('Mark the summary shared with the client'),
    overrideIndependence: z.boolean().describe('Let an interviewer from the client’s own team run it, with a reason'),
    downloadInvite: z.boolean().describe('The session has a date, so invite.ics can be produced'),
  })
  .describe('What the caller may do on this session, from the access policy')
  .meta({ id: 'SessionAbilities' });

export const SessionListItemSchema = z
  .object({
    id,
    status: SessionStatusSchema,
    client: person.describe('The client (always one the caller may see)'),
    programmeId: id.nullable(),
    programme: person.nullable().describe('The programme the session counts towards, with its name'),
    objective: z.string(),
    format: SessionFormatSchema,
    startsAt: timestamp.nullable(),
    durationMinutes: z.number(),
    interviewer: person,
    contactCount: z.number().describe('Client stakeholders taking part'),
    remarkCount: z.number().describe('Remarks the caller may read (programme-only remarks count only for those who may read them)'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'SessionListItem' });
export type SessionListItem = z.infer<typeof SessionListItemSchema>;
export const SessionPage = pageOf(SessionListItemSchema, 'SessionPage');

export const GuideQuestionSchema = z.object({ key: z.string(), text: z.string(), help: z.string().nullable() }).meta({ id: 'SessionGuideQuestion' });
export const GuideSectionSchema = z.object({ key: z.string(), title: z.string(), questions: z.array(GuideQuestionSchema) }).meta({ id: 'SessionGuideSection' });

export const AnswerSchema = z
  .object({
    questionKey: z.string(),
    notes: z.string(),
    version: z.number().describe('Send it back as baseVersion with the next edit'),
    updatedBy: person.nullable(),
    updatedAt: timestamp,
  })
  .meta({ id: 'SessionAnswer' });
export type Answer = z.infer<typeof AnswerSchema>;

export const DimensionScoreSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    active: z.boolean().describe('Inactive dimensions keep their past scores but take no new ones'),
    score: z.number().nullable().describe('1–5, or null when not scored'),
  })
  .meta({ id: 'SessionDimensionScore' });
export const ScoresSchema = z
  .object({
    nps: z.number().nullable().describe('Likelihood to recommend, 0–10'),
    satisfaction: z.number().nullable().describe('Overall satisfaction, 1–10'),
    dimensions: z.array(DimensionScoreSchema).describe('Every active dimension, plus inactive ones this session scored'),
  })
  .meta({ id: 'SessionScores' });
export type Scores = z.infer<typeof ScoresSchema>;

export const RemarkSchema = z
  .object({
    id,
    sessionId: id,
    text: z.string(),
    theme: z.string().nullable(),
    confidentiality: ConfidentialitySchema,
    speaker: z
      .object({ contactId: id, name: z.string() })
      .nullable()
      .describe('Who said it; null when not recorded, or when the remark is non-attributable and the caller may not know the speaker'),
    version: z.number().describe('Send it back as baseVersion with the next edit'),
    createdBy: person.nullable(),
    updatedBy: person.nullable().describe('Who last changed it'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'SessionRemark' });
export type Remark = z.infer<typeof RemarkSchema>;
export const RemarkList = z.object({ items: z.array(RemarkSchema) }).meta({ id: 'SessionRemarkList' });

export const SessionDetailSchema = z
  .object({
    id,
    status: SessionStatusSchema,
    client: z.object({ id, name: z.string(), status: z.string() }),
    programme: person.nullable(),
    nominationId: id.nullable(),
    objective: z.string(),
    expectations: z.string().nullable(),
    agenda: z.string().nullable(),
    interviewer: z.object({ id, name: z.string(), email: z.string(), role: z.string() }),
    independenceOverride: z
      .object({ reason: z.string(), by: person.nullable() })
      .nullable()
      .describe('Set when a programme lead let an interviewer from the client’s relationship team run the session'),
    format: SessionFormatSchema,
    location: z.string().nullable(),
    videoPlatform: z.string().nullable(),
    videoLink: z.string().nullable(),
    startsAt: timestamp.nullable(),
    endsAt: timestamp.nullable(),
    durationMinutes: z.number(),
    contacts: z.array(
      z.object({
        id,
        name: z.string(),
        jobTitle: z.string().nullable(),
        role: z.string().nullable(),
        email: z.string().nullable(),
        leftOn: z.string().nullable(),
      }),
    ),
    attendees: z.array(z.object({ id, name: z.string(), email: z.string(), title: z.string().nullable() })),
    guide: z
      .object({ guideId: id, name: z.string(), versionId: id, version: z.number(), sections: z.array(GuideSectionSchema) })
      .nullable()
      .describe('The guide version the session keeps, whatever later edits to the guide'),
    answers: z
      .array(AnswerSchema)
      .describe('Notes per question. Everyone who may read the session reads them: anything said in confidence belongs in a remark.'),
    scores: ScoresSchema,
    remarks: z.array(RemarkSchema).describe('The remarks the caller may read, speakers hidden where confidentiality requires'),
    seesConfidential: z.boolean().describe('Whether the caller sees programme-only remarks and every speaker'),
    cancelReason: z.string().nullable(),
    completedAt: timestamp.nullable(),
    icsSequence: z.number().describe('The invite’s SEQUENCE: goes up when time, place or attendees change'),
    nextStatuses: z.array(SessionStatusSchema).describe('Statuses POST /status accepts from here (summary statuses excluded)'),
    abilities: SessionAbilitiesSchema,
    createdBy: person.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'SessionDetail' });
export type SessionDetail = z.infer<typeof SessionDetailSchema>;

export const AnswerPutBody = z.strictObject({
  notes: z.string().max(50_000, 'must be at most 50,000 characters').describe('The whole notes for the question (empty clears them)'),
  baseVersion: z
    .number()
    .int()
    .min(0)
    .describe('The version these notes were based on (0 for a first save); a different stored version is an edit_conflict (409)'),
});
export type AnswerPutBody = z.infer<typeof AnswerPutBody>;

const score = (min: number, max: number) =>
  z
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be from ${min} to ${max}`)
    .max(max, `must be from ${min} to ${max}`)
    .nullable();
export const ScoresPutBody = z.strictObject({
  nps: score(0, 10).optional().describe('0–10; null clears; absent leaves it'),
  satisfaction: score(1, 10).optional().describe('1–10; null clears; absent leaves it'),
  dimensions: z
    .record(z.string().max(64), score(1, 5))
    .optional()
    .describe('Dimension key → 1–5 (null clears); keys from the active score dimensions. Dimensions not named are left as they are.'),
});
export type ScoresPutBody = z.infer<typeof ScoresPutBody>;

const remarkText = name(10_000).describe('What the client said');
const theme = optionalText(120).describe('A theme to group remarks in the summary (e.g. responsiveness)');
export const RemarkCreateBody = z.strictObject({
  id: z
    .uuid('must be a UUID')
    .optional()
    .describe('A UUID the client makes up, so that a create retried after a lost reply returns the remark already made instead of a second one'),
  text: remarkText,
  confidentiality: ConfidentialitySchema.default('attributable'),
  speakerContactId: id.nullish().describe('The contact who said it (a contact of the session’s client)'),
  theme,
});
export type RemarkCreateBody = z.input<typeof RemarkCreateBody>;
export const RemarkUpdateBody = z.strictObject({
  text: remarkText.optional(),
  confidentiality: ConfidentialitySchema.optional(),
  speakerContactId: id.nullish(),
  theme,
  baseVersion: z.number().int().min(1).describe('The version the edit was based on; a different stored version is an edit_conflict (409)'),
});
export type RemarkUpdateBody = z.infer<typeof RemarkUpdateBody>;

/** The 409 for an edit made on stale content: the server's current state, so the web can show both. */
export const EditConflictProblem = ProblemSchema.extend({
  current: z
    .object({
      notes: z.string().optional().describe('The stored notes (answers)'),
      text: z.string().optional().describe('The stored text (remarks)'),
      confidentiality: ConfidentialitySchema.optional(),
      theme: z.string().nullable().optional(),
      speakerContactId: z.string().nullable().optional(),
      version: z.number(),
      updatedBy: person.nullable(),
      updatedAt: timestamp,
    })
    .optional()
    .describe('With code edit_conflict: what is stored now; re-send with baseVersion = current.version to overwrite it'),
}).meta({ id: 'EditConflictProblem' });
