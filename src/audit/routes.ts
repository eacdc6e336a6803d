import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { problems } from '../http/schema-helpers.js';
import { exportAuditCsv, listAudit } from './queries.js';
import { AuditPage, AuditQuery } from './schemas.js';

export async function auditRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Browse the audit log, newest first (admin)',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...problems(400, 401, 403) },
      },
    },
    async (request) => listAudit(contextOf(request, db), request.query),
  );
  r.get(
    '/audit.csv',
    {
      schema: {
        tags: ['audit'],
        summary: 'Export the filtered audit log as CSV (admin)',
        querystring: AuditQuery.omit({ cursor: true, limit: true }),
        response: { 200: z.string().describe('text/csv'), ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const csv = await exportAuditCsv(contextOf(request, db), request.query);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="hearken-audit.csv"').send(csv);
    },
  );
}
