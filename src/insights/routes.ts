import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { id, problems } from '../http/schema-helpers.js';
import { createInsight, deleteInsight, getInsight, listInsights, promoteRemark, sessionInsights, updateInsight } from './insights.js';
import { clientKnowledge } from './knowledge.js';
import {
  InsightCreateBody,
  InsightListQuery,
  InsightPage,
  InsightSchema,
  InsightUpdateBody,
  KnowledgeQuery,
  KnowledgeSchema,
  PromoteRemarkBody,
  SessionInsightsSchema,
  ThemeCreateBody,
  ThemeListQuery,
  ThemeSchema,
  ThemeTree,
  ThemeUpdateBody,
} from './schemas.js';
import { createTheme, deleteTheme, listThemes, updateTheme } from './themes.js';

const IdParams = z.object({ id });
const RemarkParams = z.object({ id, remarkId: id });
const noContent = { 204: z.null() };

/** Insights, the theme taxonomy and the client knowledge page. */
export async function insightRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const themeTags = ['themes'];
  r.get(
    '/themes',
    {
      schema: {
        tags: themeTags,
        summary: 'The theme taxonomy as a two-level tree',
        querystring: ThemeListQuery,
        response: { 200: ThemeTree, ...problems(400, 401, 403) },
      },
    },
    async (request) => ({ items: await listThemes(contextOf(request, db), request.query) }),
  );
  r.post(
    '/themes',
    {
      schema: { tags: themeTags, summary: 'Add a theme or sub-theme', body: ThemeCreateBody, response: { 201: ThemeSchema, ...problems(400, 401, 403, 409) } },
    },
    async (request, reply) => reply.code(201).send(await createTheme(contextOf(request, db), request.body)),
  );
  r.patch(
    '/themes/:id',
    {
      schema: {
        tags: themeTags,
        summary: 'Rename, describe, reorder or archive a theme',
        params: IdParams,
        body: ThemeUpdateBody,
        response: { 200: ThemeSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateTheme(contextOf(request, db), request.params.id, request.body),
  );
  r.delete(
    '/themes/:id',
    {
      schema: {
        tags: themeTags,
        summary: 'Delete a theme no insight uses (archive a used one)',
        params: IdParams,
        response: { ...noContent, ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteTheme(contextOf(request, db), request.params.id);
      return reply.code(204).send(null);
    },
  );

  const tags = ['insights'];
  r.get(
    '/insights',
    {
      schema: {
        tags,
        summary: 'Insights the caller may read, newest first',
        querystring: InsightListQuery,
        response: { 200: InsightPage, ...problems(400, 401) },
      },
    },
    async (request) => listInsights(contextOf(request, db), request.query),
  );
  r.post(
    '/insights',
    { schema: { tags, summary: 'Record an insight', body: InsightCreateBody, response: { 201: InsightSchema, ...problems(400, 401, 403, 404) } } },
    async (request, reply) => reply.code(201).send(await createInsight(contextOf(request, db), request.body)),
  );
  r.get(
    '/insights/:id',
    { schema: { tags, summary: 'An insight', params: IdParams, response: { 200: InsightSchema, ...problems(401, 404) } } },
    async (request) => getInsight(contextOf(request, db), request.params.id),
  );
  r.patch(
    '/insights/:id',
    {
      schema: {
        tags,
        summary: 'Update an insight',
        params: IdParams,
        body: InsightUpdateBody,
        response: { 200: InsightSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => updateInsight(contextOf(request, db), request.params.id, request.body),
  );
  r.delete(
    '/insights/:id',
    { schema: { tags, summary: 'Delete an insight', params: IdParams, response: { ...noContent, ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await deleteInsight(contextOf(request, db), request.params.id);
      return reply.code(204).send(null);
    },
  );
  r.post(
    '/sessions/:id/remarks/:remarkId/insight',
    {
      schema: {
        tags,
        summary: 'Make an insight of a session remark (it keeps the remark’s confidentiality)',
        params: RemarkParams,
        body: PromoteRemarkBody,
        response: { 201: InsightSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await promoteRemark(contextOf(request, db), request.params.id, request.params.remarkId, request.body)),
  );
  r.get(
    '/sessions/:id/insights',
    {
      schema: {
        tags,
        summary: 'The insights made from a session, and whether the caller may make more',
        params: IdParams,
        response: { 200: SessionInsightsSchema, ...problems(401, 404) },
      },
    },
    async (request) => sessionInsights(contextOf(request, db), request.params.id),
  );
  r.get(
    '/clients/:id/knowledge',
    {
      schema: {
        tags,
        summary: 'The client knowledge page: insights by theme over time, with what was done about them',
        params: IdParams,
        querystring: KnowledgeQuery,
        response: { 200: KnowledgeSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => clientKnowledge(contextOf(request, db), request.params.id, request.query),
  );
}
