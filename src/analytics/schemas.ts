import { z } from 'zod';
import { CLIENT_STATUSES } from '../db/schema.js';
import { booleanQuery, cursor, id, limit } from '../http/schema-helpers.js';
import { BIAS_BREAKDOWNS } from './bias.js';
import { analyticsFilterFields, FEE_BANDS, GROUP_BYS } from './filters.js';
import { METRICS_DESCRIPTION, NO_GROUP, RECORD_KINDS, RECORD_SOURCES } from './records.js';

/**
 * API shapes of the analytics endpoints (issue 6). Several people add to this file: keep each
 * endpoint's shapes in its own section below, and edit surgically. The shared filters (period,
 * practice, partner, office, industry, segment, fee band) live in filters.ts.
 */

export const AnalyticsWarningSchema = z.string().nullable().describe('A plain-language warning about how far the figure can be trusted; null when none');

// ---------------------------------------------------------------- nps (nps-service.ts)

const nullableCount = z.number().int().nullable();

export const NpsGroupBySchema = z.enum(GROUP_BYS).describe('practice, partner, industry, office, segment, feeBand or quarter');

export const NpsQuery = z.object({
  ...analyticsFilterFields,
  groupBy: NpsGroupBySchema.optional(),
});

export const NpsSessionQuery = z.object({
  ...analyticsFilterFields,
  groupBy: NpsGroupBySchema.optional().describe('With group: the grouping of the figure to drill into'),
  group: z.string().min(1).max(200).optional().describe('The key of the group to drill into (as returned in groups[].key)'),
  limit,
  cursor,
});

export const NpsFiguresSchema = z
  .object({
    clients: nullableCount.describe('Clients whose answers count in the figure'),
    sessions: nullableCount.describe('Held sessions whose answers count in the figure'),
    n: nullableCount.describe('NPS answers counted (one per client per quarter)'),
    promoters: nullableCount.describe('Answers 9–10'),
    passives: nullableCount.describe('Answers 7–8'),
    detractors: nullableCount.describe('Answers 0–6'),
    nps: z.number().nullable().describe('% promoters − % detractors (−100 to 100); null without answers or when suppressed'),
    margin: z.number().nullable().describe('± points, 95% confidence'),
    warning: AnalyticsWarningSchema,
    reason: z.enum(['suppressed', 'no_answers']).nullable().describe('Why figures are missing: suppressed (too few clients to stay anonymous) or no_answers'),
    satisfaction: z.object({ n: nullableCount, mean: z.number().nullable() }).describe('Average satisfaction'),
    dimensions: z
      .array(z.object({ key: z.string(), label: z.string(), n: nullableCount, mean: z.number().nullable() }))
      .describe('Average of each score dimension'),
  })
  .meta({ id: 'NpsFigures' });
export type NpsFiguresView = z.infer<typeof NpsFiguresSchema>;

export const NpsAnalyticsSchema = z
  .object({
    period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
    groupBy: NpsGroupBySchema.nullable(),
    countingRule: z.string().describe('How answers are counted'),
    state: z.enum(['ok', 'no_answers']).describe('no_answers: nothing to count yet under these filters'),
    overall: NpsFiguresSchema,
    groups: z.array(
      z.object({ key: z.string().describe('Pass as group to /analytics/nps/sessions to drill down'), label: z.string(), figures: NpsFiguresSchema }),
    ),
    trend: z.array(z.object({ quarter: z.string().describe('YYYY-Qn'), figures: NpsFiguresSchema })).describe('By calendar quarter, oldest first'),
  })
  .meta({ id: 'NpsAnalytics' });
export type NpsAnalytics = z.infer<typeof NpsAnalyticsSchema>;

export const NpsSessionPageSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        client: z.object({ id: z.string(), name: z.string() }),
        quarter: z.string(),
        completedAt: z.string(),
        nps: z.number().nullable(),
        satisfaction: z.number().nullable(),
        countsFor: z.array(z.string()).describe('The measures for which this session holds the counted answer (nps, satisfaction, dimension keys)'),
      }),
    ),
    nextCursor: z.string().nullable(),
    suppressed: z.boolean().describe('True when the group is too small to show (nothing is listed)'),
  })
  .meta({ id: 'NpsSessionPage' });
export type NpsSessionPage = z.infer<typeof NpsSessionPageSchema>;

// ---------------------------------------------------------------- bias (bias-service.ts)

export const BiasQuery = z.object({
  ...analyticsFilterFields,
  programmeId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('A programme: only its sessions count as heard, over its dates unless from/to are given, against its at-risk target'),
});

