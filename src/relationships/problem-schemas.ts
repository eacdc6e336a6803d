import { z } from 'zod';
import { ACTION_PRIORITIES, ACTION_STATUSES, PROBLEM_STATUSES, REFERRAL_OUTCOMES } from '../db/schema.js';
import { booleanQuery, cursor, id, isoDate, limit, name, optionalText, pageOf, timestamp } from '../http/schema-helpers.js';

const person = z.object({ id, name: z.string() });

// ---------------------------------------------------------------- problems

export const ProblemStatusSchema = z
  .enum(PROBLEM_STATUSES)
  .describe('open → investigating → resolved (needs a resolution) → closed; resolved or closed reopen to open');

export const ProblemSchema = z
  .object({
    id,
    client: person,
    title: z.string(),
    description: z.string().nullable(),
    reportedOn: z.string().describe('YYYY-MM-DD'),
    reportedBy: person.nullable().describe('The client contact who reported it'),
    recordedBy: person.nullable(),
    owner: person.nullable(),
    matter: z.object({ id, name: z.string() }).nullable(),
    status: ProblemStatusSchema,
    resolution: z.string().nullable(),
    resolvedOn: z.string().nullable().describe('YYYY-MM-DD'),
    daysToResolution: z.number().nullable().describe('Days from reported to resolved; null while unresolved'),
    daysOpen: z.number().describe('Days from reported to resolved, or to today while unresolved'),
    actions: z
      .array(z.object({ id, title: z.string(), status: z.enum(ACTION_STATUSES), owner: person, dueOn: z.string().nullable() }))
      .describe('Actions linked to the problem'),
    createdAt: timestamp,
    updatedAt: timestamp,
    abilities: z.object({ update: z.boolean(), delete: z.boolean() }),
  })
  .meta({ id: 'ClientProblem' });
export type ProblemView = z.infer<typeof ProblemSchema>;

export const ProblemPage = pageOf(ProblemSchema, 'ClientProblemPage');

export const ProblemCreateBody = z.object({
  clientId: id.describe('The client it happened to'),
  title: name(300).describe('What went wrong'),
  description: optionalText(5000).describe('More detail'),
  reportedOn: isoDate.describe('When it was reported (YYYY-MM-DD, not in the future)'),
  reportedByContactId: id.nullish().describe('The contact of the client who reported it'),
  ownerId: id.nullish().describe('Who owns its resolution: an active internal user who may see the client'),
  matterId: id.nullish().describe('A matter of the client it concerns'),
});
export type ProblemCreateBody = z.infer<typeof ProblemCreateBody>;

export const ProblemUpdateBody = z.object({
  title: name(300).optional(),
  description: optionalText(5000),
  reportedOn: isoDate.optional().describe('YYYY-MM-DD, not in the future'),
  reportedByContactId: id.nullish(),
  ownerId: id.nullish(),
  matterId: id.nullish(),
  status: ProblemStatusSchema.optional(),
  resolution: optionalText(5000).describe('How it was resolved: required to resolve'),
  resolvedOn: isoDate.optional().describe('When it was resolved (default today)'),
});
export type ProblemUpdateBody = z.infer<typeof ProblemUpdateBody>;

export const ProblemListQuery = z.object({
  clientId: id.optional(),
  status: z.enum(PROBLEM_STATUSES).optional(),
  ownerId: id.optional(),
  mine: booleanQuery.optional().describe('Only problems I own'),
  limit,
  cursor,
  total: booleanQuery.optional().describe('true: also count the matching problems'),
});
export type ProblemListQuery = z.infer<typeof ProblemListQuery>;

export const ProblemActionBody = z.object({
  title: name(300).describe('What is to be done'),
  ownerId: id.describe('Who does it: an active internal user who may read the client'),
  dueOn: isoDate.nullish().describe('Due date (YYYY-MM-DD)'),
  priority: z.enum(ACTION_PRIORITIES).default('normal').describe('low, normal, high or urgent'),
});
export type ProblemActionBody = z.infer<typeof ProblemActionBody>;

// ---------------------------------------------------------------- referrals

export const ReferralOutcomeSchema = z.enum(REFERRAL_OUTCOMES).describe('pending, won, lost or no_fit');

export const ReferralSchema = z
  .object({
    id,
    referrer: person.describe('The client who made the referral'),
    referredBy: person.nullable().describe('The contact of the referrer who made it'),
    prospectClient: person.nullable().describe('The prospect as a client record; null when there is none or the reader may not see that client (walls)'),
    prospectName: z.string().nullable().describe('The prospect’s name; null when it is a client the reader may not see'),
    referredOn: z.string().describe('YYYY-MM-DD'),
    outcome: ReferralOutcomeSchema,
    outcomeOn: z.string().nullable(),
    notes: z.string().nullable(),
    recordedBy: person.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    abilities: z.object({ update: z.boolean() }),
  })
  .meta({ id: 'Referral' });
export type ReferralView = z.infer<typeof ReferralSchema>;

export const ReferralPage = pageOf(ReferralSchema, 'ReferralPage');

export const ReferralCreateBody = z.object({
  referrerClientId: id.describe('The client who referred'),
  referredByContactId: id.nullish().describe('The contact of the referrer who made the referral'),
  prospectClientId: id.nullish().describe('The prospect, when it is a client record you can see'),
  prospectName: optionalText(300).describe('The prospect’s name (required without prospectClientId)'),
  referredOn: isoDate.describe('When (YYYY-MM-DD)'),
  outcome: ReferralOutcomeSchema.default('pending'),
  outcomeOn: isoDate.nullish().describe('When the outcome was known (YYYY-MM-DD)'),
  notes: optionalText(5000),
});
export type ReferralCreateBody = z.infer<typeof ReferralCreateBody>;

export const ReferralUpdateBody = z.object({
  referredByContactId: id.nullish(),
  prospectClientId: id.nullish(),
  prospectName: optionalText(300),
  referredOn: isoDate.optional(),
  outcome: ReferralOutcomeSchema.optional(),
  outcomeOn: isoDate.nullish(),
  notes: optionalText(5000),
});
export type ReferralUpdateBody = z.infer<typeof ReferralUpdateBody>;

export const ReferralListQuery = z.object({
  referrerClientId: id.optional(),
  prospectClientId: id.optional(),
  outcome: ReferralOutcomeSchema.optional(),
  limit,
  cursor,
});
export type ReferralListQuery = z.infer<typeof ReferralListQuery>;
