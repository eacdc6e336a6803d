import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { ACTION_STATUSES, INSIGHT_TYPES } from '../db/schema.js';
import { contextOf } from '../http/auth.js';
import { id, isoDate, problems, timestamp } from '../http/schema-helpers.js';
import { exportYouSaidWeDid, youSaidWeDid } from './you-said-we-did.js';

const Params = z.object({ id });
const Query = z.object({
  from: isoDate.optional().describe('First day of the period (YYYY-MM-DD); by default a year before `to`'),
  to: isoDate.optional().describe('Last day of the period (YYYY-MM-DD); by default today'),
});

const YouSaid = z.object({
  summary: z.string(),
  quote: z.string().nullable().describe('The words as heard (shareable insights only)'),
  speaker: z.string().nullable().describe('Who said it: only for attributable insights, never for non-attributable ones'),
  heardOn: isoDate,
  type: z.enum(INSIGHT_TYPES),
});
const WeDid = z.object({
  id: id.describe('The action'),
  title: z.string(),
  status: z.enum(ACTION_STATUSES),
  closedAt: timestamp.nullable(),
  closureNote: z.string().nullable(),
});
const Pair = z
  .object({ id: id.describe('The insight'), theme: z.string().describe('Top-level theme'), youSaid: YouSaid, weDid: z.array(WeDid) })
  .meta({ id: 'YouSaidWeDidPair' });

export const YouSaidWeDidReportSchema = z
  .object({
    client: z.object({ id, name: z.string() }),
    period: z.object({ from: isoDate, to: isoDate }),
    items: z.array(Pair).describe('Feedback with at least one action done, by theme then date'),
    inProgress: z.array(Pair).describe('Feedback whose actions are still open or in progress'),
    valued: z
      .array(
        z.object({
          id: id.describe('The insight'),
          theme: z.string(),
          summary: z.string(),
          quote: z.string().nullable(),
          speaker: z.string().nullable(),
          heardOn: isoDate,
        }),
      )
      .describe('Praise heard in the period'),
    generatedAt: timestamp,
  })
  .meta({ id: 'YouSaidWeDidReport' });

const description =
  'Only shareable content, whatever the reader may see: programme-only insights are never included, and the speaker of a non-attributable insight never named. The reader needs to read the client’s insights.';

/** The "you said, we did" report for a client, as JSON, Word and PDF. */
export async function youSaidWeDidRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['actions'];

  r.get(
    '/clients/:id/you-said-we-did',
    {
      schema: {
        tags,
        summary: 'You said, we did: what the client told us, paired with what we did',
        description,
        params: Params,
        querystring: Query,
        response: { 200: YouSaidWeDidReportSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => youSaidWeDid(contextOf(request, db), request.params.id, request.query),
  );

  for (const format of ['docx', 'pdf'] as const) {
    r.get(
      `/clients/:id/you-said-we-did.${format}`,
      {
        schema: {
          tags,
          summary: `Download the you-said-we-did report as ${format === 'docx' ? 'a Word document' : 'a PDF'}`,
          description,
          params: Params,
          querystring: Query,
          response: { 200: z.any().describe(format === 'docx' ? 'The .docx file (binary)' : 'The .pdf file (binary)'), ...problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const file = await exportYouSaidWeDid(contextOf(request, db), request.params.id, request.query, format);
        return reply
          .type(file.contentType)
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .header('cache-control', 'private, no-store')
          .send(file.body);
      },
    );
  }
}
