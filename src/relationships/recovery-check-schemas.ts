import { z } from 'zod';
import { RECOVERY_CHECK_STATUSES } from '../db/schema.js';
import { booleanQuery, cursor, id, isoDate, limit, pageOf, timestamp } from '../http/schema-helpers.js';
import { InsightTypeSchema, SeveritySchema } from '../insights/schemas.js';

const person = z.object({ id, name: z.string() });

export const RecoveryCheckStatusSchema = z
  .enum(RECOVERY_CHECK_STATUSES)
  .describe('scheduled (waiting to be asked), done (the client answered in a check-in) or cancelled (an action on the concern was reopened)');

export const RecoveryCheckSchema = z
  .object({
    id,
    client: person,
    insight: z
      .object({ id, type: InsightTypeSchema, severity: SeveritySchema, summary: z.string(), quote: z.string().nullable(), heardOn: isoDate })
      .describe('The concern the client is asked about'),
    owner: person.nullable().describe('Who should ask: the relationship partner, else whoever closed the last action'),
    dueOn: isoDate.describe('When to ask'),
    status: RecoveryCheckStatusSchema,
    overdue: z.boolean().describe('Scheduled and due before today (UTC)'),
    fixed: z.boolean().nullable().describe("The client's answer: is it fixed now? null until answered"),
    answer: z.string().nullable().describe('What the client said'),
    checkIn: z.object({ id, heldOn: isoDate }).nullable().describe('The check-in that asked'),
    createdAt: timestamp,
    closedAt: timestamp.nullable().describe('When it was answered or cancelled'),
    abilities: z.object({ answer: z.boolean().describe('Whether the caller may record the answer (log the check-in)') }),
  })
  .meta({ id: 'RecoveryCheck' });
export type RecoveryCheck = z.infer<typeof RecoveryCheckSchema>;

export const RecoveryCheckPage = pageOf(RecoveryCheckSchema, 'RecoveryCheckPage');

export const RecoveryCheckListQuery = z.strictObject({
  status: RecoveryCheckStatusSchema.optional().describe('Default: scheduled'),
  due: booleanQuery.optional().describe('true: scheduled and due today or earlier'),
  overdue: booleanQuery.optional().describe('true: scheduled and due before today'),
  mine: booleanQuery.optional().describe('true: those you should ask'),
  clientId: id.optional(),
  insightId: id.optional(),
  cursor,
  limit,
  total: booleanQuery.optional().describe('true: also count the matching checks'),
});
export type RecoveryCheckListQuery = z.infer<typeof RecoveryCheckListQuery>;
