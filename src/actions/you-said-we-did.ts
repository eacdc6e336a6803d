import type { ActionStatus, InsightType } from '../db/schema.js';
import { ValidationError } from '../http/errors.js';
import { requireInsightClientAccess } from '../insights/access.js';
import type { ServiceContext } from '../server/context.js';

/**
 * "You said, we did": what a client told the firm, paired with what the firm did about it.
 *
 * The report is written to be sent to the client, so its CONTENT is filtered more strictly than
 * the reader's rights: whoever asks (programme leads included), it holds only shareable insights —
 * never a `programme_only` one — and names a speaker only for an `attributable` insight. The
 * reader still needs the right to read the client's insights (POLICY insight.read, walls).
 */

/** The types of feedback a client expects to see acted on. */
export const ACTIONABLE_TYPES = ['concern', 'risk', 'idea', 'opportunity', 'preference'] as const satisfies readonly InsightType[];
const REPORTED_TYPES: InsightType[] = [...ACTIONABLE_TYPES, 'praise'];

/** Where an insight filed under no theme is listed. */
export const NO_THEME = 'Other feedback';

export interface YouSaid {
  summary: string;
  /** The words as heard; never for a programme_only insight (those are not in the report at all). */
  quote: string | null;
  /** Who said it: only for an attributable insight, never for a non_attributable one. */
  speaker: string | null;
  heardOn: string;
  type: InsightType;
}

export interface WeDid {
  id: string;
  title: string;
  status: ActionStatus;
  closedAt: string | null;
  closureNote: string | null;
}

export interface ReportPair {
  /** The insight's id. */
  id: string;
  theme: string;
  youSaid: YouSaid;
  weDid: WeDid[];
}

export interface ValuedItem {
  id: string;
  theme: string;
  summary: string;
  quote: string | null;
  speaker: string | null;
  heardOn: string;
}

export interface YouSaidWeDidReport {
  client: { id: string; name: string };
  period: { from: string; to: string };
  /** Feedback with at least one action done, by theme then date. */
  items: ReportPair[];
  /** Feedback whose actions are still open or in progress, by theme then date. */
  inProgress: ReportPair[];
  /** Praise heard in the period: what the client valued. */
  valued: ValuedItem[];
  generatedAt: string;
}

export interface ReportPeriodInput {
  from?: string | undefined;
  to?: string | undefined;
}

/** The period asked for; by default the twelve months up to today. */
export function reportPeriod(input: ReportPeriodInput, today = new Date()): { from: string; to: string } {
  const to = input.to ?? today.toISOString().slice(0, 10);
  let from = input.from;
  if (!from) {
    const start = new Date(`${to}T00:00:00Z`);
    start.setUTCFullYear(start.getUTCFullYear() - 1);
    start.setUTCDate(start.getUTCDate() + 1);
    from = start.toISOString().slice(0, 10);
  }
  if (from > to) {
    throw new ValidationError('from', 'must be on or before the end of the period');
  }
  return { from, to };
}

const byThemeThenDate = <T extends { theme: string; youSaid: { heardOn: string } }>(a: T, b: T) =>
  a.theme === NO_THEME && b.theme !== NO_THEME
    ? 1
    : b.theme === NO_THEME && a.theme !== NO_THEME
      ? -1
      : a.theme.localeCompare(b.theme) || a.youSaid.heardOn.localeCompare(b.youSaid.heardOn);

