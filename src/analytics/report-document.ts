import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { longDate } from '../listening/summary-docx.js';
import type { HealthList } from './health-schemas.js';
import type { BiasAnalytics, LoopAnalytics, NpsAnalytics, NpsFiguresView, ParticipationAnalytics, RetentionAnalytics } from './schemas.js';

/**
 * The PDF management report: the figures of every dashboard in one document, composed from
 * the analytics services' answers (report-service.ts) with no I/O, so what it says is exactly
 * what the reader's dashboards say.
 */

/** Everything the report shows; each part is the answer of one analytics service for the reader. */
export interface ManagementReport {
  firm: string | null;
  generatedAt: string;
  generatedFor: { name: string; email: string | null; role: string };
  /** The filters as a reader would name them (a team's name, not its id). */
  filters: { label: string; value: string }[];
  period: { from: string | null; to: string | null };
  nps: NpsAnalytics;
  bias: BiasAnalytics;
  participation: { programme: ParticipationAnalytics } | { none: string };
  loop: LoopAnalytics;
  retention: RetentionAnalytics;
  health: HealthList;
}

export const REPORT_TITLE = 'Client listening: management report';
export const REPORT_HEADINGS = {
  nps: 'NPS and satisfaction',
  bias: 'Sample bias',
  participation: 'Partner participation',
  loop: 'Closing the loop',
  retention: 'Retention and growth',
  health: 'Early warning: clients at risk',
} as const;
/** How many clients the early-warning list shows. */
export const REPORT_HEALTH_LIMIT = 20;

// ---------------------------------------------------------------- formatting

const DASH = '—';
export function signed(value: number | null): string {
  if (value === null) {
    return DASH;
  }
  const rounded = Math.round(value);
  return rounded > 0 ? `+${rounded}` : String(rounded);
}
export function percent(share: number | null): string {
  return share === null ? DASH : `${Math.round(share * 100)}%`;
}
export function decimal(value: number | null, digits = 1): string {
  return value === null ? DASH : value.toFixed(digits);
}
export function dayCount(value: number | null): string {
  return value === null ? DASH : `${value.toFixed(1)} days`;
}
export function money(value: number | null): string {
  return value === null ? DASH : new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }).format(value);
}
const count = (value: number | null) => (value === null ? DASH : String(value));
/** "1 promoter", "2 promoters". */
export function plural(value: number | null, one: string, many = `${one}s`): string {
  return `${count(value)} ${value === 1 ? one : many}`;
}

/** The period in words: "1 January 2026 to 30 June 2026", "all dates", … */
export function periodText(period: { from: string | null; to: string | null }): string {
  if (period.from && period.to) {
    return `${longDate(period.from)} to ${longDate(period.to)}`;
  }
  if (period.from) {
    return `from ${longDate(period.from)}`;
  }
  if (period.to) {
    return `up to ${longDate(period.to)}`;
  }
  return 'all dates';
}

function timestampText(iso: string): string {
  return `${longDate(iso.slice(0, 10))}, ${iso.slice(11, 16)} UTC`;
}

/** What an NPS figure says, or why it says nothing. */
export function npsLine(f: NpsFiguresView): string {
  if (f.reason === 'suppressed') {
    return 'Hidden: too few clients answered to keep their answers anonymous.';
  }
  if (f.nps === null) {
    return 'No NPS answers under these filters.';
  }
  const margin = f.margin === null ? '' : ` (± ${Math.round(f.margin)} points, 95% confidence)`;
  return `NPS ${signed(f.nps)}${margin}, from ${plural(f.n, 'answer')} by ${plural(f.clients, 'client')}: ${plural(f.promoters, 'promoter')}, ${plural(f.passives, 'passive')}, ${plural(f.detractors, 'detractor')}.`;
}

// ---------------------------------------------------------------- building blocks

const heading = (text: string): Content => ({ text, style: 'h2', pageBreak: 'before' });
const subheading = (text: string): Content => ({ text, style: 'h3' });
const para = (text: string): Content => ({ text, margin: [0, 0, 0, 4] });
const note = (text: string): Content => ({ text, style: 'note' });
const warning = (text: string): Content => ({ text, style: 'warning' });

