import { z } from 'zod';
import { CLIENT_STATUSES, NOMINATION_ORIGINS, NOMINATION_STATUSES, PROGRAMME_COMMITMENTS, PROGRAMME_STATUSES } from '../db/schema.js';
import { booleanQuery, cursor, id, isoDate, limit, name, optionalText, pageOf, timestamp } from '../http/schema-helpers.js';
import { AT_RISK_DEFINITION } from './progress.js';

const person = z.object({ id, name: z.string() });

/** A comma-separated list of enum values in a query string, e.g. `status=proposed,deferred`. */
function enumList<T extends string>(values: readonly T[]) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) {
        return undefined;
      }
      const parts = v.split(',').map((s) => s.trim());
      for (const p of parts) {
        if (!(values as readonly string[]).includes(p)) {
          ctx.addIssue({ code: 'custom', message: `"${p}" is not one of ${values.join(', ')}` });
          return z.NEVER;
        }
      }
      return parts as T[];
    });
}

export const ProgrammeStatusSchema = z.enum(PROGRAMME_STATUSES).describe('draft, active or closed');
export const CommitmentSchema = z.enum(PROGRAMME_COMMITMENTS).describe('yes or no');
export const NominationStatusSchema = z.enum(NOMINATION_STATUSES).describe('proposed, accepted, deferred ("not now"), declined or withdrawn');
export const NominationOriginSchema = z.enum(NOMINATION_ORIGINS).describe('proposed by the programme lead, or volunteered by the partner');

const shareField = z.number({ error: 'must be a number between 0 and 1' }).min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');

