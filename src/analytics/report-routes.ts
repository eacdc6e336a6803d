import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { problems } from '../http/schema-helpers.js';
import { reportFileName } from './report-document.js';
import { managementReportPdf } from './report-service.js';
import { ReportQuery } from './schemas.js';

/** The PDF management report (issue 6 point 7); registered by analyticsRoutes. */
export async function reportRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/analytics/report.pdf',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Download the management report as a PDF: NPS, sample bias, participation, the loop, retention and the early-warning list',
        description:
          'Every figure is the one the dashboards show you under the same filters: only what you may see is counted, and groups too small to stay anonymous are hidden.',
        querystring: ReportQuery,
        response: { 200: z.any().describe('The .pdf file (binary)'), ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { report, pdf } = await managementReportPdf(contextOf(request, db), request.query);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${reportFileName(report)}"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );
}