/** A table with a bold header row repeated on each page; numeric columns right-aligned. */
function table(header: string[], rows: (string | number)[][], numeric: boolean[], widths?: (string | number)[]): Content {
  if (rows.length === 0) {
    return para('Nothing to show under these filters.');
  }
  const cell = (value: string | number, i: number, head = false): TableCell => ({
    text: String(value),
    alignment: numeric[i] ? 'right' : 'left',
    ...(head ? { bold: true, fillColor: '#eeeeee' } : {}),
  });
  return {
    table: {
      headerRows: 1,
      widths: widths ?? header.map((_, i) => (i === 0 ? '*' : 'auto')),
      body: [header.map((h, i) => cell(h, i, true)), ...rows.map((r) => r.map((v, i) => cell(v, i)))],
    },
    layout: 'lightHorizontalLines',
    fontSize: 8.5,
    margin: [0, 2, 0, 8],
  };
}

/** Label–value pairs as a two-column table without lines. */
function facts(pairs: [string, string][]): Content {
  return {
    table: {
      widths: [170, '*'],
      body: pairs.map(([k, v]) => [
        { text: k, color: '#444444' },
        { text: v, bold: true },
      ]),
    },
    layout: 'noBorders',
    margin: [0, 2, 0, 8],
  };
}

// ---------------------------------------------------------------- sections

function cover(r: ManagementReport): Content[] {
  return [
    { text: REPORT_TITLE, style: 'title' },
    ...(r.firm ? [{ text: r.firm, style: 'subtitle' } as Content] : []),
    facts([
      ['Period', periodText(r.period)],
      ['Filters', r.filters.length ? r.filters.map((f) => `${f.label}: ${f.value}`).join('; ') : 'none (everything you may see)'],
      ['Generated for', `${r.generatedFor.name}${r.generatedFor.email ? ` <${r.generatedFor.email}>` : ''} (${r.generatedFor.role.replace('_', ' ')})`],
      ['Generated', timestampText(r.generatedAt)],
    ]),
    note(
      'Every figure counts only what the person it was generated for may see; groups too small to stay anonymous are hidden. ' +
        'Internal and confidential: not for clients.',
    ),
    subheading('Contents'),
    { ul: Object.values(REPORT_HEADINGS) },
  ];
}

function npsSection({ nps }: ManagementReport): Content[] {
  const o = nps.overall;
  const out: Content[] = [heading(REPORT_HEADINGS.nps), subheading('Overall'), para(npsLine(o))];
  if (o.warning) {
    out.push(warning(o.warning));
  }
  out.push(
    para(
      o.satisfaction.n
        ? `Average satisfaction: ${decimal(o.satisfaction.mean)} out of 10 (${plural(o.satisfaction.n, 'answer')}).`
        : 'No satisfaction answers.',
    ),
  );
  const dims = o.dimensions.filter((d) => d.n);
  if (dims.length) {
    out.push(
      table(
        ['Dimension', 'Answers', 'Average'],
        dims.map((d) => [d.label, count(d.n), decimal(d.mean)]),
        [false, true, true],
      ),
    );
  }
  const figureRow = (label: string, f: NpsFiguresView) => [
    label,
    count(f.n),
    f.reason === 'suppressed' ? 'hidden' : signed(f.nps),
    f.margin === null ? DASH : `± ${Math.round(f.margin)}`,
    count(f.promoters),
    count(f.passives),
    count(f.detractors),
    decimal(f.satisfaction.mean),
  ];
  const header = ['', 'Answers', 'NPS', 'Margin', 'Promoters', 'Passives', 'Detractors', 'Satisfaction'];
  const numeric = [false, true, true, true, true, true, true, true];
  out.push(subheading('By practice'));
  out.push(
    table(
      ['Practice', ...header.slice(1)],
      nps.groups.map((g) => figureRow(g.label, g.figures)),
      numeric,
    ),
  );
  out.push(subheading('By quarter'));
  out.push(
    table(
      ['Quarter', ...header.slice(1)],
      nps.trend.map((q) => figureRow(q.quarter, q.figures)),
      numeric,
    ),
  );
  out.push(note(`Counting rule: ${nps.countingRule}`));
  return out;
}

