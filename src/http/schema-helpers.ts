import { z } from 'zod';

/** Shared building blocks for API schemas, so limits and wording are the same everywhere. */
export const id = z.string().min(1).max(64).describe('Identifier (UUIDv7)');
export const name = (max = 200) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
/**
 * An optional text field: absent stays absent (on updates that means "leave as it is"), and an
 * empty or blank string means "clear it" (null).
 */
export const optionalText = (max = 2000) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .transform((v) => (v === '' ? null : v))
    .nullish();
export const isoDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
export const timestamp = z.string().describe('UTC time, ISO-8601');
export const limit = z.coerce.number().int().min(1).max(200).default(50).describe('Page size (1–200)');
export const cursor = z.string().max(500).optional().describe('The nextCursor of the previous page');
export const booleanQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .describe('true or false');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    instance: z.string().optional(),
    code: z.string().describe('Stable machine-readable error code'),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Problem' });

export const pageOf = <T extends z.ZodType>(item: T, idName: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page'),
      total: z.number().optional().describe('Number of matching rows, when `total=true` was asked'),
    })
    .meta({ id: idName });

/** Standard error responses, so every route documents its problem+json answers. */
export const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ProblemSchema]));
