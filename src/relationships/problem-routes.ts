import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { id, problems } from '../http/schema-helpers.js';
import {
  ProblemActionBody,
  ProblemCreateBody,
  ProblemListQuery,
  ProblemPage,
  ProblemSchema,
  ProblemUpdateBody,
  ReferralCreateBody,
  ReferralListQuery,
  ReferralPage,
  ReferralSchema,
  ReferralUpdateBody,
} from './problem-schemas.js';
import { addProblemAction, createProblem, deleteProblem, getProblem, listProblems, updateProblem } from './problems.js';
import { createReferral, deleteReferral, getReferral, listReferrals, updateReferral } from './referrals.js';

const IdParams = z.object({ id });
const noContent = { 204: z.null() };

/** Problems (what went wrong and its resolution) and referrals (which client referred which prospect). */
export async function problemRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['problems'];

  r.get(
    '/problems',
    { schema: { tags, summary: 'List problems, newest reported first', querystring: ProblemListQuery, response: { 200: ProblemPage, ...problems(400, 401) } } },
    async (request) => listProblems(contextOf(request, db), request.query),
  );
  r.post(
    '/problems',
    { schema: { tags, summary: 'Report a problem', body: ProblemCreateBody, response: { 201: ProblemSchema, ...problems(400, 401, 403, 404) } } },
    async (request, reply) => reply.code(201).send(await createProblem(contextOf(request, db), request.body)),
  );
  r.get(
    '/problems/:id',
    {
      schema: {
        tags,
        summary: 'A problem with its time to resolution and linked actions',
        params: IdParams,
        response: { 200: ProblemSchema, ...problems(401, 404) },
      },
    },
    async (request) => getProblem(contextOf(request, db), request.params.id),
  );
  r.patch(
    '/problems/:id',
    {
      schema: {
        tags,
        summary: 'Update a problem or change its status (resolved needs a resolution; resolved and closed reopen to open)',
        params: IdParams,
        body: ProblemUpdateBody,
        response: { 200: ProblemSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => updateProblem(contextOf(request, db), request.params.id, request.body),
  );
  r.delete(
    '/problems/:id',
    { schema: { tags, summary: 'Delete a problem nothing links to', params: IdParams, response: { ...noContent, ...problems(401, 403, 404, 409) } } },
    async (request, reply) => {
      await deleteProblem(contextOf(request, db), request.params.id);
      return reply.code(204).send(null);
    },
  );
  r.post(
    '/problems/:id/actions',
    {
      schema: {
        tags,
        summary: 'Add an action linked to the problem',
        params: IdParams,
        body: ProblemActionBody,
        response: { 201: ProblemSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await addProblemAction(contextOf(request, db), request.params.id, request.body)),
  );

  const referralTags = ['referrals'];
  r.get(
    '/referrals',
    {
      schema: {
        tags: referralTags,
        summary: 'List referrals, newest first',
        querystring: ReferralListQuery,
        response: { 200: ReferralPage, ...problems(400, 401) },
      },
    },
    async (request) => listReferrals(contextOf(request, db), request.query),
  );
  r.post(
    '/referrals',
    {
      schema: {
        tags: referralTags,
        summary: 'Record a referral',
        body: ReferralCreateBody,
        response: { 201: ReferralSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await createReferral(contextOf(request, db), request.body)),
  );
  r.get(
    '/referrals/:id',
    { schema: { tags: referralTags, summary: 'A referral', params: IdParams, response: { 200: ReferralSchema, ...problems(401, 404) } } },
    async (request) => getReferral(contextOf(request, db), request.params.id),
  );
  r.patch(
    '/referrals/:id',
    {
      schema: {
        tags: referralTags,
        summary: 'Update a referral or record its outcome',
        params: IdParams,
        body: ReferralUpdateBody,
        response: { 200: ReferralSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => updateReferral(contextOf(request, db), request.params.id, request.body),
  );
  r.delete(
    '/referrals/:id',
    { schema: { tags: referralTags, summary: 'Delete a referral', params: IdParams, response: { ...noContent, ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await deleteReferral(contextOf(request, db), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