function biasSection({ bias }: ManagementReport): Content[] {
  const out: Content[] = [heading(REPORT_HEADINGS.bias)];
  if (bias.state === 'empty_portfolio') {
    return [...out, para('No clients under these filters.')];
  }
  out.push(
    bias.flag.biased
      ? warning('The sample looks positively biased: the firm is hearing more from the clients who are happy.')
      : para('No sign that the sample is positively biased.'),
  );
  if (bias.flag.reasons.length) {
    out.push({ ul: bias.flag.reasons, margin: [0, 0, 0, 6] });
  }
  out.push(
    facts([
      ['Clients in the portfolio', String(bias.portfolio)],
      ['Clients heard', `${bias.heard} (${percent(bias.coverage)} coverage)`],
      [
        'Mean latest NPS',
        `${decimal(bias.meanLatestNps.heard)} heard (${bias.meanLatestNps.heardKnown} known) against ${decimal(bias.meanLatestNps.portfolio)} portfolio (${bias.meanLatestNps.portfolioKnown} known)`,
      ],
      ...(bias.atRisk.target === null ? [] : ([['At-risk target', `${percent(bias.atRisk.target)} of those heard`]] as [string, string][])),
    ]),
  );
  const share = (label: string, s: BiasAnalytics['unhappy']) => [label, s.portfolio, percent(s.portfolioShare), s.heard, percent(s.heardShare)];
  out.push(
    table(
      ['Clients', 'Portfolio', 'Share', 'Heard', 'Share of heard'],
      [
        share('At risk', bias.atRisk),
        share('Unhappy (latest NPS 0–6)', bias.unhappy),
        share('Lapsed', bias.lapsed),
        share('Lost', bias.lost),
        share('Pitch lost', bias.pitchLost),
      ],
      [false, true, true, true, true],
    ),
  );
  out.push(note(`At risk: ${bias.atRisk.definition}`));
  return out;
}

