import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countedAnswers } from './counting.js';
import { checkPeriod, feeBandOf, periodBounds, quarterOf, quartersBetween } from './filters.js';
import { averageOf, groupUnder, npsBand, npsOf, sampleWarning } from './nps.js';

describe('npsOf', () => {
  it('should count promoters, passives and detractors and compute NPS and margin by hand', () => {
    // P = 10, 9, 10, 9; passives 8, 7; D = 6, 0, 3, 5 → NPS 0; variance (8/10) − 0² = 0.8 → 196 × √0.08 = 55.4
    expect(npsOf([10, 9, 8, 7, 6, 0, 3, 10, 9, 5])).toEqual({
      n: 10,
      promoters: 4,
      passives: 2,
      detractors: 4,
      nps: 0,
      margin: 55.4,
      warning: 'Only 10 answers: read with care (±55.4 points).',
    });
    // 3 promoters, 1 detractor → 75 − 25 = 50; variance 1 − 0.5² = 0.75 → 196 × √(0.75/4) = 84.9
    const small = npsOf([10, 10, 10, 6]);
    expect(small).toMatchObject({ n: 4, promoters: 3, passives: 0, detractors: 1, nps: 50, margin: 84.9 });
    expect(small.warning).toBe('Only 4 answers: too few to read as a score; treat them as individual voices.');
  });

  it('should handle no answers, one answer, all detractors and all passives', () => {
    expect(npsOf([])).toEqual({ n: 0, promoters: 0, passives: 0, detractors: 0, nps: null, margin: null, warning: 'No answers yet.' });
    expect(npsOf([9])).toMatchObject({
      n: 1,
      promoters: 1,
      nps: 100,
      margin: 0,
      warning: 'Only 1 answer: too few to read as a score; treat them as individual voices.',
    });
    expect(npsOf([0, 5, 6])).toMatchObject({ detractors: 3, nps: -100, margin: 0 });
    expect(npsOf([7, 8, 7])).toMatchObject({ passives: 3, nps: 0, margin: 0 });
  });

  it('should place the band boundaries at 6/7 and 8/9', () => {
    expect([0, 6, 7, 8, 9, 10].map(npsBand)).toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']);
  });

  it('should give no warning from 30 answers on', () => {
    expect(sampleWarning(29)).toMatch(/read with care/);
    expect(sampleWarning(30)).toBeNull();
    expect(npsOf(Array.from({ length: 30 }, () => 10)).warning).toBeNull();
  });

  const answers = fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 200 });

  it('should keep NPS within −100…100 and the margin at or above 0', () => {
    fc.assert(
      fc.property(answers, (scores) => {
        const f = npsOf(scores);
        expect(f.nps).toBeGreaterThanOrEqual(-100);
        expect(f.nps).toBeLessThanOrEqual(100);
        expect(f.margin).toBeGreaterThanOrEqual(0);
        expect(f.promoters + f.passives + f.detractors).toBe(scores.length);
      }),
    );
  });

  it('should shrink the margin as the same mix of answers grows', () => {
    fc.assert(
      fc.property(answers, fc.integer({ min: 2, max: 10 }), (scores, k) => {
        const once = npsOf(scores);
        const more = npsOf(Array.from({ length: k }, () => scores).flat());
        expect(more.nps).toBe(once.nps);
        expect(more.margin).toBeLessThanOrEqual(once.margin ?? 0);
        if ((once.margin ?? 0) > 1) {
          expect(more.margin).toBeLessThan(once.margin ?? 0);
        }
      }),
    );
  });
});

describe('averageOf', () => {
  it('should average to two decimals, and have no average of nothing', () => {
    expect(averageOf([7, 8, 8])).toEqual({ n: 3, mean: 7.67 });
    expect(averageOf([])).toEqual({ n: 0, mean: null });
  });
});

describe('groupUnder', () => {
  it('should put an item under each of its keys once', () => {
    const groups = groupUnder(['a', 'b'], (x) => (x === 'a' ? ['p1', 'p2', 'p1'] : []));
    expect(groups).toEqual(
      new Map([
        ['p1', ['a']],
        ['p2', ['a']],
      ]),
    );
  });
});

