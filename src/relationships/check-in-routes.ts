import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ActionSchema } from '../actions/schemas.js';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { id, problems } from '../http/schema-helpers.js';
import { InsightSchema } from '../insights/schemas.js';
import { getCadenceDefaults, putCadenceDefaults } from './cadence-settings.js';
import {
  CadenceDefaultsBody,
  CadenceDefaultsSchema,
  CadencePutBody,
  CadenceSchema,
  CheckInActionBody,
  CheckInCreateBody,
  CheckInInsightBody,
  CheckInListQuery,
  CheckInPage,
  CheckInSchema,
  CheckInUpdateBody,
  DueList,
  DueQuery,
  LastInteractionSchema,
} from './check-in-schemas.js';
import {
  actionFromCheckIn,
  clientLastInteraction,
  createCheckIn,
  deleteCheckIn,
  getCadence,
  getCheckIn,
  insightFromCheckIn,
  listCheckIns,
  listDue,
  putCadence,
  updateCheckIn,
} from './check-ins.js';

const IdParams = z.object({ id });
const tags = ['check-ins'];

/** Check-ins, cadences, last interaction and the losing-touch list. */
export async function checkInRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/check-ins',
    {
      schema: {
        tags,
        summary: 'Check-ins you may read, newest first',
        querystring: CheckInListQuery,
        response: { 200: CheckInPage, ...problems(400, 401, 403) },
      },
    },
    async (request) => listCheckIns(contextOf(request, db), request.query),
  );
  r.get(
    '/check-ins/due',
    {
      schema: {
        tags,
        summary: 'Losing touch: clients and key contacts past their ideal cadence, most overdue first',
        querystring: DueQuery,
        response: { 200: DueList, ...problems(400, 401, 403) },
      },
    },
    async (request) => listDue(contextOf(request, db), request.query),
  );
  r.post(
    '/check-ins',
    { schema: { tags, summary: 'Log a check-in', body: CheckInCreateBody, response: { 201: CheckInSchema, ...problems(400, 401, 403, 404) } } },
    async (request, reply) => reply.code(201).send(await createCheckIn(contextOf(request, db), request.body)),
  );
  r.get(
    '/check-ins/:id',
    { schema: { tags, summary: 'One check-in', params: IdParams, response: { 200: CheckInSchema, ...problems(401, 404) } } },
    async (request) => getCheckIn(contextOf(request, db), request.params.id),
  );
  r.patch(
    '/check-ins/:id',
    {
      schema: {
        tags,
        summary: 'Correct a check-in',
        params: IdParams,
        body: CheckInUpdateBody,
        response: { 200: CheckInSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => updateCheckIn(contextOf(request, db), request.params.id, request.body),
  );
  r.delete(
    '/check-ins/:id',
    { schema: { tags, summary: 'Delete a check-in', params: IdParams, response: { 204: z.null(), ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await deleteCheckIn(contextOf(request, db), request.params.id);
      return reply.code(204).send(null);
    },
  );
  r.post(
    '/check-ins/:id/insight',
    {
      schema: {
        tags,
        summary: 'Turn one answer of a check-in into an insight',
        params: IdParams,
        body: CheckInInsightBody,
        response: { 201: InsightSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await insightFromCheckIn(contextOf(request, db), request.params.id, request.body)),
  );
  r.post(
    '/check-ins/:id/action',
    {
      schema: {
        tags,
        summary: 'Open a follow-up action from a check-in',
        params: IdParams,
        body: CheckInActionBody,
        response: { 201: ActionSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await actionFromCheckIn(contextOf(request, db), request.params.id, request.body)),
  );
  r.get(
    '/clients/:id/cadence',
    {
      schema: {
        tags,
        summary: "A client's check-in cadence and its key contacts'",
        params: IdParams,
        response: { 200: CadenceSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => getCadence(contextOf(request, db), request.params.id),
  );
  r.put(
    '/clients/:id/cadence',
    {
      schema: {
        tags,
        summary: "Set a client's check-in cadence (and its key contacts')",
        params: IdParams,
        body: CadencePutBody,
        response: { 200: CadenceSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => putCadence(contextOf(request, db), request.params.id, request.body),
  );
  r.get(
    '/clients/:id/last-interaction',
    {
      schema: {
        tags,
        summary: 'When the firm last spoke with a client and its key contacts, and how that stands against the cadence',
        params: IdParams,
        response: { 200: LastInteractionSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => clientLastInteraction(contextOf(request, db), request.params.id),
  );
  r.get(
    '/settings/cadence',
    {
      schema: {
        tags: ['settings'],
        summary: 'Firm-wide check-in cadence defaults (for clients without their own)',
        response: { 200: CadenceDefaultsSchema, ...problems(401, 403) },
      },
    },
    async (request) => getCadenceDefaults(contextOf(request, db)),
  );
  r.put(
    '/settings/cadence',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change the firm-wide check-in cadence defaults (admins)',
        body: CadenceDefaultsBody,
        response: { 200: CadenceDefaultsSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => putCadenceDefaults(contextOf(request, db), request.body),
  );
}