export const ProgrammeSchema = z
  .object({
    id,
    name: z.string(),
    description: z.string().nullable(),
    startsOn: z.string().describe('First day of the programme (YYYY-MM-DD)'),
    endsOn: z.string().describe('Last day of the programme (YYYY-MM-DD)'),
    owner: person.describe('The programme lead who owns it'),
    status: ProgrammeStatusSchema,
    targetSessions: z.number().nullable().describe('How many listening sessions the programme means to hold'),
    targetKeyClientShare: z.number().nullable().describe('0–1: the share of key clients to hear from'),
    targetAtRiskShare: z.number().nullable().describe('0–1: the minimum share of sessions with at-risk clients (unhappy, lapsed, lost or pitch lost)'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Programme' });
export type Programme = z.infer<typeof ProgrammeSchema>;

export const ProgressSchema = z
  .object({
    sessions: z
      .object({
        target: z.number().nullable(),
        count: z.number().describe('Sessions of the programme that are not cancelled'),
        held: z.number().describe('Of those, how many have taken place (completed or later)'),
        met: z.boolean().nullable().describe('null when there is no target'),
      })
      .describe('Sessions against the target number'),
    keyClients: z
      .object({
        target: z.number().nullable(),
        covered: z.number().describe('Key clients with a session in the programme that is not cancelled'),
        total: z.number().describe('Key clients'),
        share: z.number().nullable().describe('covered / total; null when there are no key clients'),
        met: z.boolean().nullable(),
      })
      .describe('Coverage of key clients against the target share'),
    atRisk: z
      .object({
        target: z.number().nullable(),
        count: z.number().describe('Sessions (not cancelled) whose client is at risk'),
        sessions: z.number().describe('Sessions (not cancelled)'),
        share: z.number().nullable().describe('count / sessions; null when there are no sessions'),
        met: z.boolean().nullable(),
      })
      .describe(`The share of sessions with at-risk clients against the minimum share. ${AT_RISK_DEFINITION}`),
  })
  .describe('Live progress against each target, counted over the sessions and clients the caller may see')
  .meta({ id: 'ProgrammeProgress' });

export const ProgrammeDetailSchema = ProgrammeSchema.extend({
  progress: ProgressSchema,
  myCommitment: CommitmentSchema.nullable().describe('The caller’s own answer to the programme, if they gave one'),
  abilities: z
    .object({
      update: z.boolean(),
      commit: z.boolean().describe('Say yes or no to taking part'),
      readNominations: z.boolean(),
      propose: z.boolean(),
      volunteer: z.boolean(),
      remind: z.boolean(),
      withdraw: z.boolean(),
    })
    .describe('What the caller may do on this programme')
    .meta({ id: 'ProgrammeAbilities' }),
}).meta({ id: 'ProgrammeDetail' });
export type ProgrammeDetail = z.infer<typeof ProgrammeDetailSchema>;

const datesInOrder = (v: { startsOn?: string | undefined; endsOn?: string | undefined }) => !v.startsOn || !v.endsOn || v.endsOn >= v.startsOn;
const endsOnIssue = { message: 'must not be before startsOn', path: ['endsOn'] };

const programmeFields = {
  name: name(200).describe('e.g. "Client listening 2026"'),
  description: optionalText(5000),
  startsOn: isoDate.describe('First day (YYYY-MM-DD)'),
  endsOn: isoDate.describe('Last day (YYYY-MM-DD), not before startsOn'),
  ownerId: id.describe('The programme lead who owns it: an active user; defaults to the caller'),
  status: ProgrammeStatusSchema,
  targetSessions: z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(100_000)
    .nullable()
    .describe('Number of sessions to hold; null for no target'),
  targetKeyClientShare: shareField.nullable().describe('0–1: share of key clients to hear from; null for no target'),
  targetAtRiskShare: shareField.nullable().describe('0–1: minimum share of sessions with at-risk clients; null for no target'),
};

export const ProgrammeCreateBody = z
  .strictObject({
    ...programmeFields,
    ownerId: programmeFields.ownerId.optional(),
    status: programmeFields.status.default('draft'),
    targetSessions: programmeFields.targetSessions.optional(),
    targetKeyClientShare: programmeFields.targetKeyClientShare.optional(),
    targetAtRiskShare: programmeFields.targetAtRiskShare.optional(),
  })
  .refine(datesInOrder, endsOnIssue);
export type ProgrammeCreateBody = z.infer<typeof ProgrammeCreateBody>;

export const ProgrammeUpdateBody = z
  .strictObject({
    name: programmeFields.name.optional(),
    description: programmeFields.description,
    startsOn: programmeFields.startsOn.optional(),
    endsOn: programmeFields.endsOn.optional(),
    ownerId: programmeFields.ownerId.optional(),
    status: programmeFields.status.optional(),
    targetSessions: programmeFields.targetSessions.optional(),
    targetKeyClientShare: programmeFields.targetKeyClientShare.optional(),
    targetAtRiskShare: programmeFields.targetAtRiskShare.optional(),
  })
  .refine(datesInOrder, endsOnIssue);
export type ProgrammeUpdateBody = z.infer<typeof ProgrammeUpdateBody>;

export const PROGRAMME_SORTS = ['startsOn', 'name'] as const;
export const ProgrammeListQuery = z.strictObject({
  status: enumList(PROGRAMME_STATUSES).describe('One status or several, comma-separated'),
  sort: z.enum(PROGRAMME_SORTS).default('startsOn'),
  order: z.enum(['asc', 'desc']).default('desc').describe('Newest programmes first by default'),
  total: booleanQuery.optional().describe('Also count all matching programmes'),
  cursor,
  limit,
});
export type ProgrammeListQuery = z.infer<typeof ProgrammeListQuery>;
export const ProgrammePage = pageOf(ProgrammeSchema, 'ProgrammePage');

export const CommitmentBody = z.strictObject({ commitment: CommitmentSchema.describe('Whether you take part in the programme') });
export type CommitmentBody = z.infer<typeof CommitmentBody>;
export const CommitmentSchemaOut = z
  .object({ programmeId: id, userId: id, commitment: CommitmentSchema, respondedAt: timestamp })
  .meta({ id: 'ProgrammeCommitment' });
export type Commitment = z.infer<typeof CommitmentSchemaOut>;

export const NominationSchema = z
  .object({
    id,
    programme: z.object({ id, name: z.string(), status: ProgrammeStatusSchema }),
    client: z.object({ id, name: z.string(), status: z.enum(CLIENT_STATUSES), isKeyClient: z.boolean() }),
    partner: person.describe('The relationship partner who answers it'),
    origin: NominationOriginSchema,
    proposedBy: person.nullable(),
    status: NominationStatusSchema,
    reason: z.string().nullable().describe('The partner’s reason for "not now" or "no" (or the lead’s, on withdrawal)'),
    askAgainOn: z.string().nullable().describe('For "not now": the date to ask again (YYYY-MM-DD)'),
    note: z.string().nullable().describe('The lead’s note to the partner when proposing'),
    respondedAt: timestamp.nullable(),
    lastRemindedAt: timestamp.nullable(),
    reminderCount: z.number(),
    waiting: z.boolean().describe('Waiting for the partner’s answer: proposed, or deferred and the ask-again date has come'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Nomination' });
export type Nomination = z.infer<typeof NominationSchema>;

export const NominationEventSchema = z
  .object({
    id,
    at: timestamp,
    actor: person.nullable(),
    fromStatus: NominationStatusSchema.nullable(),
    toStatus: NominationStatusSchema,
    reason: z.string().nullable(),
    askAgainOn: z.string().nullable(),
  })
  .meta({ id: 'NominationEvent' });
export type NominationEvent = z.infer<typeof NominationEventSchema>;

export const NominationDetailSchema = NominationSchema.extend({
  events: z.array(NominationEventSchema).describe('The full status history, oldest first'),
  abilities: z.object({ respond: z.boolean(), withdraw: z.boolean() }).meta({ id: 'NominationAbilities' }),
}).meta({ id: 'NominationDetail' });
export type NominationDetail = z.infer<typeof NominationDetailSchema>;

export const NominationList = z.object({ items: z.array(NominationSchema) }).meta({ id: 'NominationList' });

export const NominateBody = z.strictObject({
  clientIds: z
    .array(id)
    .min(1, 'name at least one client')
    .max(200, 'at most 200 clients at a time')
    .describe('The clients to put forward; each goes to each of its relationship partners'),
  note: optionalText(2000).describe('A note to the partners (why this client, now)'),
  volunteer: z.boolean().default(false).describe('true when a partner volunteers their own clients (accepted at once); false when the programme lead proposes'),
});
export type NominateBody = z.infer<typeof NominateBody>;

export const ProgrammeNominationsQuery = z.strictObject({
  status: enumList(NOMINATION_STATUSES).describe('One status or several, comma-separated'),
  partnerId: id.optional().describe('Only nominations addressed to this partner'),
});
export type ProgrammeNominationsQuery = z.infer<typeof ProgrammeNominationsQuery>;

export const NominationListQuery = z.strictObject({
  mine: booleanQuery
    .optional()
    .describe(
      'true for the partner inbox: nominations addressed to the caller, waiting ones first (proposed, then deferred ones whose ask-again date has come); with `status`, those statuses instead',
    ),
  status: enumList(NOMINATION_STATUSES).describe('One status or several, comma-separated'),
  programmeId: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200).describe('At most this many (1–500)'),
});
export type NominationListQuery = z.infer<typeof NominationListQuery>;

export const ResponseBody = z
  .strictObject({
    answer: z.enum(['yes', 'not_now', 'no']).describe('yes, not_now (reason and askAgainOn required) or no (reason required)'),
    reason: optionalText(2000).describe('Why not now, or why not'),
    askAgainOn: isoDate.nullish().describe('For not_now: a future date to ask again (YYYY-MM-DD)'),
  })
  .superRefine((v, ctx) => {
    if ((v.answer === 'not_now' || v.answer === 'no') && !v.reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: v.answer === 'no' ? 'is required when the answer is no' : 'is required when the answer is not now',
      });
    }
    if (v.answer === 'not_now' && !v.askAgainOn) {
      ctx.addIssue({ code: 'custom', path: ['askAgainOn'], message: 'is required when the answer is not now' });
    }
    if (v.answer !== 'not_now' && v.askAgainOn) {
      ctx.addIssue({ code: 'custom', path: ['askAgainOn'], message: 'only applies when the answer is not now' });
    }
  });
export type ResponseBody = z.infer<typeof ResponseBody>;

export const WithdrawBody = z.strictObject({ reason: optionalText(2000).describe('Why the nomination is withdrawn') });
export type WithdrawBody = z.infer<typeof WithdrawBody>;

export const RemindBody = z.strictObject({
  days: z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(365)
    .default(7)
    .describe('Remind about nominations waiting for an answer for at least this many days (and not reminded in that time); default 7'),
});
export type RemindBody = z.infer<typeof RemindBody>;

export const RemindResultSchema = z
  .object({
    days: z.number(),
    reminded: z
      .array(
        z.object({
          nominationId: id,
          client: person,
          partner: person,
          reminderCount: z.number(),
          waitingSince: z.string().describe('When the nomination started waiting for an answer'),
        }),
      )
      .describe('Each nomination a reminder was recorded for'),
    partners: z.array(person.extend({ nominations: z.number() })).describe('Who was reminded, and about how many nominations'),
  })
  .describe('Who was reminded. No email is sent yet (email digests come with issue 4): the reminder is recorded and partners see the count in their inbox.')
  .meta({ id: 'ReminderResult' });
export type RemindResult = z.infer<typeof RemindResultSchema>;

export const ParticipationRowSchema = z
  .object({
    partner: person,
    commitment: CommitmentSchema.nullable().describe('The partner’s answer to the programme; null if they have not given one'),
    proposed: z.number().describe('Clients the lead proposed to them (withdrawn ones left out)'),
    accepted: z.number().describe('Of those, accepted'),
    deferred: z.number().describe('Of those, "not now"'),
    declined: z.number().describe('Of those, declined'),
    volunteered: z.number().describe('Clients they volunteered'),
    notAnswered: z.number().describe('Proposed clients not answered yet'),
    putForward: z.number().describe('Clients put forward: accepted, proposed or volunteered'),
    atRiskPutForward: z.number().describe(`Clients put forward that are at risk. ${AT_RISK_DEFINITION}`),
    lostPutForward: z.number().describe('Clients put forward that are lost or lost pitches'),
    putForwardUnhappyOrLost: z.boolean().describe('Whether any unhappy, at-risk, lost or pitch-lost client was put forward'),
    saidYesPutNothingForward: z.boolean().describe('The flag: said yes to the programme, yet put no client forward'),
  })
  .meta({ id: 'ParticipationRow' });
export const ParticipationSchema = z
  .object({ items: z.array(ParticipationRowSchema), flagged: z.number().describe('Partners who said yes yet put nothing forward') })
  .meta({ id: 'Participation' });
export type Participation = z.infer<typeof ParticipationSchema>;
