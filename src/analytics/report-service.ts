import { getClient } from '../clients/clients.js';
import { renderPdf } from '../documents/pdf.js';
import { getTeam } from '../firm/teams.js';
import { getUser } from '../firm/users.js';
import { requirePermission, scopeFor } from '../http/access.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import { ProgrammeListQuery } from '../listening/programme-schemas.js';
import { listProgrammes, requireProgramme } from '../listening/programmes.js';
import type { ServiceContext } from '../server/context.js';
import { biasAnalytics } from './bias-service.js';
import { type AnalyticsFilters, FEE_BAND_LABELS, resolveAnalyticsFilters } from './filters.js';
import { healthList } from './health-service.js';
import { getLoopAnalytics } from './loop-service.js';
import { npsAnalytics } from './nps-service.js';
import { getParticipationAnalytics } from './participation-service.js';
import { type ManagementReport, REPORT_HEALTH_LIMIT, reportDocumentDefinition } from './report-document.js';
import { getRetentionAnalytics } from './retention-service.js';
import type { ReportQuery } from './schemas.js';

/**
 * The PDF management report (issue 6 point 7). Every figure is the answer of an analytics
 * service called with the reader's own context, so access rules (walls, partners' own clients)
 * and small-group suppression apply exactly as on the dashboards; this file reads no table of
 * figures itself.
 */

/** A name for the reader, falling back to the id when the reader may not look it up. */
async function nameOf(lookup: () => Promise<{ name: string }>, fallback: string): Promise<string> {
  try {
    return (await lookup()).name;
  } catch {
    return fallback;
  }
}

async function filterLabels(ctx: ServiceContext, filters: AnalyticsFilters): Promise<ManagementReport['filters']> {
  const out: ManagementReport['filters'] = [];
  if (filters.practice) {
    const id = filters.practice;
    out.push({ label: 'Practice', value: await nameOf(() => getTeam(ctx, id), id) });
  }
  if (filters.partner) {
    const id = filters.partner;
    out.push({ label: 'Partner', value: await nameOf(() => getUser(ctx, id), id) });
  }
  if (filters.office) {
    out.push({ label: 'Office', value: filters.office });
  }
  if (filters.industry) {
    out.push({ label: 'Industry', value: filters.industry });
  }
  if (filters.segment) {
    out.push({ label: 'Segment', value: filters.segment === 'key_client' ? 'Key clients' : 'Other clients' });
  }
  if (filters.feeBand) {
    out.push({ label: 'Fee band', value: FEE_BAND_LABELS[filters.feeBand] });
  }
  if (filters.clientId) {
    const id = filters.clientId;
    out.push({ label: 'Client', value: await nameOf(() => getClient(ctx, id), id) });
  }
  return out;
}

/** The programme named, or the latest active one; null when there is none the reader may read. */
async function reportProgramme(ctx: ServiceContext, programmeId: string | undefined): Promise<{ id: string; name: string } | null> {
  if (!scopeFor(ctx.actor.role, 'programme', 'read')) {
    return null;
  }
  if (programmeId) {
    try {
      return await requireProgramme(ctx, programmeId);
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new ValidationError('programmeId', 'no such programme');
      }
      throw error;
    }
  }
  const latest = await listProgrammes(ctx, ProgrammeListQuery.parse({ status: 'active', limit: 1 }));
  return latest.items[0] ?? null;
}

/**
 * Gathers the report for the reader: NPS by practice and quarter, sample bias, participation in
 * a programme, the loop, retention and the early-warning list, under the shared filters.
 * A reader without analytics is refused (403); bad filters are a 400 naming the field.
 */
export async function managementReport(ctx: ServiceContext, query: ReportQuery, now = new Date()): Promise<ManagementReport> {
  requirePermission(ctx.actor, 'analytics', 'read');
  const { programmeId, ...filterQuery } = query;
  const filters = await resolveAnalyticsFilters(ctx, filterQuery);
  const { from: _from, to: _to, ...clientFilterQuery } = filterQuery;
  const programme = await reportProgramme(ctx, programmeId);

  const nps = await npsAnalytics(ctx, { ...filterQuery, groupBy: 'practice' });
  const bias = await biasAnalytics(ctx, filterQuery);
  const participation: ManagementReport['participation'] = programme
    ? { programme: await getParticipationAnalytics(ctx, { ...clientFilterQuery, programmeId: programme.id }) }
    : {
        none: programmeId ? 'You may not read listening programmes.' : 'There is no active listening programme you may see, so participation is not reported.',
      };
  const loop = await getLoopAnalytics(ctx, { ...filterQuery, groupBy: 'owner' }, now);
  const retention = await getRetentionAnalytics(ctx, filterQuery, now);
  const health = await healthList(ctx, { ...clientFilterQuery, limit: REPORT_HEALTH_LIMIT, offset: 0 }, now.toISOString().slice(0, 10));

  return {
    firm: null,
    generatedAt: now.toISOString(),
    generatedFor: { name: ctx.actor.name, email: ctx.actor.email, role: ctx.actor.role },
    filters: await filterLabels(ctx, filters),
    period: { from: filters.from, to: filters.to },
    nps,
    bias,
    participation,
    loop,
    retention,
    health,
  };
}

/** The report as a PDF. */
export async function managementReportPdf(ctx: ServiceContext, query: ReportQuery, options: { compress?: boolean; now?: Date } = {}) {
  const report = await managementReport(ctx, query, options.now);
  return { report, pdf: await renderPdf(reportDocumentDefinition(report, options)) };
}
