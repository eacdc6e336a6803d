import { z } from 'zod';
import { id, isoDate } from '../http/schema-helpers.js';
import { analyticsFilterFields } from './filters.js';
import { HEALTH_BANDS, HEALTH_WEIGHT_KEYS, type HealthWeightKey, MAX_WEIGHT } from './health.js';

const { from: _from, to: _to, ...clientFilters } = analyticsFilterFields;

/** The early-warning list: the shared client filters (health is today's, so no period), a band, offset pagination. */
export const HealthListQuery = z.object({
  ...clientFilters,
  band: z.enum(HEALTH_BANDS).optional().describe('Only clients in this band'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size (1–200)'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('How many clients to skip'),
});
export type HealthListQuery = z.infer<typeof HealthListQuery>;

export const HealthReasonSchema = z.object({
  kind: z.enum(HEALTH_WEIGHT_KEYS),
  points: z.number().describe('Points this reason takes off 100'),
  count: z.number().int().describe('How many occurrences the points are for'),
  text: z.string(),
  ids: z.array(z.string()).describe('The records behind the reason (sessions, insights, actions, problems, contacts)'),
});

const Health = {
  score: z.number().int().min(0).max(100),
  band: z.enum(HEALTH_BANDS),
  reasons: z.array(HealthReasonSchema),
};

export const SingleThreadWarningSchema = z.object({ kind: z.enum(['one_contact', 'one_partner']), text: z.string() });

export const HealthListItemSchema = z.object({
  client: z.object({ id, name: z.string() }),
  status: z.string(),
  isKeyClient: z.boolean(),
  annualFees: z.number().nullable().describe('Fees at stake (annual fees as recorded on the client)'),
  ...Health,
  warnings: z.array(SingleThreadWarningSchema),
});

export const HealthListSchema = z.object({
  today: isoDate,
  rules: z.string().describe('How the score is computed'),
  bandFloors: z.object({ healthy: z.number(), watch: z.number() }),
  items: z.array(HealthListItemSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  nextOffset: z.number().int().nullable(),
  feesAtStake: z.object({ watch: z.number(), atRisk: z.number() }).describe('Sum of annual fees of the clients (all pages) in each band'),
});
export type HealthList = z.infer<typeof HealthListSchema>;

export const ContactHealthSchema = z.object({
  contact: z.object({ id, name: z.string() }),
  jobTitle: z.string().nullable(),
  isDecisionMaker: z.boolean(),
  lastHeardOn: isoDate.nullable().describe('Completion day of the last held session the contact attended'),
  ...Health,
});

export const ClientHealthSchema = HealthListItemSchema.extend({
  today: isoDate,
  rules: z.string(),
  contacts: z.array(ContactHealthSchema).describe('Health of each active contact: their own latest answers and concerns'),
  trend: z.array(z.object({ takenOn: isoDate, score: z.number().int(), band: z.enum(HEALTH_BANDS) })).describe('Daily snapshots, oldest first'),
});
export type ClientHealth = z.infer<typeof ClientHealthSchema>;

export const HealthClientParams = z.object({ id });

const weight = z.number().min(0, 'must not be negative').max(MAX_WEIGHT, `must be at most ${MAX_WEIGHT}`);
export const HealthWeightsSchema = z.object(Object.fromEntries(HEALTH_WEIGHT_KEYS.map((k) => [k, weight])) as Record<HealthWeightKey, typeof weight>);
/** Weights to set: every weight named is replaced; those left out go back to their defaults. */
export const HealthWeightsBody = z.strictObject(
  Object.fromEntries(HEALTH_WEIGHT_KEYS.map((k) => [k, weight.optional()])) as Record<HealthWeightKey, z.ZodOptional<typeof weight>>,
);
export type HealthWeightsBody = z.infer<typeof HealthWeightsBody>;
export const HealthSettingsSchema = z.object({ weights: HealthWeightsSchema, defaults: HealthWeightsSchema });
export type HealthSettings = z.infer<typeof HealthSettingsSchema>;
