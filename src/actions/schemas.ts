import { z } from 'zod';
import { ACTION_ORIGINS, ACTION_PRIORITIES, ACTION_STATUSES, INSIGHT_TYPES, SEVERITIES } from '../db/schema.js';
import { booleanQuery, cursor, id, isoDate, limit, name, optionalText, pageOf, timestamp } from '../http/schema-helpers.js';

export const ActionStatusSchema = z.enum(ACTION_STATUSES).describe('open, in_progress, done or wont_do');
export const ActionPrioritySchema = z.enum(ACTION_PRIORITIES).describe('low, normal, high or urgent');
export const ActionOriginSchema = z.enum(ACTION_ORIGINS).describe('Where the action was born: manual, insight, session, detractor or high_concern');
const person = z.object({ id, name: z.string() });

export const ActionSchema = z
  .object({
    id,
    client: person,
    title: z.string(),
    description: z.string().nullable(),
    owner: person,
    dueOn: z.string().nullable().describe('YYYY-MM-DD'),
    priority: ActionPrioritySchema,
    status: ActionStatusSchema,
    overdue: z.boolean().describe('Open or in progress with a due date before today (UTC)'),
    wontDoReason: z.string().nullable(),
    closureNote: z.string().nullable(),
    origin: ActionOriginSchema,
    insight: z
      .object({ id, summary: z.string(), type: z.enum(INSIGHT_TYPES), severity: z.enum(SEVERITIES) })
      .nullable()
      .describe('The insight it was born from; null when there is none or the reader may not see it'),
    session: z.object({ id, startsAt: z.string().nullable() }).nullable().describe('The listening session it was born from, when the reader may see it'),
    createdBy: person.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    lastActivityAt: timestamp,
    closedAt: timestamp.nullable(),
    escalatedAt: timestamp.nullable(),
    escalatedTo: person.nullable(),
    commentCount: z.number(),
    abilities: z.object({ update: z.boolean(), comment: z.boolean() }),
  })
  .meta({ id: 'Action' });
export type ActionView = z.infer<typeof ActionSchema>;

export const ActionPage = pageOf(ActionSchema, 'ActionPage');

const dueOn = isoDate.describe('Due date (YYYY-MM-DD)');

export const ActionCreateBody = z.object({
  clientId: id.describe('The client the action is for'),
  title: name(300).describe('What is to be done'),
  description: optionalText(5000).describe('More detail'),
  ownerId: id.describe('Who does it: an active internal user who may read the client'),
  dueOn: dueOn.nullish(),
  priority: ActionPrioritySchema.default('normal'),
  insightId: id.nullish().describe('The insight it answers (origin insight)'),
  sessionId: id.nullish().describe('The listening session it follows up (origin session)'),
});
export type ActionCreateBody = z.infer<typeof ActionCreateBody>;

export const ActionUpdateBody = z.object({
  title: name(300).optional(),
  description: optionalText(5000),
  ownerId: id.optional(),
  dueOn: dueOn.nullish(),
  priority: ActionPrioritySchema.optional(),
  status: ActionStatusSchema.optional(),
  closureNote: optionalText(5000).describe('What was done (when marking done)'),
  wontDoReason: optionalText(5000).describe('Why it will not be done: required with status wont_do'),
});
export type ActionUpdateBody = z.infer<typeof ActionUpdateBody>;

export const ActionListQuery = z.object({
  mine: booleanQuery.optional().describe('Only actions I own'),
  clientId: id.optional(),
  ownerId: id.optional(),
  status: z.string().max(200).optional().describe('Comma-separated statuses, e.g. open,in_progress'),
  overdue: booleanQuery.optional().describe('Only open or in-progress actions due before today (UTC)'),
  insightId: id.optional(),
  sessionId: id.optional(),
  sort: z.enum(['dueOn', 'updatedAt']).default('dueOn').describe('dueOn (earliest first, undated last) or updatedAt (latest first)'),
  limit,
  cursor,
  total: booleanQuery.optional().describe('Also count the matching actions'),
});
export type ActionListQuery = z.infer<typeof ActionListQuery>;

export const ActionCommentSchema = z
  .object({ id, actionId: id, author: person.nullable(), body: z.string(), createdAt: timestamp })
  .meta({ id: 'ActionComment' });
export type ActionComment = z.infer<typeof ActionCommentSchema>;
export const ActionCommentList = z.object({ items: z.array(ActionCommentSchema) }).meta({ id: 'ActionCommentList' });
export const ActionCommentBody = z.object({ body: name(5000).describe('The comment') });

export const UnactionedSchema = z
  .object({
    insightId: id,
    client: person,
    type: z.enum(INSIGHT_TYPES),
    summary: z.string(),
    severity: z.enum(SEVERITIES),
    heardOn: z.string().describe('YYYY-MM-DD'),
    daysWaiting: z.number().describe('Days since it was heard'),
  })
  .meta({ id: 'UnactionedFeedback' });
export type Unactioned = z.infer<typeof UnactionedSchema>;
export const UnactionedList = z
  .object({ items: z.array(UnactionedSchema), afterDays: z.number().describe('The configured number of days') })
  .meta({ id: 'UnactionedFeedbackList' });

const loopSettingsFields = {
  unactionedAfterDays: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(365, 'must be at most 365')
    .describe('Concerns and risks with no action after this many days are unactioned (1–365)'),
  escalateAfterDays: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(365, 'must be at most 365')
    .describe('Open actions untouched for this many days escalate to the programme lead (1–365)'),
  autoActionOnDetractor: z.boolean().describe('Raise an action for the relationship partner on every NPS 0–6'),
  autoActionOnHighConcern: z.boolean().describe('Raise an action for the relationship partner on every high-severity concern'),
  autoActionDueDays: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(90, 'must be at most 90')
    .describe('Days until an automatically raised action is due (1–90)'),
  recoveryAfterDays: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(180, 'must be at most 180')
    .describe('Days after the last action on a concern closes before the client is asked whether it is fixed (1–180)'),
};
export const LoopSettingsSchema = z.object(loopSettingsFields).meta({ id: 'LoopSettings' });
export type LoopSettings = z.infer<typeof LoopSettingsSchema>;
export const LoopSettingsBody = z.object(loopSettingsFields);
