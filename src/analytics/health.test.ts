import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../http/errors.js';
import {
  bandOf,
  compareRisk,
  computeHealth,
  DEFAULT_HEALTH_WEIGHTS,
  emptySignals,
  type HealthSignals,
  parseHealthWeights,
  singleThreadWarnings,
  validateHealthWeights,
} from './health.js';

const today = '2026-06-30';
const W = DEFAULT_HEALTH_WEIGHTS;

describe('computeHealth', () => {
  it('should give 100 and healthy with no warning signs', () => {
    expect(computeHealth({ ...emptySignals(), lastListenedOn: '2026-05-01', cadence: 'green' }, W, today)).toEqual({
      score: 100,
      band: 'healthy',
      reasons: [],
    });
  });

  it('should add up hand-computed deductions with their reasons, biggest first', () => {
    const signals: HealthSignals = {
      nps: [
        { sessionId: 's1', clientId: 'c', at: '2026-01-10T10:00:00.000Z', value: 9 },
        { sessionId: 's2', clientId: 'c', at: '2026-05-10T10:00:00.000Z', value: 5 },
      ],
      satisfaction: [{ sessionId: 's2', clientId: 'c', at: '2026-05-10T10:00:00.000Z', value: 6 }],
      concerns: [
        { id: 'i1', severity: 'high' },
        { id: 'i2', severity: 'low' },
      ],
      overdueActions: [{ id: 'a1' }, { id: 'a2' }],
      cadence: 'red',
      lastListenedOn: '2026-05-10',
      openProblems: [{ id: 'p1' }],
      contactsLeft: [{ id: 'k1', name: 'Cora CFO', leftOn: '2026-03-01' }],
      feeChange: { before: 500_000, after: 300_000, on: '2026-02-01' },
    };
    // 25 detractor + 10 falling + 10 low satisfaction + 15 high + 3 low + 2×5 overdue + 10 cadence + 8 problem + 8 left + 10 fees = 109 → 0
    const h = computeHealth(signals, W, today);
    expect(h.score).toBe(0);
    expect(h.band).toBe('at_risk');
    expect(h.reasons.map((r) => [r.kind, r.points])).toEqual([
      ['npsDetractor', 25],
      ['concernHigh', 15],
      ['npsFalling', 10],
      ['lowSatisfaction', 10],
      ['overdueAction', 10],
      ['checkInOverdue', 10],
      ['feesFalling', 10],
      ['openProblem', 8],
      ['contactLeft', 8],
      ['concernLow', 3],
    ]);
    expect(h.reasons.find((r) => r.kind === 'npsFalling')?.text).toBe('NPS fell from 9 (2026-Q1) to 5 (2026-Q2)');
    expect(h.reasons.find((r) => r.kind === 'overdueAction')?.ids).toEqual(['a1', 'a2']);
  });

  it('should use the counting rule: the latest answer of the latest quarter', () => {
    const nps = [
      { sessionId: 's1', clientId: 'c', at: '2026-04-01T10:00:00.000Z', value: 3 },
      { sessionId: 's2', clientId: 'c', at: '2026-05-01T10:00:00.000Z', value: 8 },
    ];
    // Both in Q2: only the later (8, a passive) counts; no previous quarter, so no trend.
    const h = computeHealth({ ...emptySignals(), nps, lastListenedOn: '2026-05-01' }, W, today);
    expect(h).toMatchObject({ score: 92, band: 'healthy' });
    expect(h.reasons.map((r) => r.kind)).toEqual(['npsPassive']);
  });

  it('should count never listened to and a year without listening, but not 365 days', () => {
    expect(computeHealth({ ...emptySignals(), lastListenedOn: null }, W, today).score).toBe(90);
    expect(computeHealth({ ...emptySignals(), lastListenedOn: '2025-06-30' }, W, today).score).toBe(100);
    expect(computeHealth({ ...emptySignals(), lastListenedOn: '2025-06-29' }, W, today).reasons[0]?.text).toBe(
      'Not listened to for 366 days (last session 2025-06-29)',
    );
  });

  it('should not count rising fees', () => {
    expect(computeHealth({ ...emptySignals(), feeChange: { before: 1, after: 2, on: today } }, W, today).score).toBe(100);
  });

  it('should follow the weights', () => {
    const signals = { ...emptySignals(), openProblems: [{ id: 'p' }, { id: 'q' }] };
    expect(computeHealth(signals, { ...W, openProblem: 30 }, today)).toMatchObject({ score: 40, band: 'watch' });
    expect(computeHealth(signals, { ...W, openProblem: 0 }, today)).toMatchObject({ score: 100, reasons: [] });
  });
});

describe('bands', () => {
  it('should band at 70 and 40', () => {
    expect([bandOf(100), bandOf(70), bandOf(69), bandOf(40), bandOf(39), bandOf(0)]).toEqual(['healthy', 'healthy', 'watch', 'watch', 'at_risk', 'at_risk']);
  });
});

