import { describe, expect, it } from 'vitest';
import { type BiasClient, biasReport } from './bias.js';

let n = 0;
function c(overrides: Partial<BiasClient> = {}): BiasClient {
  n += 1;
  return { id: `c${n}`, status: 'active', feeBand: 'unknown', industry: null, practices: [], latestNps: null, heard: false, ...overrides };
}

describe('biasReport', () => {
  it('should compare the heard with the portfolio, row by row, by hand', () => {
    const r = biasReport(
      [
        c({ heard: true, latestNps: 10, feeBand: '1m_to_5m', industry: 'Banking' }),
        c({ heard: true, latestNps: 9, feeBand: '1m_to_5m', industry: 'Banking' }),
        c({ latestNps: 4, feeBand: 'under_100k', industry: 'Retail' }),
        c({ status: 'lost', industry: 'Retail' }),
      ],
      null,
    );
    expect(r).toMatchObject({ portfolio: 4, heard: 2, coverage: 0.5, state: 'ok' });
    expect(r.breakdowns.industry).toEqual([
      { key: 'Banking', label: 'Banking', portfolio: 2, portfolioShare: 0.5, heard: 2, heardShare: 1, gapPoints: 50, coverage: 1 },
      { key: 'Retail', label: 'Retail', portfolio: 2, portfolioShare: 0.5, heard: 0, heardShare: 0, gapPoints: -50, coverage: 0 },
    ]);
    expect(r.atRisk).toMatchObject({ portfolio: 2, portfolioShare: 0.5, heard: 0, heardShare: 0 });
    // Mean latest NPS: heard 9.5; portfolio (10 + 9 + 4) / 3 = 7.67 → both reasons.
    expect(r.meanLatestNps).toEqual({ heard: 9.5, heardKnown: 2, portfolio: 7.67, portfolioKnown: 3 });
    expect(r.flag.biased).toBe(true);
    expect(r.flag.reasons).toHaveLength(2);
    expect(r.flag.reasons[0]).toContain('50% of the portfolio but only 0% of the clients heard');
    expect(r.flag.reasons[1]).toContain('mean latest NPS answer of 9.5, above the portfolio');
  });

  it("should flag a heard at-risk share below the programme's target, and not flag a balanced sample", () => {
    const portfolio = [c({ heard: true, status: 'lapsed' }), c({ heard: true }), c({ heard: true }), c({ heard: true })];
    const belowTarget = biasReport(portfolio, 0.5);
    expect(belowTarget.atRisk).toMatchObject({ heardShare: 0.25, portfolioShare: 0.25, target: 0.5, meetsTarget: false });
    expect(belowTarget.flag.reasons).toEqual([expect.stringContaining("below the programme's target of 50%")]);
    const met = biasReport(portfolio, 0.25);
    expect(met.atRisk.meetsTarget).toBe(true);
    expect(met.flag).toEqual({ biased: false, reasons: [] });
  });

  it('should flag a gap of more than 10 points, not one of exactly 10', () => {
    // Portfolio: 20 clients, 6 at risk (30%). Heard: 10 clients.
    const build = (heardAtRisk: number) => [
      ...Array.from({ length: 6 }, (_, i) => c({ status: 'lapsed', heard: i < heardAtRisk })),
      ...Array.from({ length: 14 }, (_, i) => c({ heard: i < 10 - heardAtRisk })),
    ];
    const exactly = biasReport(build(2), null);
    expect(exactly.atRisk).toMatchObject({ portfolioShare: 0.3, heard: 2, heardShare: 0.2 });
    expect(exactly.flag.biased).toBe(false);
    const more = biasReport(build(1), null);
    expect(more.atRisk).toMatchObject({ portfolioShare: 0.3, heardShare: 0.1 });
    expect(more.flag.reasons).toEqual([expect.stringContaining('30% of the portfolio but only 10% of the clients heard')]);
  });

  it('should describe an empty portfolio and a portfolio nobody was heard from, without flags', () => {
    expect(biasReport([], 0.3)).toMatchObject({
      state: 'empty_portfolio',
      portfolio: 0,
      coverage: null,
      atRisk: { meetsTarget: null },
      flag: { biased: false },
    });
    const none = biasReport([c({ status: 'lost' })], 0.3);
    expect(none).toMatchObject({ state: 'nobody_heard', heard: 0, coverage: 0, atRisk: { heardShare: null, meetsTarget: null }, flag: { biased: false } });
  });

  it('should put a client with several practices in each, and one with none under "No practice"', () => {
    const r = biasReport(
      [
        c({
          heard: true,
          practices: [
            { id: 'p1', name: 'Corporate' },
            { id: 'p2', name: 'Tax' },
          ],
        }),
        c(),
      ],
      null,
    );
    expect(r.breakdowns.practice.map((row) => [row.key, row.portfolio, row.heard])).toEqual([
      ['p1', 1, 1],
      ['_none', 1, 0],
      ['p2', 1, 1],
    ]);
  });
});
