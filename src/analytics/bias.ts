import type { ClientStatus } from '../db/schema.js';
import { AT_RISK_DEFINITION, isAtRiskClient, UNHAPPY_NPS_MAX } from '../listening/progress.js';
import { FEE_BAND_LABELS, type FeeBand } from './filters.js';
import { npsBand } from './nps.js';

/**
 * Sample bias, as pure functions: who was heard against the portfolio they were drawn from.
 * A firm that hears only from its happy clients makes its decisions with blinkers on; these
 * figures show whether that is happening and say so in plain words.
 *
 * - **Portfolio**: the clients the reader may see (prospects left out: not yet clients to hear).
 * - **Heard**: portfolio clients with a held session in the period (and in the programme, when one
 *   is named) that the reader may read.
 * - **Last known satisfaction**: the band of the client's latest known NPS (promoter 9–10,
 *   passive 7–8, detractor 0–6, unknown), as in the at-risk definition (listening/progress.ts).
 * - **At risk** is THE at-risk definition (AT_RISK_DEFINITION): lapsed, lost, pitch-lost, or a
 *   latest NPS of 0–6.
 * - **The flag**: the sample is called positively biased when (a) the heard share of at-risk
 *   clients is below the portfolio's by more than AT_RISK_GAP_POINTS points, or below the
 *   programme's target; or (b) the mean latest NPS of heard clients is above the portfolio's by
 *   more than NPS_MEAN_GAP (on the 0–10 scale). Each reason comes with its numbers.
 */

export const AT_RISK_GAP_POINTS = 10;
export const NPS_MEAN_GAP = 1;

export interface BiasClient {
  id: string;
  status: ClientStatus;
  feeBand: FeeBand;
  industry: string | null;
  practices: { id: string; name: string }[];
  latestNps: number | null;
  heard: boolean;
}

export interface BiasRow {
  key: string;
  label: string;
  portfolio: number;
  /** 0–1 of the portfolio; null when the portfolio is empty. */
  portfolioShare: number | null;
  heard: number;
  /** 0–1 of the heard clients; null when none was heard. */
  heardShare: number | null;
  /** heardShare − portfolioShare in percentage points (negative: under-heard); null when either share is. */
  gapPoints: number | null;
  /** heard / portfolio of this row: how much of it was heard. */
  coverage: number | null;
}

export interface ShareFigure {
  portfolio: number;
  portfolioShare: number | null;
  heard: number;
  heardShare: number | null;
}

export interface BiasReport {
  portfolio: number;
  heard: number;
  coverage: number | null;
  breakdowns: {
    status: BiasRow[];
    feeBand: BiasRow[];
    industry: BiasRow[];
    practice: BiasRow[];
    satisfaction: BiasRow[];
  };
  atRisk: ShareFigure & { target: number | null; meetsTarget: boolean | null; definition: string };
  unhappy: ShareFigure;
  lapsed: ShareFigure;
  lost: ShareFigure;
  pitchLost: ShareFigure;
  meanLatestNps: { heard: number | null; heardKnown: number; portfolio: number | null; portfolioKnown: number };
  flag: { biased: boolean; reasons: string[] };
  state: 'ok' | 'empty_portfolio' | 'nobody_heard';
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;
export const share = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));
const pct = (x: number | null) => (x === null ? 'none' : `${round(x * 100, 1)}%`);

const STATUS_LABELS: Record<ClientStatus, string> = {
  prospect: 'Prospect',
  active: 'Active',
  lapsed: 'Lapsed',
  lost: 'Lost',
  pitch_lost: 'Pitch lost',
};
const SATISFACTION_LABELS = { promoter: 'Promoter (9–10)', passive: 'Passive (7–8)', detractor: 'Detractor (0–6)', unknown: 'Not known' };

function shareFigure(clients: readonly BiasClient[], heard: readonly BiasClient[], test: (c: BiasClient) => boolean): ShareFigure {
  const p = clients.filter(test).length;
  const h = heard.filter(test).length;
  return { portfolio: p, portfolioShare: share(p, clients.length), heard: h, heardShare: share(h, heard.length) };
}

function breakdown(
  clients: readonly BiasClient[],
  heard: readonly BiasClient[],
  keysOf: (c: BiasClient) => [string, string][],
  order?: readonly string[],
): BiasRow[] {
  const rows = new Map<string, BiasRow>();
  const bump = (c: BiasClient, field: 'portfolio' | 'heard') => {
    for (const [key, label] of keysOf(c)) {
      const row = rows.get(key) ?? { key, label, portfolio: 0, portfolioShare: null, heard: 0, heardShare: null, gapPoints: null, coverage: null };
      row[field] += 1;
      rows.set(key, row);
    }
  };
  for (const c of clients) {
    bump(c, 'portfolio');
  }
  for (const c of heard) {
    bump(c, 'heard');
  }
  const out = [...rows.values()].map((row) => {
    const portfolioShare = share(row.portfolio, clients.length);
    const heardShare = share(row.heard, heard.length);
    return {
      ...row,
      portfolioShare,
      heardShare,
      gapPoints: portfolioShare === null || heardShare === null ? null : round((heardShare - portfolioShare) * 100, 1),
      coverage: share(row.heard, row.portfolio),
    };
  });
  return out.sort((a, b) =>
    order ? order.indexOf(a.key) - order.indexOf(b.key) : b.portfolio - a.portfolio || a.label.localeCompare(b.label) || a.key.localeCompare(b.key),
  );
}