describe('countedAnswers (the counting rule)', () => {
  const answer = (sessionId: string, clientId: string, at: string, value: number) => ({ sessionId, clientId, at, value });

  it('should keep one answer per client per quarter: the latest', () => {
    const counted = countedAnswers([
      answer('s1', 'c1', '2026-01-10T10:00:00.000Z', 3),
      answer('s2', 'c1', '2026-03-20T10:00:00.000Z', 9),
      answer('s3', 'c1', '2026-04-02T10:00:00.000Z', 7),
      answer('s4', 'c2', '2026-02-01T10:00:00.000Z', 10),
    ]);
    expect(counted.map((a) => [a.sessionId, a.quarter])).toEqual([
      ['s4', '2026-Q1'],
      ['s2', '2026-Q1'],
      ['s3', '2026-Q2'],
    ]);
  });

  it('should break a tie in time by session id, whatever the input order', () => {
    const a = answer('s1', 'c1', '2026-01-10T10:00:00.000Z', 3);
    const b = answer('s2', 'c1', '2026-01-10T10:00:00.000Z', 9);
    expect(countedAnswers([a, b]).map((x) => x.value)).toEqual([9]);
    expect(countedAnswers([b, a]).map((x) => x.value)).toEqual([9]);
  });

  it('should never count a client twice in a quarter', () => {
    const arb = fc.array(
      fc.record({
        sessionId: fc.uuid(),
        clientId: fc.constantFrom('c1', 'c2', 'c3'),
        at: fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
        value: fc.integer({ min: 0, max: 10 }),
      }),
    );
    fc.assert(
      fc.property(arb, (answers) => {
        const counted = countedAnswers(answers);
        const keys = counted.map((a) => `${a.clientId}|${a.quarter}`);
        expect(new Set(keys).size).toBe(keys.length);
        expect(new Set(keys)).toEqual(new Set(answers.map((a) => `${a.clientId}|${quarterOf(a.at)}`)));
      }),
    );
  });
});

describe('filters (pure parts)', () => {
  it('should band fees with the lower bound inclusive', () => {
    expect([null, 0, 99_999, 100_000, 499_999, 500_000, 1_000_000, 4_999_999, 5_000_000].map(feeBandOf)).toEqual([
      'unknown',
      'under_100k',
      'under_100k',
      '100k_to_500k',
      '100k_to_500k',
      '500k_to_1m',
      '1m_to_5m',
      '1m_to_5m',
      '5m_and_over',
    ]);
  });

  it('should name quarters and list those between two dates', () => {
    expect(quarterOf('2026-03-31T23:59:59.999Z')).toBe('2026-Q1');
    expect(quarterOf('2026-04-01')).toBe('2026-Q2');
    expect(quartersBetween('2025-11-15', '2026-04-01')).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
  });

  it('should refuse a reversed or absurd period, naming the field', () => {
    const fieldOf = (from: string | null, to: string | null) => {
      try {
        checkPeriod(from, to);
        return null;
      } catch (e) {
        return (e as { errors: { field: string }[] }).errors[0]?.field;
      }
    };
    expect(fieldOf('2026-05-01', '2026-04-01')).toBe('from');
    expect(fieldOf('1066-10-14', null)).toBe('from');
    expect(fieldOf(null, '2999-01-01')).toBe('to');
    expect(fieldOf('2000-01-01', '2090-01-01')).toBe('to');
    expect(fieldOf('2026-04-01', '2026-04-01')).toBeNull();
    expect(fieldOf(null, null)).toBeNull();
  });

  it('should turn the period into an inclusive start and an exclusive end', () => {
    expect(periodBounds({ from: '2026-01-01', to: '2026-03-31' })).toEqual({ start: '2026-01-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' });
    expect(periodBounds({ from: null, to: null })).toEqual({ start: null, end: null });
  });
});
