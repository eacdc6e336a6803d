import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { id, problems } from '../http/schema-helpers.js';
import { RecoveryCheckListQuery, RecoveryCheckPage, RecoveryCheckSchema } from './recovery-check-schemas.js';
import { getRecoveryCheck, listRecoveryChecks } from './recovery-checks.js';

const IdParams = z.object({ id });
const tags = ['check-ins'];

/** Recovery checks: asking the client whether a concern is fixed. Answered by logging a check-in (POST /check-ins with recoveryForInsightId). */
export async function recoveryCheckRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/recovery-checks',
    {
      schema: {
        tags,
        summary: 'Recovery checks you may read (scheduled unless told otherwise), soonest due first',
        querystring: RecoveryCheckListQuery,
        response: { 200: RecoveryCheckPage, ...problems(400, 401, 403) },
      },
    },
    async (request) => listRecoveryChecks(contextOf(request, db), request.query),
  );
  r.get(
    '/recovery-checks/:id',
    {
      schema: {
        tags,
        summary: 'One recovery check with the concern it asks about',
        params: IdParams,
        response: { 200: RecoveryCheckSchema, ...problems(401, 404) },
      },
    },
    async (request) => getRecoveryCheck(contextOf(request, db), request.params.id),
  );
}
