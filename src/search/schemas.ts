import { z } from 'zod';
import { INSIGHT_TYPES, SEARCH_KINDS } from '../db/schema.js';
import { id, isoDate } from '../http/schema-helpers.js';

export const SearchKindSchema = z
  .enum(SEARCH_KINDS)
  .describe('What kind of record: insight, session_note (a session answer), remark (said in a session), check_in, problem or action');

export const SearchQuery = z
  .strictObject({
    q: z.string().max(2000, 'must be at most 2000 characters').describe('Words to find (every word must match; search operators are treated as text)'),
    kind: SearchKindSchema.optional(),
    insightType: z.enum(INSIGHT_TYPES).optional().describe('Only insights of this type'),
    themeId: id.optional().describe('Only insights with this theme; a top-level theme matches its sub-themes too'),
    clientId: id.optional(),
    from: isoDate.optional().describe('On or after (the day it was heard, held, reported or created)'),
    to: isoDate.optional().describe('On or before'),
    limit: z.coerce.number().int().min(1).max(50).default(20).describe('Page size (1–50)'),
    cursor: z.string().max(200).optional().describe('The nextCursor of the previous page'),
  })
  .refine((v) => !(v.from && v.to && v.from > v.to), { path: ['to'], message: 'must not be before from' });
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SegmentSchema = z.object({ text: z.string(), match: z.boolean().describe('Whether this part matched the search') }).meta({ id: 'SearchSegment' });

export const SearchHitSchema = z
  .object({
    kind: SearchKindSchema,
    id: z.string().describe('The record: an insight, remark, check-in, problem or action id; for a session note, sessionId:questionKey'),
    clientId: id,
    clientName: z.string(),
    sessionId: id.nullable().describe('The listening session a note or remark (or insight, or action) came from'),
    insightType: z.enum(INSIGHT_TYPES).nullable(),
    date: z.string().describe('The day it was heard, held, reported or created (YYYY-MM-DD)'),
    heading: z.string().nullable().describe('A label for the record: an insight summary, a problem or action title, a session objective'),
    title: z.array(SegmentSchema).describe('The indexed title with its matches marked (empty for kinds without a title)'),
    snippet: z.array(SegmentSchema).describe('An extract of the text around the matches, matches marked'),
  })
  .meta({ id: 'SearchHit' });
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SearchResultsSchema = z
  .object({
    items: z.array(SearchHitSchema),
    nextCursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page'),
    total: z.number().int().describe('How many records match that the reader may see'),
    terms: z.array(z.string()).describe('The words searched for, after punctuation and operators were dropped'),
  })
  .meta({ id: 'SearchResults' });
export type SearchResults = z.infer<typeof SearchResultsSchema>;
