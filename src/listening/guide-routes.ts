import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { problems } from '../http/schema-helpers.js';
import {
  GuideCreateBody,
  GuideDetailSchema,
  GuideListSchema,
  GuideParams,
  GuidePatchBody,
  GuidePutBody,
  GuideVersionParams,
  GuideVersionSchema,
  ScoreDimensionList,
  ScoreDimensionsPutBody,
} from './guide-schemas.js';
import { createGuide, getGuide, getGuideVersion, listGuides, listScoreDimensions, saveGuideVersion, saveScoreDimensions, updateGuide } from './guides.js';

/** Interview guides (versioned) and score dimensions. */
export async function guideRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['guides'];

  r.get('/guides', { schema: { tags, summary: 'Interview guides', response: { 200: GuideListSchema, ...problems(401, 403) } } }, async (request) => ({
    items: await listGuides(contextOf(request, db)),
  }));
  r.post(
    '/guides',
    {
      schema: {
        tags,
        summary: 'Create a guide with its first version',
        body: GuideCreateBody,
        response: { 201: GuideDetailSchema, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createGuide(contextOf(request, db), request.body)),
  );
  r.get(
    '/guides/:id',
    {
      schema: {
        tags,
        summary: 'A guide with its newest version and its version history',
        params: GuideParams,
        response: { 200: GuideDetailSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => getGuide(contextOf(request, db), request.params.id),
  );
  r.put(
    '/guides/:id',
    {
      schema: {
        tags,
        summary: 'Save the sections as the next version (earlier versions never change)',
        params: GuideParams,
        body: GuidePutBody,
        response: { 200: GuideDetailSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => saveGuideVersion(contextOf(request, db), request.params.id, request.body),
  );
  r.patch(
    '/guides/:id',
    {
      schema: {
        tags,
        summary: 'Rename, describe, archive or make the default',
        params: GuideParams,
        body: GuidePatchBody,
        response: { 200: GuideDetailSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateGuide(contextOf(request, db), request.params.id, request.body),
  );
  r.get(
    '/guides/:id/versions/:version',
    { schema: { tags, summary: 'One version of a guide', params: GuideVersionParams, response: { 200: GuideVersionSchema, ...problems(400, 401, 403, 404) } } },
    async (request) => getGuideVersion(contextOf(request, db), request.params.id, request.params.version),
  );

  r.get(
    '/score-dimensions',
    { schema: { tags, summary: 'Dimensions scored 1–5 in a session', response: { 200: ScoreDimensionList, ...problems(401, 403) } } },
    async (request) => ({ items: await listScoreDimensions(contextOf(request, db)) }),
  );
  r.put(
    '/score-dimensions',
    {
      schema: {
        tags,
        summary: 'Replace the list of score dimensions (in use ones left out are deactivated, not deleted)',
        body: ScoreDimensionsPutBody,
        response: { 200: ScoreDimensionList, ...problems(400, 401, 403) },
      },
    },
    async (request) => ({ items: await saveScoreDimensions(contextOf(request, db), request.body) }),
  );
}