function participationSection({ participation }: ManagementReport): Content[] {
  const out: Content[] = [heading(REPORT_HEADINGS.participation)];
  if ('none' in participation) {
    return [...out, para(participation.none)];
  }
  const p = participation.programme;
  const t = p.totals.figures;
  out.push(para(`Programme: ${p.programme.name}.`));
  out.push(
    facts([
      ['Partners counted', String(t.partners)],
      ['Proposed by the programme lead', String(t.proposed)],
      ['Accepted / deferred / declined', `${t.accepted} / ${t.deferred} / ${t.declined} (${t.notAnswered} not answered)`],
      ['Volunteered by partners', String(t.volunteered)],
      ['Clients put forward', `${t.putForward} (${t.atRiskPutForward} at risk)`],
      ['Clients held back', String(t.heldBack)],
      ['Said yes, put nothing forward', `${t.saidYesPutNothingForward} partners`],
    ]),
  );
  out.push(subheading('By partner'));
  out.push(
    table(
      ['Partner', 'Answer', 'Proposed', 'Accepted', 'Deferred', 'Declined', 'Volunteered', 'At risk put forward', 'Held back', 'Flag'],
      p.partners.map((row) => [
        row.partner.name,
        row.commitment ?? 'none',
        row.figures.proposed,
        row.figures.accepted,
        row.figures.deferred,
        row.figures.declined,
        row.figures.volunteered,
        row.figures.atRiskPutForward,
        row.figures.heldBack,
        row.saidYesPutNothingForward ? 'Said yes, put nothing forward' : '',
      ]),
      [false, false, true, true, true, true, true, true, true, false],
      ['*', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto', 70],
    ),
  );
  out.push(note(`At risk: ${p.atRiskDefinition}`));
  return out;
}

function loopSection({ loop }: ManagementReport): Content[] {
  const t = loop.totals;
  const problems = loop.problems.totals;
  return [
    heading(REPORT_HEADINGS.loop),
    facts([
      ['Actions created', String(t.actions)],
      ['Closure rate', `${percent(t.closureRate)} (${t.done} done, ${t.wontDo} won’t do, ${t.open} open)`],
      ['Time to close: median', dayCount(t.timeToClose.all.median)],
      ['Time to close: 90th percentile', dayCount(t.timeToClose.all.p90)],
      ['Overdue actions', String(t.overdue)],
      ['Feedback left unactioned', `${t.unactioned} (concerns and risks older than ${loop.unactionedAfterDays} days with no action)`],
      [
        'Problems resolved',
        `${problems.resolved} of ${problems.reported} (median ${dayCount(problems.timeToResolution.median)}, 90th percentile ${dayCount(problems.timeToResolution.p90)})`,
      ],
    ]),
    subheading('By owner'),
    table(
      ['Owner', 'Actions', 'Closure rate', 'Median days', '90th pct days', 'Overdue', 'Unactioned'],
      loop.groups.map((g) => [
        g.key?.name ?? 'No owner',
        g.figures.actions,
        percent(g.figures.closureRate),
        decimal(g.figures.timeToClose.all.median),
        decimal(g.figures.timeToClose.all.p90),
        g.figures.overdue,
        g.figures.unactioned,
      ]),
      [false, true, true, true, true, true, true],
    ),
    note(loop.rules),
  ];
}

function retentionSection({ retention }: ManagementReport): Content[] {
  const out: Content[] = [heading(REPORT_HEADINGS.retention), para(`Period: ${periodText(retention.period)}.`), subheading('Retention by year')];
  out.push(
    table(
      ['Year', 'Active on 1 January', 'Retained', 'Lost', 'Lapsed', 'Retention rate'],
      retention.years.map((y) => [String(y.year), y.activeAtStart, y.retained, y.lost, y.lapsed, percent(y.retentionRate)]),
      [false, true, true, true, true, true],
    ),
  );
  out.push(subheading(`Clients lost: ${retention.lost.length}`));
  if (retention.lost.length === 0) {
    out.push(para('No client was lost in the period.'));
  }
  for (const l of retention.lost) {
    out.push({ text: `${l.client.name}${l.lostOn ? `, lost ${longDate(l.lostOn.slice(0, 10))}` : ''}`, bold: true, margin: [0, 2, 0, 1] });
    out.push(
      l.heard.length
        ? { ul: l.heard.map((h) => `${longDate(h.heardOn.slice(0, 10))} (${h.type}, ${h.severity}): ${h.summary}`), margin: [0, 0, 0, 4] }
        : note('Nothing heard from them before they left that you may read.'),
    );
  }
  const ref = retention.referrals;
  const opp = retention.opportunities;
  out.push(subheading('Referrals and opportunities'));
  out.push(
    facts([
      ['Referrals made', `${ref.total} (${ref.won} won, ${ref.lost} lost, ${ref.noFit} no fit, ${ref.pending} pending)`],
      ['Opportunities identified', `${opp.total} (${opp.done} done, ${opp.open} open, ${opp.wontDo} won’t do, ${opp.noAction} with no action)`],
    ]),
  );
  out.push(note(retention.rule));
  return out;
}

function healthSection({ health }: ManagementReport): Content[] {
  const out: Content[] = [
    heading(REPORT_HEADINGS.health),
    para(
      `Health today (${longDate(health.today)}): ${health.total} active clients scored. Fees at stake: ${money(health.feesAtStake.atRisk)} at risk, ${money(health.feesAtStake.watch)} on watch.`,
    ),
    subheading(`The ${Math.min(REPORT_HEALTH_LIMIT, health.items.length)} clients most at risk`),
  ];
  out.push(
    table(
      ['Client', 'Score', 'Band', 'Fees at stake', 'Top reasons'],
      health.items.slice(0, REPORT_HEALTH_LIMIT).map((c) => [
        c.client.name,
        c.score,
        c.band.replace('_', ' '),
        money(c.annualFees),
        [...c.reasons]
          .sort((a, b) => b.points - a.points)
          .slice(0, 3)
          .map((reason) => `${reason.text} (−${Math.round(reason.points)})`)
          .join('; ') || 'none',
      ]),
      [false, true, false, true, false],
      [110, 'auto', 'auto', 'auto', '*'],
    ),
  );
  out.push(note(health.rules));
  return out;
}

/** The file name of the report: the day it was generated, in plain ASCII. */
export function reportFileName(report: Pick<ManagementReport, 'generatedAt'>): string {
  return `management-report-${report.generatedAt.slice(0, 10)}.pdf`;
}

/** The pdfmake document of the report. `compress: false` leaves the text readable in the file (tests). */
export function reportDocumentDefinition(report: ManagementReport, options: { compress?: boolean } = {}): TDocumentDefinitions {
  return {
    info: { title: REPORT_TITLE, creator: 'Hearken' },
    pageSize: 'A4',
    pageMargins: [40, 48, 40, 56],
    compress: options.compress ?? true,
    defaultStyle: { font: 'Roboto', fontSize: 9.5, lineHeight: 1.15 },
    styles: {
      title: { fontSize: 22, bold: true, margin: [0, 120, 0, 6] },
      subtitle: { fontSize: 14, color: '#333333', margin: [0, 0, 0, 18] },
      h2: { fontSize: 15, bold: true, margin: [0, 0, 0, 8] },
      h3: { fontSize: 11, bold: true, margin: [0, 8, 0, 3] },
      note: { fontSize: 8, italics: true, color: '#555555', margin: [0, 2, 0, 6] },
      warning: { bold: true, color: '#8a1c1c', margin: [0, 0, 0, 6] },
    },
    content: [
      ...cover(report),
      ...npsSection(report),
      ...biasSection(report),
      ...participationSection(report),
      ...loopSection(report),
      ...retentionSection(report),
      ...healthSection(report),
    ],
    footer: (page: number, pages: number) => ({
      text: `${REPORT_TITLE} · ${longDate(report.generatedAt.slice(0, 10))} · confidential · page ${page} of ${pages}`,
      alignment: 'center',
      fontSize: 7.5,
      color: '#666666',
    }),
  };
}
