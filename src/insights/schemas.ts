import { z } from 'zod';
import { ACTION_STATUSES, CONFIDENTIALITY, INSIGHT_SOURCES, INSIGHT_TYPES, RECOVERY_CHECK_STATUSES, SEVERITIES } from '../db/schema.js';
import { booleanQuery, cursor, id, isoDate, limit, name, optionalText, pageOf, timestamp } from '../http/schema-helpers.js';

const person = z.object({ id, name: z.string() });

// ---------------------------------------------------------------- themes

export const ThemeSchema = z
  .object({
    id,
    parentId: id.nullable().describe('null for a top-level theme'),
    name: z.string(),
    description: z.string().nullable(),
    position: z.number(),
    archived: z.boolean().describe('Archived themes stay on the insights filed under them but are not offered for new ones'),
    inUse: z.boolean().describe('Whether insights are filed under it (then it can be archived, not deleted)'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Theme' });
export type Theme = z.infer<typeof ThemeSchema>;

export const ThemeTreeNodeSchema = ThemeSchema.extend({ children: z.array(ThemeSchema) }).meta({ id: 'ThemeTreeNode' });
export type ThemeTreeNode = z.infer<typeof ThemeTreeNodeSchema>;
export const ThemeTree = z.object({ items: z.array(ThemeTreeNodeSchema) }).meta({ id: 'ThemeTree' });

export const ThemeListQuery = z.strictObject({
  active: booleanQuery.optional().describe('true: leave archived themes (and the sub-themes of archived themes) out, for pickers'),
});
export type ThemeListQuery = z.infer<typeof ThemeListQuery>;

export const ThemeCreateBody = z.strictObject({
  name: name(120).describe('Unique among its siblings'),
  description: optionalText(1000),
  parentId: id.nullish().describe('The top-level theme this is a sub-theme of (two levels only)'),
});
export type ThemeCreateBody = z.infer<typeof ThemeCreateBody>;

export const ThemeUpdateBody = z.strictObject({
  name: name(120).optional(),
  description: optionalText(1000),
  position: z.number().int().min(0).max(10000).optional().describe('Order among its siblings (lowest first)'),
  archived: z.boolean().optional(),
});
export type ThemeUpdateBody = z.infer<typeof ThemeUpdateBody>;

// ---------------------------------------------------------------- insights

export const InsightTypeSchema = z.enum(INSIGHT_TYPES).describe('praise, concern, risk, opportunity, preference or idea');
export const SeveritySchema = z.enum(SEVERITIES).describe('low, medium or high');
export const InsightSourceSchema = z.enum(INSIGHT_SOURCES).describe('session, check_in, problem, call, meeting, email or other');
export const InsightConfidentialitySchema = z
  .enum(CONFIDENTIALITY)
  .describe(
    'attributable; non_attributable (the contact is hidden but from programme leads and the recorder); programme_only (only programme leads and the recorder see it)',
  );

/** Whether a concern is fixed: the latest recovery check on it (scheduled or answered), shown with the concern. */
export const InsightRecoverySchema = z
  .object({
    id,
    status: z.enum(RECOVERY_CHECK_STATUSES).describe('scheduled (waiting to be asked) or done (the client answered)'),
    dueOn: isoDate.describe('When the client is to be asked'),
    fixed: z.boolean().nullable().describe("The client's answer; null until answered"),
    answer: z.string().nullable().describe('What the client said'),
    answeredOn: isoDate.nullable().describe('The date of the check-in that asked'),
    checkInId: id.nullable(),
  })
  .meta({ id: 'InsightRecovery' });
export type InsightRecovery = z.infer<typeof InsightRecoverySchema>;

const insightTheme = z.object({ id, name: z.string(), parentId: id.nullable(), parentName: z.string().nullable() });

export const InsightSchema = z
  .object({
    id,
    client: person,
    type: InsightTypeSchema,
    severity: SeveritySchema,
    summary: z.string(),
    quote: z.string().nullable(),
    confidentiality: InsightConfidentialitySchema,
    contactId: id.nullable().describe('null when none, or when the insight is non-attributable and the caller may not know who said it'),
    contact: person.nullable(),
    matter: person.nullable(),
    source: InsightSourceSchema,
    session: z.object({ id, startsAt: timestamp.nullable() }).nullable().describe('The listening session it was heard in, when the caller may read it'),
    remarkId: id.nullable().describe('The session remark it was promoted from'),
    heardOn: isoDate,
    themes: z.array(insightTheme),
    recordedBy: person.nullable(),
    abilities: z.object({ edit: z.boolean(), delete: z.boolean() }).describe('What the caller may do on it'),
    recovery: InsightRecoverySchema.nullable().describe(
      'For a concern whose actions are all closed: has the client been asked whether it is fixed, and what they said',
    ),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Insight' });
export type Insight = z.infer<typeof InsightSchema>;

export const InsightPage = pageOf(InsightSchema, 'InsightPage');
export const InsightList = z.object({ items: z.array(InsightSchema) }).meta({ id: 'InsightList' });

const summary = z.string().trim().min(1, 'is required').max(2000, 'must be at most 2000 characters');
const themeIds = z.array(id).min(1, 'choose at least one theme').max(20, 'at most 20 themes');

export const InsightCreateBody = z.strictObject({
  clientId: id,
  type: InsightTypeSchema,
  severity: SeveritySchema.default('medium'),
  summary: summary.describe('What was heard, in a sentence or two'),
  quote: optionalText(5000).describe('The client’s words'),
  confidentiality: InsightConfidentialitySchema.default('attributable'),
  contactId: id.nullish().describe('Who said it (a contact of the client)'),
  matterId: id.nullish().describe('The matter it is about (a matter of the client)'),
  source: InsightSourceSchema,
  sessionId: id.nullish().describe('The listening session it was heard in; required when source is session'),
  heardOn: isoDate.describe('When it was heard (not in the future)'),
  themeIds: themeIds.describe('Active themes or sub-themes it is filed under'),
});
export type InsightCreateBody = z.infer<typeof InsightCreateBody>;

export const InsightUpdateBody = z.strictObject({
  type: InsightTypeSchema.optional(),
  severity: SeveritySchema.optional(),
  summary: summary.optional(),
  quote: optionalText(5000),
  confidentiality: InsightConfidentialitySchema.optional().describe('An insight promoted from a remark may be made stricter, never looser'),
  contactId: id.nullish(),
  matterId: id.nullish(),
  source: InsightSourceSchema.optional(),
  sessionId: id.nullish(),
  heardOn: isoDate.optional(),
  themeIds: themeIds.optional(),
});
export type InsightUpdateBody = z.infer<typeof InsightUpdateBody>;

export const InsightListQuery = z.strictObject({
  clientId: id.optional(),
  type: InsightTypeSchema.optional(),
  themeId: id.optional().describe('A theme; a top-level theme matches its sub-themes too'),
  severity: SeveritySchema.optional(),
  from: isoDate.optional().describe('Heard on or after'),
  to: isoDate.optional().describe('Heard on or before'),
  sessionId: id.optional(),
  cursor,
  limit,
  total: booleanQuery.optional().describe('Also count the matching insights'),
});
export type InsightListQuery = z.infer<typeof InsightListQuery>;

export const PromoteRemarkBody = z.strictObject({
  type: InsightTypeSchema,
  severity: SeveritySchema.default('medium'),
  themeIds: themeIds,
  summary: summary.optional().describe('Defaults to the remark’s text'),
});
export type PromoteRemarkBody = z.infer<typeof PromoteRemarkBody>;

export const SessionInsightsSchema = z
  .object({
    items: z.array(InsightSchema).describe('The insights from this session the caller may read'),
    canPromote: z.boolean().describe('Whether the caller may make insights of the remarks they read here'),
  })
  .meta({ id: 'SessionInsights' });
export type SessionInsights = z.infer<typeof SessionInsightsSchema>;

// ---------------------------------------------------------------- knowledge page

const actionSummary = z.object({ id, title: z.string(), status: z.enum(ACTION_STATUSES) });

export const KnowledgeInsightSchema = InsightSchema.extend({
  actions: z.array(actionSummary).describe('What was done about it: the actions born from this insight'),
}).meta({ id: 'KnowledgeInsight' });
export type KnowledgeInsight = z.infer<typeof KnowledgeInsightSchema>;

export const KnowledgeSchema = z
  .object({
    client: person,
    total: z.number().describe('Insights the caller may read (after filters)'),
    groups: z.array(
      z.object({
        theme: z.object({ id, name: z.string(), archived: z.boolean() }),
        count: z.number(),
        insights: z.array(KnowledgeInsightSchema).describe('Newest first'),
      }),
    ),
    timeline: z
      .array(z.object({ quarter: z.string().describe('e.g. 2026-Q1'), counts: z.record(z.string(), z.number()).describe('Insights per type') }))
      .describe('Insights heard per quarter, by type, oldest first'),
    abilities: z.object({ record: z.boolean().describe('Whether the caller may record insights on this client') }),
  })
  .meta({ id: 'ClientKnowledge' });
export type Knowledge = z.infer<typeof KnowledgeSchema>;

export const KnowledgeQuery = z.strictObject({
  type: InsightTypeSchema.optional(),
  themeId: id.optional().describe('A theme; a top-level theme matches its sub-themes too'),
});
export type KnowledgeQuery = z.infer<typeof KnowledgeQuery>;