describe('weights', () => {
  it('should refuse negatives, unknown keys, non-numbers and all zero, naming the field', () => {
    const fieldOf = (input: Record<string, unknown>) => {
      try {
        validateHealthWeights(input);
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as ValidationError & { field?: string }).field ?? (e as Error).message;
      }
      return null;
    };
    expect(fieldOf({ openProblem: -1 })).toContain('openProblem');
    expect(fieldOf({ nonsense: 1 })).toContain('nonsense');
    expect(fieldOf({ feesFalling: 101 })).toContain('feesFalling');
    expect(fieldOf(Object.fromEntries(Object.keys(W).map((k) => [k, 0])))).toContain('npsDetractor');
    expect(fieldOf({ openProblem: 0 })).toBeNull();
  });

  it('should fall back to the defaults for a malformed stored value', () => {
    expect(parseHealthWeights(undefined)).toEqual(W);
    expect(parseHealthWeights('not json')).toEqual(W);
    expect(parseHealthWeights('{"openProblem":-5}')).toEqual(W);
    expect(parseHealthWeights('{"openProblem":12}')).toEqual({ ...W, openProblem: 12 });
  });
});

describe('single-threaded relationships', () => {
  it('should warn for one contact or one partner', () => {
    expect(singleThreadWarnings(3, 2)).toEqual([]);
    expect(singleThreadWarnings(1, 2).map((w) => w.kind)).toEqual(['one_contact']);
    expect(singleThreadWarnings(2, 1).map((w) => w.kind)).toEqual(['one_partner']);
    expect(singleThreadWarnings(0, 0).map((w) => w.kind)).toEqual(['one_contact', 'one_partner']);
  });
});

describe('risk order', () => {
  it('should put the lowest score first, then the most fees', () => {
    const rows = [
      { id: '1', name: 'A', score: 50, annualFees: 100 },
      { id: '2', name: 'B', score: 20, annualFees: null },
      { id: '3', name: 'C', score: 50, annualFees: 900 },
    ];
    expect([...rows].sort(compareRisk).map((r) => r.id)).toEqual(['2', '3', '1']);
  });
});

// ------------------------------------------------------------------ properties

const severity = fc.constantFrom('low' as const, 'medium' as const, 'high' as const);
const answer = fc.record({
  sessionId: fc.uuid(),
  clientId: fc.constant('c'),
  at: fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2026-06-29T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  value: fc.integer({ min: 0, max: 10 }),
});
const signalsArb: fc.Arbitrary<HealthSignals> = fc.record({
  nps: fc.array(answer, { maxLength: 6 }),
  satisfaction: fc.array(answer, { maxLength: 4 }),
  concerns: fc.array(fc.record({ id: fc.uuid(), severity }), { maxLength: 8 }),
  overdueActions: fc.array(fc.record({ id: fc.uuid() }), { maxLength: 8 }),
  cadence: fc.constantFrom('green' as const, 'amber' as const, 'red' as const, null),
  lastListenedOn: fc.option(fc.constantFrom('2024-01-01', '2026-01-01'), { nil: null }),
  openProblems: fc.array(fc.record({ id: fc.uuid() }), { maxLength: 5 }),
  contactsLeft: fc.array(fc.record({ id: fc.uuid(), name: fc.string(), leftOn: fc.constant('2026-01-01') }), { maxLength: 3 }),
  feeChange: fc.option(fc.record({ before: fc.nat(), after: fc.nat(), on: fc.constant('2026-01-01') }), { nil: null }),
});
const weightsArb = fc
  .record(Object.fromEntries(Object.keys(W).map((k) => [k, fc.integer({ min: 0, max: 100 })])) as Record<keyof typeof W, fc.Arbitrary<number>>)
  .filter((w) => Object.values(w).some((v) => v > 0));

describe('health properties', () => {
  it('should always score within 0..100 with the band of the score', () => {
    fc.assert(
      fc.property(signalsArb, weightsArb, (s, w) => {
        const h = computeHealth(s, w, today);
        expect(h.score).toBeGreaterThanOrEqual(0);
        expect(h.score).toBeLessThanOrEqual(100);
        expect(h.band).toBe(bandOf(h.score));
        expect(h.score).toBe(Math.max(0, Math.round(100 - h.reasons.reduce((t, r) => t + r.points, 0))));
      }),
    );
  });

  it('should never raise the score when a bad signal is added', () => {
    fc.assert(
      fc.property(signalsArb, weightsArb, fc.constantFrom('concern', 'action', 'problem', 'left', 'cadence', 'fees'), severity, (s, w, bad, sev) => {
        const before = computeHealth(s, w, today).score;
        const worse: HealthSignals = {
          ...s,
          ...(bad === 'concern' && { concerns: [...s.concerns, { id: 'x', severity: sev }] }),
          ...(bad === 'action' && { overdueActions: [...s.overdueActions, { id: 'x' }] }),
          ...(bad === 'problem' && { openProblems: [...s.openProblems, { id: 'x' }] }),
          ...(bad === 'left' && { contactsLeft: [...s.contactsLeft, { id: 'x', name: 'X', leftOn: '2026-01-01' }] }),
          ...(bad === 'cadence' && { cadence: 'red' as const }),
          ...(bad === 'fees' && { feeChange: { before: 10, after: 5, on: '2026-01-01' } }),
        };
        expect(computeHealth(worse, w, today).score).toBeLessThanOrEqual(before);
      }),
    );
  });
});
