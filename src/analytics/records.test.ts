import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../db/pagination.js';
import { ValidationError } from '../http/errors.js';
import { type LoopActionRecord, type LoopProblemRecord, loopFigures, loopRecordIds, problemFigures, problemRecordIds } from './loop-figures.js';
import { pageOfIds, RECORD_METRICS, recordMetric } from './records.js';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof ValidationError ? e.errors[0]?.field : 'not a validation error';
  }
  return undefined;
};

describe('recordMetric', () => {
  it('should give the kind of record behind each figure', () => {
    expect(recordMetric('participation', 'accepted', undefined)).toBe('nomination');
    expect(recordMetric('participation', 'heldBack', undefined)).toBe('client');
    expect(recordMetric('loop', 'unactioned', undefined)).toBe('insight');
    expect(recordMetric('loop', 'overdue', undefined)).toBe('action');
    expect(recordMetric('problems', 'resolved', undefined)).toBe('problem');
    expect(recordMetric('retention', 'referralsWon', undefined)).toBe('referral');
    expect(recordMetric('retention', 'retained', 2025)).toBe('client');
  });

  it('should name metric for a figure the source does not have, and year for a per-year figure without one', () => {
    expect(fieldOf(() => recordMetric('loop', 'heldBack', undefined))).toBe('metric');
    expect(fieldOf(() => recordMetric('participation', 'toString', undefined))).toBe('metric');
    expect(fieldOf(() => recordMetric('problems', 'actions', undefined))).toBe('metric');
    expect(fieldOf(() => recordMetric('retention', 'lost', undefined))).toBe('year');
    expect(fieldOf(() => recordMetric('retention', 'referrals', undefined))).toBeUndefined();
  });

  it('should offer every figure with a count on the participation, loop and problem responses', () => {
    expect(Object.keys(RECORD_METRICS.participation)).toEqual(
      expect.arrayContaining(['proposed', 'accepted', 'deferred', 'declined', 'volunteered', 'putForward', 'atRiskPutForward', 'heldBack']),
    );
    expect(Object.keys(RECORD_METRICS.loop)).toEqual(expect.arrayContaining(['actions', 'done', 'wontDo', 'open', 'overdue', 'unactioned']));
  });
});

describe('pageOfIds', () => {
  const ids = ['01a', '01c', '01b', '01e', '01d'];

  it('should page newest first, without repeats, with the total and the cursor of the last id', () => {
    const first = pageOfIds(ids, 2);
    expect(first).toEqual({ ids: ['01e', '01d'], total: 5, nextCursor: encodeCursor(null, '01d') });
    const second = pageOfIds(ids, 2, first.nextCursor as string);
    expect(second.ids).toEqual(['01c', '01b']);
    const third = pageOfIds(ids, 2, second.nextCursor as string);
    expect(third).toEqual({ ids: ['01a'], total: 5, nextCursor: null });
  });

  it('should count a duplicate once and give an empty page for no ids', () => {
    expect(pageOfIds(['x', 'x', 'y'], 10)).toEqual({ ids: ['y', 'x'], total: 2, nextCursor: null });
    expect(pageOfIds([], 50)).toEqual({ ids: [], total: 0, nextCursor: null });
  });

  it('should go on after the cursor even when its id has left the list', () => {
    expect(pageOfIds(['01a', '01b', '01d'], 5, encodeCursor(null, '01c')).ids).toEqual(['01b', '01a']);
  });

  it('should refuse a cursor it did not make, naming cursor', () => {
    expect(fieldOf(() => pageOfIds(ids, 2, 'not-a-cursor'))).toBe('cursor');
  });

  it('should list every id exactly once across the pages, whatever the page size (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), (list, limit) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 100; i++) {
          const page = pageOfIds(list, limit, cursor);
          expect(page.ids.length).toBeLessThanOrEqual(limit);
          seen.push(...page.ids);
          if (!page.nextCursor) {
            break;
          }
          cursor = page.nextCursor;
        }
        expect([...seen].sort()).toEqual([...new Set(list)].sort());
      }),
    );
  });
});

describe('loopRecordIds and problemRecordIds', () => {
  const now = new Date('2026-06-15T12:00:00.000Z');
  const action = (id: string, status: LoopActionRecord['status'], closed: string | null, due: string | null = null): LoopActionRecord => ({
    id,
    status,
    created_at: '2026-06-01T09:00:00.000Z',
    closed_at: closed,
    due_on: due,
  });
  const actions = [
    action('a1', 'done', '2026-06-03T09:00:00.000Z'),
    action('a2', 'wont_do', '2026-06-02T09:00:00.000Z'),
    // Done but never stamped closed: counted as done, not in time to close.
    action('a3', 'done', null),
    action('a4', 'open', null, '2026-06-14'),
    action('a5', 'in_progress', null, '2026-06-15'),
    action('a6', 'open', null),
  ];

  it('should list exactly the records each loop figure counts (hand-computed)', () => {
    const figures = loopFigures(actions, ['i1', 'i2'], now);
    expect(figures).toMatchObject({ actions: 6, done: 2, wontDo: 1, open: 3, overdue: 1, unactioned: 2, timeToClose: { all: { count: 2 } } });
    expect(loopRecordIds(actions, ['i1', 'i2'], now, 'actions')).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
    expect(loopRecordIds(actions, ['i1', 'i2'], now, 'done')).toEqual(['a1', 'a3']);
    expect(loopRecordIds(actions, ['i1', 'i2'], now, 'wontDo')).toEqual(['a2']);
    expect(loopRecordIds(actions, ['i1', 'i2'], now, 'open')).toEqual(['a4', 'a5', 'a6']);
    expect(loopRecordIds(actions, ['i1', 'i2'], now, 'closed')).toEqual(['a1', 'a2']);
    // Due yesterday is overdue; due today is not yet.
    expect(loopRecordIds(actions, ['i1', 'i2'], now, 'overdue')).toEqual(['a4']);
    expect(loopRecordIds(actions, ['i1', 'i2'], now, 'unactioned')).toEqual(['i1', 'i2']);
  });

  it('should list the problems reported and resolved (a resolved status without a date is not resolved)', () => {
    const problems: LoopProblemRecord[] = [
      { id: 'p1', status: 'resolved', reported_on: '2026-06-01', resolved_on: '2026-06-05' },
      { id: 'p2', status: 'closed', reported_on: '2026-06-01', resolved_on: '2026-06-02' },
      { id: 'p3', status: 'resolved', reported_on: '2026-06-01', resolved_on: null },
      { id: 'p4', status: 'open', reported_on: '2026-06-01', resolved_on: null },
    ];
    expect(problemFigures(problems)).toMatchObject({ reported: 4, resolved: 2 });
    expect(problemRecordIds(problems, 'reported')).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(problemRecordIds(problems, 'resolved')).toEqual(['p1', 'p2']);
  });
});
