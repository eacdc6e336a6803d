import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { problems } from '../http/schema-helpers.js';
import { ClientHealthSchema, HealthClientParams, HealthListQuery, HealthListSchema, HealthSettingsSchema, HealthWeightsBody } from './health-schemas.js';
import { clientHealth, getHealthSettings, healthList, putHealthSettings } from './health-service.js';

/** Client health and early warning (issue 6 point 6), and the health weights setting. */
export async function healthRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/analytics/health',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Early-warning list: active clients by health score (lowest first), then fees at stake, with the reasons (only what you may see)',
        querystring: HealthListQuery,
        response: { 200: HealthListSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => healthList(contextOf(request, db), request.query),
  );
  r.get(
    '/analytics/health/clients/:id',
    {
      schema: {
        tags: ['analytics'],
        summary: "One client's health: score, reasons, each contact's health, single-threaded warnings and the daily trend",
        params: HealthClientParams,
        response: { 200: ClientHealthSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => clientHealth(contextOf(request, db), request.params.id),
  );
  r.get(
    '/settings/health',
    {
      schema: {
        tags: ['settings'],
        summary: 'Client health weights (points each warning sign takes off 100) and their defaults',
        response: { 200: HealthSettingsSchema, ...problems(401, 403) },
      },
    },
    async (request) => getHealthSettings(contextOf(request, db)),
  );
  r.put(
    '/settings/health',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change the client health weights (admins); weights left out go back to their defaults',
        body: HealthWeightsBody,
        response: { 200: HealthSettingsSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => putHealthSettings(contextOf(request, db), request.body),
  );
}
