import { describe, expect, it } from 'vitest';
import { money, npsLine, percent, periodText, reportFileName, signed } from './report-document.js';
import type { NpsFiguresView } from './schemas.js';

const figures = (over: Partial<NpsFiguresView>): NpsFiguresView => ({
  clients: 5,
  sessions: 6,
  n: 6,
  promoters: 2,
  passives: 2,
  detractors: 2,
  nps: 0,
  margin: 65.3,
  warning: null,
  reason: null,
  satisfaction: { n: 0, mean: null },
  dimensions: [],
  ...over,
});

describe('management report text', () => {
  it('should state an NPS with its margin and counts, singular where there is one', () => {
    expect(npsLine(figures({}))).toBe('NPS 0 (± 65 points, 95% confidence), from 6 answers by 5 clients: 2 promoters, 2 passives, 2 detractors.');
    expect(npsLine(figures({ n: 1, clients: 1, promoters: 1, passives: 0, detractors: 0, nps: 100, margin: null }))).toBe(
      'NPS +100, from 1 answer by 1 client: 1 promoter, 0 passives, 0 detractors.',
    );
    expect(npsLine(figures({ nps: -33.3 }))).toContain('NPS -33 ');
  });

  it('should say why an NPS is missing: suppressed or no answers', () => {
    expect(npsLine(figures({ nps: null, n: null, reason: 'suppressed' }))).toBe('Hidden: too few clients answered to keep their answers anonymous.');
    expect(npsLine(figures({ nps: null, n: 0, reason: 'no_answers' }))).toBe('No NPS answers under these filters.');
  });

  it('should write periods, shares, signs, money and the file name plainly', () => {
    expect(periodText({ from: '2026-01-01', to: '2026-06-30' })).toBe('1 January 2026 to 30 June 2026');
    expect(periodText({ from: '2026-01-01', to: null })).toBe('from 1 January 2026');
    expect(periodText({ from: null, to: '2026-06-30' })).toBe('up to 30 June 2026');
    expect(periodText({ from: null, to: null })).toBe('all dates');
    expect([percent(1 / 3), percent(null), signed(66.67), signed(-0.4), money(1_250_000)]).toEqual(['33%', '—', '+67', '0', '1,250,000']);
    expect(reportFileName({ generatedAt: '2026-11-23T19:30:00.000Z' })).toBe('management-report-2026-11-23.pdf');
  });
});
