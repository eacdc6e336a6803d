import { z } from 'zod';
import { ActionPrioritySchema } from '../actions/schemas.js';
import { CHECK_IN_CHANNELS } from '../db/schema.js';
import { booleanQuery, cursor, id, isoDate, limit, name, optionalText, pageOf, timestamp } from '../http/schema-helpers.js';
import { InsightTypeSchema, SeveritySchema } from '../insights/schemas.js';

const person = z.object({ id, name: z.string() });

export const CheckInChannelSchema = z.enum(CHECK_IN_CHANNELS).describe('meeting, call, video, email, event or other');

export const CheckInSchema = z
  .object({
    id,
    client: person,
    contact: person.nullable(),
    heldOn: isoDate,
    channel: CheckInChannelSchema,
    heldBy: person.nullable().describe('Who had the conversation (who logged it)'),
    likes: z.string().nullable().describe('What do they like?'),
    oneThingBetter: z.string().nullable().describe('If one thing could be better, what would it be?'),
    notes: z.string().nullable(),
    recovery: z
      .object({ insightId: id, fixed: z.boolean() })
      .nullable()
      .describe('When it asked the client whether a concern is fixed: the concern and the answer'),
    abilities: z.object({ edit: z.boolean(), delete: z.boolean() }).describe('What the caller may do on it'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'CheckIn' });
export type CheckIn = z.infer<typeof CheckInSchema>;

export const CheckInPage = pageOf(CheckInSchema, 'CheckInPage');

const answer = (what: string) => optionalText(5000).describe(what);

export const CheckInCreateBody = z
  .strictObject({
    clientId: id,
    contactId: id.nullish().describe('Who it was with (a contact of the client)'),
    heldOn: isoDate.describe('When it happened (not in the future)'),
    channel: CheckInChannelSchema,
    likes: answer('What do they like?'),
    oneThingBetter: answer('If one thing could be better, what would it be?'),
    notes: answer('Anything else worth keeping'),
    recoveryForInsightId: id.optional().describe('A concern of this client with a recovery check waiting: this check-in asked the client whether it is fixed'),
    recoveryFixed: z.boolean().optional().describe('The answer: is it fixed now? Required with recoveryForInsightId'),
    recoveryAnswer: answer('What the client said about it'),
  })
  .refine((b) => !b.recoveryForInsightId || b.recoveryFixed !== undefined, { path: ['recoveryFixed'], message: 'is required when answering a recovery check' })
  .refine((b) => b.recoveryForInsightId || (b.recoveryFixed === undefined && !b.recoveryAnswer), {
    path: ['recoveryForInsightId'],
    message: 'is required with recoveryFixed or recoveryAnswer',
  });
export type CheckInCreateBody = z.infer<typeof CheckInCreateBody>;

export const CheckInUpdateBody = z.strictObject({
  contactId: id.nullish(),
  heldOn: isoDate.optional(),
  channel: CheckInChannelSchema.optional(),
  likes: answer('What do they like?'),
  oneThingBetter: answer('If one thing could be better, what would it be?'),
  notes: answer('Anything else worth keeping'),
});
export type CheckInUpdateBody = z.infer<typeof CheckInUpdateBody>;

export const CheckInListQuery = z.strictObject({
  clientId: id.optional(),
  contactId: id.optional(),
  heldBy: id.optional().describe('A user id'),
  from: isoDate.optional().describe('Held on or after'),
  to: isoDate.optional().describe('Held on or before'),
  cursor,
  limit,
  total: booleanQuery.optional().describe('true: also count the matching check-ins'),
});
export type CheckInListQuery = z.infer<typeof CheckInListQuery>;

// ---------------------------------------------------------------- cadence

const days = (what: string) =>
  z
    .number({ error: 'must be a whole number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(730, 'must be at most 730')
    .describe(what);

export const CadenceSourceSchema = z
  .enum(['contact', 'client', 'default'])
  .describe("Where the figures come from: the contact's own, the client's own, or the firm's default");

export const CadenceSchema = z
  .object({
    clientId: id,
    isKeyClient: z.boolean(),
    idealDays: z.number(),
    maxDays: z.number(),
    source: CadenceSourceSchema,
    contacts: z
      .array(z.object({ contact: person, idealDays: z.number(), maxDays: z.number(), source: CadenceSourceSchema }))
      .describe('Key contacts (decision makers who have not left)'),
    abilities: z.object({ edit: z.boolean() }),
  })
  .meta({ id: 'Cadence' });
export type Cadence = z.infer<typeof CadenceSchema>;

const rule = { idealDays: days('Ideal days between interactions'), maxDays: days('Most days between interactions before it turns red') };

export const CadencePutBody = z
  .strictObject({
    ...rule,
    contacts: z
      .array(
        z.strictObject({ contactId: id, ...rule }).refine((c) => c.idealDays <= c.maxDays, { path: ['maxDays'], message: 'must be at least the ideal days' }),
      )
      .max(200)
      .optional()
      .describe('Key contacts with their own cadence; those left out follow the client'),
  })
  .refine((c) => c.idealDays <= c.maxDays, { path: ['maxDays'], message: 'must be at least the ideal days' });
export type CadencePutBody = z.infer<typeof CadencePutBody>;

const ruleBody = z.strictObject(rule).refine((c) => c.idealDays <= c.maxDays, { path: ['maxDays'], message: 'must be at least the ideal days' });

export const CadenceDefaultsSchema = z
  .object({
    keyClient: z.object({ idealDays: z.number(), maxDays: z.number() }).describe('Key clients'),
    otherClient: z.object({ idealDays: z.number(), maxDays: z.number() }).describe('Every other client'),
  })
  .meta({ id: 'CadenceDefaults' });
export type CadenceDefaults = z.infer<typeof CadenceDefaultsSchema>;

export const CadenceDefaultsBody = z.strictObject({
  keyClient: ruleBody.describe('Key clients: ideal and most days between interactions'),
  otherClient: ruleBody.describe('Every other client: ideal and most days between interactions'),
});
export type CadenceDefaultsBody = z.infer<typeof CadenceDefaultsBody>;

// ---------------------------------------------------------------- last interaction, losing touch

export const InteractionKindSchema = z
  .enum(['check_in', 'meeting', 'session', 'problem'])
  .describe('check_in, meeting (meeting notes), session (a held listening session) or problem (one reported)');
export const CadenceStatusSchema = z.enum(['green', 'amber', 'red']).describe('green within the ideal days, amber up to the maximum, red past it or never');

export const InteractionSchema = z.object({
  on: isoDate,
  kind: InteractionKindSchema,
  by: person.nullable().describe('Who had it: who held the check-in, interviewed, or recorded the problem'),
});

const standing = {
  idealDays: z.number(),
  maxDays: z.number(),
  last: InteractionSchema.nullable().describe('null when there has never been one'),
  daysSince: z.number().nullable(),
  status: CadenceStatusSchema,
};

export const ContactStandingSchema = z.object({ contact: person, ...standing });

export const LastInteractionSchema = z
  .object({ client: person, isKeyClient: z.boolean(), ...standing, contacts: z.array(ContactStandingSchema).describe('Key contacts') })
  .meta({ id: 'LastInteraction' });
export type LastInteraction = z.infer<typeof LastInteractionSchema>;

export const DueItemSchema = z
  .object({ client: person, isKeyClient: z.boolean(), contact: person.nullable().describe('null: the client as a whole; else one key contact'), ...standing })
  .meta({ id: 'DueItem' });
export type DueItem = z.infer<typeof DueItemSchema>;

export const DueList = z
  .object({
    items: z.array(DueItemSchema),
    scope: z.enum(['mine', 'all']).describe('mine: clients on whose team the caller is; all: every client they may see'),
  })
  .meta({ id: 'DueList' });

export const DueQuery = z.strictObject({
  all: booleanQuery.optional().describe('true (programme leads and management): every client, not only those on whose team you are'),
});

// ---------------------------------------------------------------- one step to an insight or action

export const CheckInInsightBody = z.strictObject({
  field: z.enum(['likes', 'oneThingBetter', 'notes']).describe('The answer that becomes the insight summary'),
  type: InsightTypeSchema,
  themeIds: z.array(id).min(1, 'choose at least one theme').max(20, 'at most 20 themes'),
  severity: SeveritySchema.optional(),
});
export type CheckInInsightBody = z.infer<typeof CheckInInsightBody>;

export const CheckInActionBody = z.strictObject({
  title: name(300).describe('What is to be done'),
  description: optionalText(5000),
  ownerId: id,
  dueOn: isoDate.nullish(),
  priority: ActionPrioritySchema.optional(),
});
export type CheckInActionBody = z.infer<typeof CheckInActionBody>;
