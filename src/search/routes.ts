import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { problems } from '../http/schema-helpers.js';
import { SearchQuery, SearchResultsSchema } from './schemas.js';
import { search } from './search.js';

/** Full-text search over what the firm heard and did. */
export async function searchRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search insights, session notes and remarks, check-ins, problems and actions, best match first, only what the reader may see',
        querystring: SearchQuery,
        response: { 200: SearchResultsSchema, ...problems(400, 401) },
      },
    },
    async (request) => search(contextOf(request, db), request.query),
  );
}
