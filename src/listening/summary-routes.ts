import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { problems } from '../http/schema-helpers.js';
import { draftSummary, exportSummary, getSummary, reviewSummary, shareSummary, updateSummary } from './summaries.js';
import {
  SessionParams,
  SummaryConflictSchema,
  SummaryDraftBody,
  SummaryPutBody,
  SummaryReviewBody,
  SummaryShareBody,
  SummaryViewSchema,
} from './summary-schemas.js';

/** Session summaries: draft, edit, review, share, Word and PDF exports. */
export async function summaryRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['summaries'];
  const params = SessionParams;

  r.get(
    '/sessions/:id/summary',
    { schema: { tags, summary: 'The session’s summary and what you may do with it', params, response: { 200: SummaryViewSchema, ...problems(401, 404) } } },
    async (request) => getSummary(contextOf(request, db), request.params.id),
  );
  r.post(
    '/sessions/:id/summary/draft',
    {
      schema: {
        tags,
        summary: 'Build the summary draft from the captured content (a completed session becomes summary drafted)',
        description:
          'Uses attributable remarks with their speaker, non-attributable remarks without one, and the notes per question; programme-only remarks never. Rebuilding an existing draft replaces it: pass its version as baseVersion.',
        params,
        body: SummaryDraftBody,
        response: { 200: SummaryViewSchema, 409: SummaryConflictSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => draftSummary(contextOf(request, db), request.params.id, request.body),
  );
  r.put(
    '/sessions/:id/summary',
    {
      schema: {
        tags,
        summary: 'Save the edited summary (a reviewed summary goes back to drafted)',
        description: 'A stale baseVersion is refused with 409 edit_conflict, and the problem carries the current summary as `current`.',
        params,
        body: SummaryPutBody,
        response: { 200: SummaryViewSchema, 409: SummaryConflictSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => updateSummary(contextOf(request, db), request.params.id, request.body),
  );
  r.post(
    '/sessions/:id/summary/review',
    {
      schema: {
        tags,
        summary: 'Mark the summary reviewed (programme lead)',
        params,
        body: SummaryReviewBody,
        response: { 200: SummaryViewSchema, 409: SummaryConflictSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => reviewSummary(contextOf(request, db), request.params.id, request.body),
  );
  r.post(
    '/sessions/:id/summary/share',
    {
      schema: {
        tags,
        summary: 'Record that the reviewed summary was shared with the client',
        params,
        body: SummaryShareBody,
        response: { 200: SummaryViewSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => shareSummary(contextOf(request, db), request.params.id, request.body),
  );

  for (const format of ['docx', 'pdf'] as const) {
    r.get(
      `/sessions/:id/summary.${format}`,
      {
        schema: {
          tags,
          summary: `Download the summary as ${format === 'docx' ? 'a Word document' : 'a PDF'}`,
          description: 'Contains the summary, the client, the session date and the interviewer; never the remarks. 409 when there is no summary yet.',
          params,
          response: { 200: z.any().describe(format === 'docx' ? 'The .docx file (binary)' : 'The .pdf file (binary)'), ...problems(401, 404, 409) },
        },
      },
      async (request, reply) => {
        const file = await exportSummary(contextOf(request, db), request.params.id, format);
        return reply
          .type(file.contentType)
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .header('cache-control', 'private, no-store')
          .send(file.body);
      },
    );
  }
}