const shareOf = z.number().nullable().describe('0–1; null when there is nothing to divide by');
const BiasShareSchema = z.object({ portfolio: z.number().int(), portfolioShare: shareOf, heard: z.number().int(), heardShare: shareOf });
const BiasRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  portfolio: z.number().int().describe('Portfolio clients in the row'),
  portfolioShare: shareOf,
  heard: z.number().int().describe('Heard clients in the row'),
  heardShare: shareOf,
  gapPoints: z.number().nullable().describe('heardShare − portfolioShare in percentage points; negative: under-heard'),
  coverage: shareOf.describe('Heard / portfolio within the row'),
});

export const BiasAnalyticsSchema = z
  .object({
    period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
    programme: z.object({ id: z.string(), name: z.string() }).nullable(),
    state: z.enum(['ok', 'empty_portfolio', 'nobody_heard']),
    portfolio: z.number().int().describe('Clients you may see (prospects left out), after the filters'),
    heard: z.number().int().describe('Of those, clients with a held session in the period'),
    coverage: shareOf,
    breakdowns: z.object({
      status: z.array(BiasRowSchema),
      feeBand: z.array(BiasRowSchema),
      industry: z.array(BiasRowSchema),
      practice: z.array(BiasRowSchema),
      satisfaction: z.array(BiasRowSchema).describe('By the band of the latest known NPS'),
    }),
    atRisk: BiasShareSchema.extend({ target: z.number().nullable(), meetsTarget: z.boolean().nullable(), definition: z.string() }),
    unhappy: BiasShareSchema.describe('Latest known NPS 0–6'),
    lapsed: BiasShareSchema,
    lost: BiasShareSchema,
    pitchLost: BiasShareSchema,
    meanLatestNps: z.object({ heard: z.number().nullable(), heardKnown: z.number().int(), portfolio: z.number().nullable(), portfolioKnown: z.number().int() }),
    flag: z.object({ biased: z.boolean(), reasons: z.array(z.string()).describe('Plain-language reasons, each with its numbers') }),
  })
  .meta({ id: 'BiasAnalytics' });
export type BiasAnalytics = z.infer<typeof BiasAnalyticsSchema>;

export const BiasClientQuery = BiasQuery.extend({
  breakdown: z.enum(BIAS_BREAKDOWNS).optional().describe('With key: the breakdown of the row to drill into'),
  key: z.string().min(1).max(200).optional().describe("The row's key (as returned in breakdowns.*[].key)"),
  heard: booleanQuery.optional().describe('Only the clients heard (true) or not heard (false)'),
  atRisk: booleanQuery.optional().describe('Only the at-risk clients (true) or the others (false)'),
  limit,
  cursor,
});

export const BiasClientPageSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        status: z.enum(CLIENT_STATUSES),
        feeBand: z.enum(FEE_BANDS),
        industry: z.string().nullable(),
        latestNps: z.number().nullable().describe('The latest known NPS answer'),
        satisfaction: z.enum(['promoter', 'passive', 'detractor', 'unknown']),
        atRisk: z.boolean(),
        heard: z.boolean(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'BiasClientPage' });
export type BiasClientPage = z.infer<typeof BiasClientPageSchema>;

// ---------------------------------------------------------------- participation, loop, retention
// (participation-service.ts, loop-service.ts, retention-service.ts)

const analyticsRef = z.object({ id: z.string(), name: z.string() });

const { from: _from, to: _to, ...clientFilterFields } = analyticsFilterFields;
export const ParticipationQuery = z.object({
  programmeId: z.string().min(1).max(64).describe('The programme (UUIDv7)'),
  ...clientFilterFields,
});
export type ParticipationQuery = z.infer<typeof ParticipationQuery>;

const ParticipationFiguresSchema = z
  .object({
    proposed: z.number().int().describe('Nominations the programme lead proposed (withdrawn left out)'),
    accepted: z.number().int(),
    deferred: z.number().int().describe('Answered "not now"'),
    declined: z.number().int(),
    volunteered: z.number().int().describe('Clients put forward without being asked'),
    notAnswered: z.number().int().describe('Proposed nominations not answered yet'),
    putForward: z
      .number()
      .int()
      .describe(
        'Accepted nominations, proposed or volunteered: a client two partners put forward counts twice in a team or the firm; the drill-down lists these nominations',
      ),
    atRiskPutForward: z
      .number()
      .int()
      .describe('Accepted nominations of at-risk or lost clients (see atRiskDefinition); the drill-down lists these nominations'),
    heldBack: z.number().int().describe('Distinct clients of these partners (not prospects) never put forward in the programme'),
    saidYesPutNothingForward: z.number().int().describe('Partners who said yes to the programme yet put no client forward'),
    partners: z.number().int().describe('Partners counted'),
  })
  .meta({ id: 'ParticipationFigures' });