/** The report for one client over a period (dates inclusive, on the day the feedback was heard). */
export async function youSaidWeDid(ctx: ServiceContext, clientId: string, input: ReportPeriodInput = {}): Promise<YouSaidWeDidReport> {
  const { client } = await requireInsightClientAccess(ctx, clientId, 'read');
  const period = reportPeriod(input);
  const { db } = ctx;

  const insights = await db
    .selectFrom('insights')
    .leftJoin('contacts', 'contacts.id', 'insights.contact_id')
    .select([
      'insights.id',
      'insights.type',
      'insights.summary',
      'insights.quote',
      'insights.confidentiality',
      'insights.heard_on',
      'insights.created_at',
      'contacts.name as contact_name',
    ])
    .where('insights.client_id', '=', client.id)
    // Shareable content only, whoever reads: the report goes to the client.
    .where('insights.confidentiality', 'in', ['attributable', 'non_attributable'])
    .where('insights.type', 'in', REPORTED_TYPES)
    .where('insights.heard_on', '>=', period.from)
    .where('insights.heard_on', '<=', period.to)
    .orderBy('insights.heard_on')
    .orderBy('insights.created_at')
    .execute();

  const ids = insights.map((i) => i.id);
  const themeRows =
    ids.length === 0
      ? []
      : await db
          .selectFrom('insight_themes')
          .innerJoin('themes', 'themes.id', 'insight_themes.theme_id')
          .leftJoin('themes as parents', 'parents.id', 'themes.parent_id')
          .select(['insight_themes.insight_id', 'themes.name', 'themes.position', 'parents.name as parent_name', 'parents.position as parent_position'])
          .where('insight_themes.insight_id', 'in', ids)
          .execute();
  // One top-level theme per insight: the first in the taxonomy's order among those it is filed under.
  const themeOf = new Map<string, { name: string; position: number }>();
  for (const row of themeRows) {
    const top = row.parent_name !== null ? { name: row.parent_name, position: row.parent_position ?? 0 } : { name: row.name, position: row.position };
    const known = themeOf.get(row.insight_id);
    if (!known || top.position < known.position || (top.position === known.position && top.name < known.name)) {
      themeOf.set(row.insight_id, top);
    }
  }

  const actions =
    ids.length === 0
      ? []
      : await db
          .selectFrom('actions')
          .select(['id', 'insight_id', 'title', 'status', 'closed_at', 'closure_note', 'created_at'])
          .where('client_id', '=', client.id)
          .where('insight_id', 'in', ids)
          .where('status', '!=', 'wont_do')
          .orderBy('created_at')
          .execute();
  const actionsOf = new Map<string, WeDid[]>();
  for (const a of actions) {
    const list = actionsOf.get(a.insight_id ?? '') ?? [];
    list.push({ id: a.id, title: a.title, status: a.status, closedAt: a.closed_at, closureNote: a.status === 'done' ? a.closure_note : null });
    actionsOf.set(a.insight_id ?? '', list);
  }

  const items: ReportPair[] = [];
  const inProgress: ReportPair[] = [];
  const valued: ValuedItem[] = [];
  for (const i of insights) {
    const theme = themeOf.get(i.id)?.name ?? NO_THEME;
    const speaker = i.confidentiality === 'attributable' ? (i.contact_name ?? null) : null;
    if (i.type === 'praise') {
      valued.push({ id: i.id, theme, summary: i.summary, quote: i.quote, speaker, heardOn: i.heard_on });
      continue;
    }
    const youSaid: YouSaid = { summary: i.summary, quote: i.quote, speaker, heardOn: i.heard_on, type: i.type };
    const linked = actionsOf.get(i.id) ?? [];
    const done = linked.filter((a) => a.status === 'done').sort((a, b) => (a.closedAt ?? '').localeCompare(b.closedAt ?? ''));
    const open = linked.filter((a) => a.status !== 'done');
    if (done.length > 0) {
      items.push({ id: i.id, theme, youSaid, weDid: done });
    }
    if (open.length > 0) {
      inProgress.push({ id: i.id, theme, youSaid, weDid: open });
    }
  }
  items.sort(byThemeThenDate);
  inProgress.sort(byThemeThenDate);
  valued.sort((a, b) => byThemeThenDate({ theme: a.theme, youSaid: a }, { theme: b.theme, youSaid: b }));
  return { client, period, items, inProgress, valued, generatedAt: new Date().toISOString() };
}

export const REPORT_CONTENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

export interface ReportExport {
  filename: string;
  contentType: string;
  body: Buffer;
}

/** The report as a Word document or a PDF, with the same content as the JSON. */
export async function exportYouSaidWeDid(ctx: ServiceContext, clientId: string, input: ReportPeriodInput, format: 'docx' | 'pdf'): Promise<ReportExport> {
  const report = await youSaidWeDid(ctx, clientId, input);
  // The document libraries load on the first export, not at start-up.
  const render = await import('./you-said-we-did-render.js');
  const body = format === 'docx' ? await render.renderYouSaidWeDidDocx(report) : await render.renderYouSaidWeDidPdf(report);
  return { filename: render.reportFileName(report, format), contentType: REPORT_CONTENT_TYPES[format], body };
}