export const BIAS_BREAKDOWNS = ['status', 'feeBand', 'industry', 'practice', 'satisfaction'] as const;
export type BiasBreakdown = (typeof BIAS_BREAKDOWNS)[number];

const BREAKDOWN_ORDER: Record<BiasBreakdown, readonly string[] | undefined> = {
  status: ['prospect', 'active', 'lapsed', 'lost', 'pitch_lost'],
  feeBand: ['under_100k', '100k_to_500k', '500k_to_1m', '1m_to_5m', '5m_and_over', 'unknown'],
  industry: undefined,
  practice: undefined,
  satisfaction: ['promoter', 'passive', 'detractor', 'unknown'],
};

/** The band of a client's last known satisfaction (its latest known NPS). */
export function satisfactionBand(latestNps: number | null): keyof typeof SATISFACTION_LABELS {
  return latestNps === null ? 'unknown' : npsBand(latestNps);
}

/** The rows of a breakdown a client falls in, as [key, label] (several for practices). */
export function rowsOf(b: BiasBreakdown, c: BiasClient): [string, string][] {
  switch (b) {
    case 'status':
      return [[c.status, STATUS_LABELS[c.status]]];
    case 'feeBand':
      return [[c.feeBand, FEE_BAND_LABELS[c.feeBand]]];
    case 'industry':
      return [c.industry ? [c.industry, c.industry] : ['_none', 'No industry recorded']];
    case 'practice':
      return c.practices.length ? c.practices.map((p) => [p.id, p.name] as [string, string]) : [['_none', 'No practice']];
    case 'satisfaction': {
      const band = satisfactionBand(c.latestNps);
      return [[band, SATISFACTION_LABELS[band]]];
    }
  }
}

/** THE at-risk test, on a bias client. */
export const isAtRisk = (c: BiasClient) => isAtRiskClient({ status: c.status, latestNps: c.latestNps });

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : round(values.reduce((a, b) => a + b, 0) / values.length, 2);
}

export function biasReport(clients: readonly BiasClient[], targetAtRiskShare: number | null): BiasReport {
  const heard = clients.filter((c) => c.heard);
  const atRiskFigure = shareFigure(clients, heard, isAtRisk);
  const meetsTarget = targetAtRiskShare === null || heard.length === 0 ? null : (atRiskFigure.heardShare ?? 0) >= targetAtRiskShare;
  const heardKnown = heard.flatMap((c) => (c.latestNps === null ? [] : [c.latestNps]));
  const portfolioKnown = clients.flatMap((c) => (c.latestNps === null ? [] : [c.latestNps]));
  const meanLatestNps = { heard: mean(heardKnown), heardKnown: heardKnown.length, portfolio: mean(portfolioKnown), portfolioKnown: portfolioKnown.length };

  const reasons: string[] = [];
  if (heard.length > 0) {
    const { heardShare, portfolioShare } = atRiskFigure;
    if (heardShare !== null && portfolioShare !== null && (portfolioShare - heardShare) * 100 > AT_RISK_GAP_POINTS) {
      reasons.push(
        `At-risk clients are ${pct(portfolioShare)} of the portfolio but only ${pct(heardShare)} of the clients heard: the firm is hearing less from the clients it most needs to hear from.`,
      );
    }
    if (meetsTarget === false) {
      reasons.push(`At-risk clients are ${pct(heardShare)} of the clients heard, below the programme's target of ${pct(targetAtRiskShare)}.`);
    }
    if (meanLatestNps.heard !== null && meanLatestNps.portfolio !== null && meanLatestNps.heard - meanLatestNps.portfolio > NPS_MEAN_GAP) {
      reasons.push(
        `The clients heard score a mean latest NPS answer of ${meanLatestNps.heard}, above the portfolio's ${meanLatestNps.portfolio}: the sample leans towards happy clients.`,
      );
    }
  }
  const rowsBy = (b: BiasBreakdown) => breakdown(clients, heard, (c) => rowsOf(b, c), BREAKDOWN_ORDER[b]);
  return {
    portfolio: clients.length,
    heard: heard.length,
    coverage: share(heard.length, clients.length),
    breakdowns: {
      status: rowsBy('status'),
      feeBand: rowsBy('feeBand'),
      industry: rowsBy('industry'),
      practice: rowsBy('practice'),
      satisfaction: rowsBy('satisfaction'),
    },
    atRisk: { ...atRiskFigure, target: targetAtRiskShare, meetsTarget, definition: AT_RISK_DEFINITION },
    unhappy: shareFigure(clients, heard, (c) => c.latestNps !== null && c.latestNps <= UNHAPPY_NPS_MAX),
    lapsed: shareFigure(clients, heard, (c) => c.status === 'lapsed'),
    lost: shareFigure(clients, heard, (c) => c.status === 'lost'),
    pitchLost: shareFigure(clients, heard, (c) => c.status === 'pitch_lost'),
    meanLatestNps,
    flag: { biased: reasons.length > 0, reasons },
    state: clients.length === 0 ? 'empty_portfolio' : heard.length === 0 ? 'nobody_heard' : 'ok',
  };
}