export const ParticipationAnalyticsSchema = z
  .object({
    programme: analyticsRef,
    atRiskDefinition: z.string().describe('What "at risk" (unhappy) means here'),
    partners: z.array(
      z.object({
        partner: analyticsRef,
        teams: z.array(analyticsRef).describe('The partner’s teams (practice groups)'),
        commitment: z.enum(['yes', 'no']).nullable().describe('The partner’s answer to the programme, if any'),
        figures: ParticipationFiguresSchema,
        saidYesPutNothingForward: z.boolean().describe('The flag: said yes to the programme, put no client forward'),
      }),
    ),
    teams: z
      .array(
        z.object({
          team: analyticsRef.nullable().describe('null: partners in no team'),
          figures: ParticipationFiguresSchema,
          partnerIds: z.array(z.string()),
        }),
      )
      .describe('Per team: the sums of its partners (a partner in two teams counts in both)'),
    totals: z.object({ figures: ParticipationFiguresSchema }).describe('The firm: each partner once'),
  })
  .meta({ id: 'ParticipationAnalytics' });
export type ParticipationAnalytics = z.infer<typeof ParticipationAnalyticsSchema>;

export const LOOP_GROUP_BYS = ['owner', 'team'] as const;
export const LoopQuery = z.object({
  ...analyticsFilterFields,
  groupBy: z.enum(LOOP_GROUP_BYS).default('owner').describe('owner (the action’s owner) or team (the owner’s teams)'),
});
export type LoopQuery = z.infer<typeof LoopQuery>;

const DistributionSchema = z
  .object({
    count: z.number().int().describe('Values counted'),
    median: z.number().nullable().describe('50th percentile in days (linear interpolation); null without values'),
    p90: z.number().nullable().describe('90th percentile in days (linear interpolation); null without values'),
  })
  .meta({ id: 'DaysDistribution' });

const LoopFiguresSchema = z
  .object({
    actions: z.number().int().describe('Actions created in the period'),
    done: z.number().int(),
    wontDo: z.number().int(),
    open: z.number().int().describe('Still open or in progress'),
    closureRate: z.number().nullable().describe('(done + won’t do) / actions, 0–1; null without actions'),
    timeToClose: z
      .object({ all: DistributionSchema, done: DistributionSchema, wontDo: DistributionSchema })
      .describe('Days from created_at to closed_at of the closed actions: together, and done and won’t do apart'),
    overdue: z.number().int().describe('Open or in progress with a due date before today (UTC)'),
    unactioned: z.number().int().describe('Concerns and risks heard in the period, older than the loop setting, with no action'),
  })
  .meta({ id: 'LoopFigures' });

const ProblemFiguresSchema = z
  .object({
    reported: z.number().int().describe('Problems reported in the period'),
    resolved: z.number().int().describe('Of those, resolved or closed with a resolution date'),
    timeToResolution: DistributionSchema.describe('Days from reported_on to resolved_on'),
  })
  .meta({ id: 'ProblemFigures' });

export const LoopAnalyticsSchema = z
  .object({
    period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
    groupBy: z.enum(LOOP_GROUP_BYS),
    unactionedAfterDays: z.number().int().describe('The loop setting: feedback older than this many days with no action is unactioned'),
    rules: z.string().describe('How the figures are counted'),
    totals: LoopFiguresSchema,
    groups: z.array(z.object({ key: analyticsRef.nullable().describe('The owner or team; null: no team'), figures: LoopFiguresSchema })),
    problems: z.object({
      totals: ProblemFiguresSchema,
      groups: z.array(z.object({ key: analyticsRef.nullable().describe('The owner or team; null: unassigned or no team'), figures: ProblemFiguresSchema })),
    }),
  })
  .meta({ id: 'LoopAnalytics' });
export type LoopAnalytics = z.infer<typeof LoopAnalyticsSchema>;
export type LoopFigures = z.infer<typeof LoopFiguresSchema>;
export type ProblemFigures = z.infer<typeof ProblemFiguresSchema>;

export const RetentionQuery = z.object({ ...analyticsFilterFields });
export type RetentionQuery = z.infer<typeof RetentionQuery>;

