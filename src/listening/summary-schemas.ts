import { z } from 'zod';
import { SESSION_STATUSES } from '../db/schema.js';
import { id, isoDate, ProblemSchema, timestamp } from '../http/schema-helpers.js';

const person = z.object({ id, name: z.string() });

export const SHARE_CHANNELS = ['email', 'meeting', 'letter', 'portal', 'other'] as const;
export type ShareChannel = (typeof SHARE_CHANNELS)[number];

/**
 * The summary document a session produces for the client. It is written from shareable content
 * only (never a programme-only remark, never the speaker of a non-attributable one), so it may
 * be read by everyone who reads the session and sent to the client as it is.
 */
export const SummaryContentSchema = z
  .object({
    thanks: z.string().describe('The opening thank-you to the people interviewed'),
    heard: z.array(z.object({ theme: z.string(), points: z.array(z.string()) }).meta({ id: 'SummaryTheme' })).describe('What we heard, grouped by theme'),
    willDo: z.array(z.string()).describe('What the firm will do in response'),
    nextSteps: z.array(z.string()).describe('Next steps, with dates where known'),
  })
  .meta({ id: 'SummaryContent' });
export type SummaryContent = z.infer<typeof SummaryContentSchema>;

const point = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);

export const SummaryContentInput = z.strictObject({
  thanks: z.string().trim().max(5000, 'must be at most 5000 characters'),
  heard: z
    .array(
      z.strictObject({
        theme: point(200).describe('The theme’s heading'),
        points: z.array(point(5000)).max(100, 'must have at most 100 points'),
      }),
    )
    .max(50, 'must have at most 50 themes'),
  willDo: z.array(point(2000)).max(50, 'must have at most 50 items'),
  nextSteps: z.array(point(2000)).max(50, 'must have at most 50 items'),
});

export const SummaryAbilitiesSchema = z
  .object({
    draft: z.boolean().describe('May build (or rebuild) the draft from the captured content now'),
    edit: z.boolean().describe('May edit the summary now'),
    review: z.boolean().describe('May mark the summary reviewed now'),
    share: z.boolean().describe('May record that the summary was shared now'),
  })
  .describe('What the caller may do on the summary in its current state')
  .meta({ id: 'SummaryAbilities' });

export const SummaryViewSchema = z
  .object({
    sessionId: id,
    status: z.enum(SESSION_STATUSES),
    clientId: id,
    clientName: z.string(),
    sessionDate: z.string().nullable().describe('The day the session took place (YYYY-MM-DD, UTC)'),
    interviewer: person,
    summary: SummaryContentSchema.nullable().describe('Null until a draft is built or written'),
    version: z.number().int().describe('Increases on every change of the summary; send it back as baseVersion'),
    reviewedBy: person.nullable(),
    reviewedAt: timestamp.nullable(),
    sharedOn: z.string().nullable().describe('The date the summary was shared with the client'),
    sharedChannel: z.enum(SHARE_CHANNELS).nullable(),
    abilities: SummaryAbilitiesSchema,
  })
  .meta({ id: 'SessionSummary' });
export type SummaryView = z.infer<typeof SummaryViewSchema>;

const baseVersion = z.number().int().min(0).describe('The summary version the change was made on (from GET); a newer one means someone else saved first');

export const SummaryDraftBody = z.strictObject({
  baseVersion: baseVersion.optional().describe('When rebuilding an existing draft: the version being replaced, so that edits made since are not lost unseen'),
});
export type SummaryDraftBody = z.infer<typeof SummaryDraftBody>;

export const SummaryPutBody = z.strictObject({ summary: SummaryContentInput, baseVersion });
export type SummaryPutBody = z.infer<typeof SummaryPutBody>;

export const SummaryReviewBody = z.strictObject({
  baseVersion: baseVersion.optional().describe('The version the reviewer read; refused with 409 if it has changed since'),
});
export type SummaryReviewBody = z.infer<typeof SummaryReviewBody>;

export const SummaryShareBody = z.strictObject({
  sharedOn: isoDate.describe('The day it was sent or handed over (YYYY-MM-DD)'),
  channel: z.enum(SHARE_CHANNELS).describe('email, meeting, letter, portal or other'),
});
export type SummaryShareBody = z.infer<typeof SummaryShareBody>;

export const SummaryConflictSchema = ProblemSchema.extend({
  current: SummaryViewSchema.optional().describe('For edit_conflict: the summary as it now is, to compare with yours'),
}).meta({ id: 'SummaryConflict' });

export const SessionParams = z.object({ id });
