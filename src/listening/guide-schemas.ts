import { z } from 'zod';
import { id, name, optionalText, timestamp } from '../http/schema-helpers.js';

const person = z.object({ id, name: z.string() });

/** Keys are what captured notes hang on, so they stay stable across versions of a guide. */
const key = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9_]+$/, 'may contain only lower-case letters, digits and _');

export const GuideQuestionSchema = z
  .object({
    key: z.string().describe('Stable identifier of the question; session notes are stored against it'),
    text: z.string().describe('The question as the interviewer asks it'),
    help: z.string().nullable().describe('A prompt for the interviewer, not read out'),
  })
  .meta({ id: 'GuideQuestion' });
export type GuideQuestion = z.infer<typeof GuideQuestionSchema>;

export const GuideSectionSchema = z
  .object({
    key: z.string().describe('Stable identifier of the section'),
    title: z.string(),
    questions: z.array(GuideQuestionSchema),
  })
  .meta({ id: 'GuideSection' });
export type GuideSection = z.infer<typeof GuideSectionSchema>;

export const GuideSchema = z
  .object({
    id,
    name: z.string(),
    description: z.string().nullable(),
    isDefault: z.boolean().describe('The guide new sessions use unless another is chosen; exactly one guide is the default'),
    archived: z.boolean().describe('Archived guides are kept for the sessions that used them but offered for no new one'),
    latestVersion: z.number().int().describe('The number of the newest version'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Guide' });
export type Guide = z.infer<typeof GuideSchema>;

export const GuideListSchema = z.object({ items: z.array(GuideSchema) }).meta({ id: 'GuideList' });

export const GuideVersionInfoSchema = z
  .object({
    version: z.number().int(),
    createdAt: timestamp,
    createdBy: person.nullable().describe('Who wrote this version; null for the seeded one'),
  })
  .meta({ id: 'GuideVersionInfo' });
export type GuideVersionInfo = z.infer<typeof GuideVersionInfoSchema>;

export const GuideVersionSchema = GuideVersionInfoSchema.extend({
  id: id.describe('Identifier of this version (what a session records)'),
  guideId: id,
  sections: z.array(GuideSectionSchema),
}).meta({ id: 'GuideVersion' });
export type GuideVersion = z.infer<typeof GuideVersionSchema>;

export const GuideDetailSchema = GuideSchema.extend({
  current: GuideVersionSchema.describe('The newest version, with its sections and questions'),
  versions: z.array(GuideVersionInfoSchema).describe('Every version, newest first'),
  canEdit: z.boolean().describe('Whether the caller may change guides'),
}).meta({ id: 'GuideDetail' });
export type GuideDetail = z.infer<typeof GuideDetailSchema>;

const questionInput = z.strictObject({
  key: key.optional().describe('Keep the key of an existing question so notes taken against it still match; omit for a new question'),
  text: z.string().trim().min(1, 'is required').max(1000, 'must be at most 1000 characters'),
  help: optionalText(2000).describe('A prompt for the interviewer'),
});

const sectionInput = z.strictObject({
  key: key.optional().describe('Omit for a new section'),
  title: name(200),
  questions: z.array(questionInput).min(1, 'add at least one question').max(100, 'must have at most 100 questions'),
});

/**
 * Sections of a guide as written by an editor. Keys are optional (new questions get one made
 * from their text) but, when given, unique within the guide, across sections.
 */
export const GuideSectionsInput = z
  .array(sectionInput)
  .min(1, 'add at least one section')
  .max(50, 'must have at most 50 sections')
  .superRefine((sections, ctx) => {
    const sectionKeys = new Set<string>();
    const questionKeys = new Set<string>();
    sections.forEach((s, i) => {
      if (s.key !== undefined) {
        if (sectionKeys.has(s.key)) {
          ctx.addIssue({ code: 'custom', path: [i, 'key'], message: 'is used by another section' });
        }
        sectionKeys.add(s.key);
      }
      s.questions.forEach((q, j) => {
        if (q.key !== undefined) {
          if (questionKeys.has(q.key)) {
            ctx.addIssue({ code: 'custom', path: [i, 'questions', j, 'key'], message: 'is used by another question in this guide' });
          }
          questionKeys.add(q.key);
        }
      });
    });
  });
export type GuideSectionsInput = z.infer<typeof GuideSectionsInput>;

export const GuideCreateBody = z.strictObject({
  name: name(200).describe('Unique name of the guide'),
  description: optionalText(2000),
  isDefault: z.boolean().default(false).describe('Make this the default guide (the previous default stops being it)'),
  sections: GuideSectionsInput,
});
export type GuideCreateBody = z.infer<typeof GuideCreateBody>;

export const GuidePutBody = z.strictObject({
  sections: GuideSectionsInput,
  baseVersion: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('The version the editor started from; if someone has saved a newer one since, the request is refused with 409'),
});
export type GuidePutBody = z.infer<typeof GuidePutBody>;

export const GuidePatchBody = z.strictObject({
  name: name(200).optional(),
  description: optionalText(2000),
  isDefault: z.literal(true).optional().describe('Make this the default guide; to change the default, make another guide the default'),
  archived: z.boolean().optional().describe('Archive or restore; the default guide cannot be archived'),
});
export type GuidePatchBody = z.infer<typeof GuidePatchBody>;

export const GuideParams = z.object({ id });
export const GuideVersionParams = z.object({ id, version: z.coerce.number().int().min(1).describe('Version number, from 1') });

export const ScoreDimensionSchema = z
  .object({
    key: z.string().describe('Stable identifier; session scores are stored against it'),
    label: z.string(),
    position: z.number().int().describe('Order on the capture page, from 0'),
    active: z.boolean().describe('Inactive dimensions are kept for past scores but not offered for new ones'),
    inUse: z.boolean().describe('Whether any session has a score on it (such a dimension is deactivated rather than deleted)'),
  })
  .meta({ id: 'ScoreDimension' });
export type ScoreDimension = z.infer<typeof ScoreDimensionSchema>;

export const ScoreDimensionList = z.object({ items: z.array(ScoreDimensionSchema) }).meta({ id: 'ScoreDimensionList' });

export const ScoreDimensionsPutBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        key: key.optional().describe('Keep the key of an existing dimension; omit for a new one (a key is made from the label)'),
        label: name(120),
        active: z.boolean().default(true),
      }),
    )
    .max(50, 'must have at most 50 dimensions')
    .superRefine((items, ctx) => {
      const keys = new Set<string>();
      const labels = new Set<string>();
      items.forEach((d, i) => {
        if (d.key !== undefined) {
          if (keys.has(d.key)) {
            ctx.addIssue({ code: 'custom', path: [i, 'key'], message: 'is listed twice' });
          }
          keys.add(d.key);
        }
        const label = d.label.toLowerCase();
        if (labels.has(label)) {
          ctx.addIssue({ code: 'custom', path: [i, 'label'], message: 'is used by another dimension' });
        }
        labels.add(label);
      });
    })
    .describe('The whole list, in display order. Dimensions left out are deleted, or deactivated if sessions have scores on them'),
});
export type ScoreDimensionsPutBody = z.infer<typeof ScoreDimensionsPutBody>;