export const RetentionAnalyticsSchema = z
  .object({
    period: z.object({ from: z.string(), to: z.string() }),
    rule: z.string().describe('How retention is derived, and its limits'),
    years: z.array(
      z.object({
        year: z.number().int(),
        activeAtStart: z.number().int().describe('Clients active on 1 January'),
        retained: z.number().int().describe('Of those, active at the end of the year (or today, for the current year)'),
        lost: z.number().int().describe('Of those, lost (or pitch lost) at the end'),
        lapsed: z.number().int().describe('Of those, lapsed at the end'),
        retentionRate: z.number().nullable().describe('retained / activeAtStart, 0–1; null without clients active at the start'),
      }),
    ),
    lost: z
      .array(
        z.object({
          client: z.object({ id: z.string(), name: z.string(), status: z.string() }),
          lostOn: z.string().nullable().describe('When the client became lost (from the audit log); null when unknown'),
          heard: z
            .array(z.object({ id: z.string(), type: z.string(), severity: z.string(), summary: z.string(), heardOn: z.string() }))
            .describe('The latest insights (up to 5) heard before the client left, that you may read'),
        }),
      )
      .describe('Clients lost in the period, with what was heard from them before they left'),
    referrals: z.object({
      total: z.number().int().describe('Referrals made in the period'),
      pending: z.number().int(),
      won: z.number().int(),
      lost: z.number().int(),
      noFit: z.number().int(),
    }),
    opportunities: z.object({
      total: z.number().int().describe('Insights of type opportunity heard in the period'),
      done: z.number().int().describe('With a linked action done'),
      open: z.number().int().describe('Not done, with a linked action open or in progress'),
      wontDo: z.number().int().describe('Every linked action won’t do'),
      noAction: z.number().int().describe('No linked action you may see'),
    }),
  })
  .meta({ id: 'RetentionAnalytics' });
export type RetentionAnalytics = z.infer<typeof RetentionAnalyticsSchema>;

// ---------------------------------------------------------------- drill-down records (records-service.ts)
// The records behind a participation, loop or retention figure, one page at a time.

export const AnalyticsRecordsQuery = z.object({
  source: z.enum(RECORD_SOURCES).describe('The dashboard the figure comes from: participation, loop, problems (the problems of /analytics/loop) or retention'),
  metric: z.string().min(1).max(40).describe(`The figure, named as in the source's response: ${METRICS_DESCRIPTION}`),
  group: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      `The row the figure belongs to: a partner or team id (participation), an owner or team id (loop, problems, by groupBy), or "${NO_GROUP}" for the row without one; absent for the totals`,
    ),
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('Retention: the year of a per-year figure (activeAtStart, retained, lost, lapsed)'),
  programmeId: id.optional().describe('Participation: the programme (required there)'),
  groupBy: z.enum(LOOP_GROUP_BYS).default('owner').describe('Loop and problems: owner or team, as on /analytics/loop'),
  ...analyticsFilterFields,
  limit,
  cursor,
});
export type AnalyticsRecordsQuery = z.infer<typeof AnalyticsRecordsQuery>;

export const AnalyticsRecordSchema = z
  .object({
    kind: z.enum(RECORD_KINDS).describe('What the record is'),
    id: z.string(),
    title: z.string().describe('The record in a few words (an action’s title, an insight’s summary, a client’s name …)'),
    client: analyticsRef.nullable().describe('The client the record is about (the referrer, for a referral)'),
    detail: z.string().describe('Short detail: status, owner, dates'),
    href: z.string().describe('The web app path where the record is shown'),
  })
  .meta({ id: 'AnalyticsRecord' });
export type AnalyticsRecord = z.infer<typeof AnalyticsRecordSchema>;

export const AnalyticsRecordPageSchema = z
  .object({
    items: z.array(AnalyticsRecordSchema).describe('Newest first'),
    total: z.number().int().describe('Records behind the figure (equal to the figure)'),
    nextCursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page'),
  })
  .meta({ id: 'AnalyticsRecordPage' });
export type AnalyticsRecordPage = z.infer<typeof AnalyticsRecordPageSchema>;

// ---------------------------------------------------------------- management report (report-service.ts)

export const ReportQuery = z.object({
  ...analyticsFilterFields,
  programmeId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('The programme of the partner-participation section; without it, the latest active programme (the section is skipped when there is none)'),
});
export type ReportQuery = z.infer<typeof ReportQuery>;
