import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ActionTally,
  addActionTally,
  addProblemTally,
  emptyActionTally,
  emptyProblemTally,
  groupBuckets,
  type LoopActionRecord,
  loopFigures,
  problemFigures,
  problemTallyFigures,
  tallyActions,
  tallyFigures,
  tallyProblems,
} from './loop-figures.js';
import { distribution, splitDistributions } from './loop-metrics.js';

const now = new Date('2026-06-15T12:00:00.000Z');

describe('tallyFigures', () => {
  it('should give the loop figures of a tally (hand-computed)', () => {
    const tally: ActionTally = { actions: 4, done: 2, wontDo: 1, overdue: 1, doneDays: [3, 1], wontDoDays: [2] };
    expect(tallyFigures(tally, 5)).toEqual({
      actions: 4,
      done: 2,
      wontDo: 1,
      open: 1,
      closureRate: 0.75,
      // all: [1, 2, 3] → median 2, p90 rank 1.8 → 2 + 0.8 × 1 = 2.8; done: [1, 3] → 2 and 1 + 0.9 × 2 = 2.8.
      timeToClose: { all: { count: 3, median: 2, p90: 2.8 }, done: { count: 2, median: 2, p90: 2.8 }, wontDo: { count: 1, median: 2, p90: 2 } },
      overdue: 1,
      unactioned: 5,
    });
    expect(tallyFigures(emptyActionTally(), 0)).toMatchObject({ actions: 0, closureRate: null, timeToClose: { all: { count: 0, median: null } } });
  });

  it('should tally actions by the loop rules (a done action never stamped closed is done, not timed)', () => {
    const records: LoopActionRecord[] = [
      { id: 'a1', status: 'done', created_at: '2026-06-01T00:00:00.000Z', closed_at: '2026-06-03T12:00:00.000Z', due_on: null },
      { id: 'a2', status: 'done', created_at: '2026-06-01T00:00:00.000Z', closed_at: null, due_on: null },
      { id: 'a3', status: 'wont_do', created_at: '2026-06-02T00:00:00.000Z', closed_at: '2026-06-02T06:00:00.000Z', due_on: null },
      { id: 'a4', status: 'in_progress', created_at: '2026-06-02T00:00:00.000Z', closed_at: null, due_on: '2026-06-14' },
      { id: 'a5', status: 'open', created_at: '2026-06-02T00:00:00.000Z', closed_at: null, due_on: '2026-06-15' },
    ];
    expect(tallyActions(records, now)).toEqual({ actions: 5, done: 2, wontDo: 1, overdue: 1, doneDays: [2.5], wontDoDays: [0.25] });
  });

  it('should give the same figures for the sum of two tallies as for the records together (property)', () => {
    const day = fc.integer({ min: 0, max: 60 });
    const action = fc.record({
      status: fc.constantFrom('open', 'in_progress', 'done', 'wont_do' as const),
      created: day,
      closedAfterMs: fc.option(fc.integer({ min: -3_600_000, max: 40 * 86_400_000 }), { nil: null }),
      due: fc.option(day, { nil: null }),
    });
    const toRecord = (a: { status: LoopActionRecord['status']; created: number; closedAfterMs: number | null; due: number | null }, i: number) => {
      const created = Date.parse('2026-05-01T09:30:00.123Z') + a.created * 86_400_000;
      return {
        id: `a${i}`,
        status: a.status,
        created_at: new Date(created).toISOString(),
        closed_at: a.closedAfterMs === null ? null : new Date(created + a.closedAfterMs).toISOString(),
        due_on: a.due === null ? null : new Date(Date.parse('2026-06-01T00:00:00.000Z') + a.due * 86_400_000).toISOString().slice(0, 10),
      };
    };
    fc.assert(
      fc.property(fc.array(action, { maxLength: 30 }), fc.array(action, { maxLength: 30 }), (left, right) => {
        const a = left.map(toRecord);
        const b = right.map((r, i) => toRecord(r, i + a.length));
        const summed = addActionTally(addActionTally(emptyActionTally(), tallyActions(a, now)), tallyActions(b, now));
        expect(tallyFigures(summed, 0)).toEqual(loopFigures([...a, ...b], [], now));
      }),
    );
  });
});

describe('problem tallies', () => {
  it('should add up and give the problem figures (hand-computed)', () => {
    const first = tallyProblems([
      { id: 'p1', status: 'resolved', reported_on: '2026-06-01', resolved_on: '2026-06-07' },
      { id: 'p2', status: 'open', reported_on: '2026-06-01', resolved_on: null },
    ]);
    const second = tallyProblems([{ id: 'p3', status: 'closed', reported_on: '2026-05-01', resolved_on: '2026-05-21' }]);
    const total = addProblemTally(addProblemTally(emptyProblemTally(), first), second);
    // 6 and 20 days → median 13, p90 6 + 0.9 × 14 = 18.6.
    expect(problemTallyFigures(total)).toEqual({ reported: 3, resolved: 2, timeToResolution: { count: 2, median: 13, p90: 18.6 } });
    expect(problemTallyFigures(first)).toEqual(
      problemFigures([
        { id: 'p1', status: 'resolved', reported_on: '2026-06-01', resolved_on: '2026-06-07' },
        { id: 'p2', status: 'open', reported_on: '2026-06-01', resolved_on: null },
      ]),
    );
  });
});

describe('groupBuckets', () => {
  const ann = { id: 'u2', name: 'Ann' };
  const bob = { id: 'u1', name: 'bob' };
  const lit = { id: 't1', name: 'Litigation' };
  const add = (into: number[] | undefined, from: number[]) => [...(into ?? []), ...from];

  it('should add each bucket into each of its groups, sort by name and put the keyless last', () => {
    const buckets = [
      { keys: [bob], value: [1] },
      { keys: [], value: [2] },
      { keys: [ann, lit], value: [3] },
      { keys: [bob], value: [4] },
    ];
    expect(
      groupBuckets(
        buckets,
        (b) => b.keys,
        (b) => b.value,
        add,
      ),
    ).toEqual([
      { key: ann, payload: [3] },
      { key: bob, payload: [1, 4] },
      { key: lit, payload: [3] },
      { key: null, payload: [2] },
    ]);
    expect(
      groupBuckets(
        [],
        () => [],
        () => 0,
        (a: number | undefined, b: number) => (a ?? 0) + b,
      ),
    ).toEqual([]);
  });

  it('should not change a bucket counted in two groups when adding tallies', () => {
    const shared: ActionTally = { actions: 1, done: 1, wontDo: 0, overdue: 0, doneDays: [1], wontDoDays: [] };
    const other: ActionTally = { actions: 2, done: 0, wontDo: 1, overdue: 1, doneDays: [], wontDoDays: [4] };
    const groups = groupBuckets(
      [
        { keys: [ann, lit], tally: shared },
        { keys: [lit], tally: other },
      ],
      (b) => b.keys,
      (b) => b.tally,
      (into, from) => addActionTally(into ?? emptyActionTally(), from),
    );
    expect(groups.map((g) => [g.key?.name, g.payload.actions, g.payload.doneDays, g.payload.wontDoDays])).toEqual([
      ['Ann', 1, [1], []],
      ['Litigation', 3, [1], [4]],
    ]);
    expect(shared).toEqual({ actions: 1, done: 1, wontDo: 0, overdue: 0, doneDays: [1], wontDoDays: [] });
  });
});

describe('distribution of many values', () => {
  it('should give the same percentiles above and below the typed-array threshold (hand-computed)', () => {
    // 0…100 in a scrambled order: median 50, p90 90; 0…10: median 5, p90 9.
    const many = Array.from({ length: 101 }, (_, i) => (i * 37) % 101);
    expect(distribution(many)).toEqual({ count: 101, median: 50, p90: 90 });
    expect(distribution([...many, Number.NaN])).toEqual({ count: 102, median: 50, p90: 90 });
    expect(distribution(Array.from({ length: 11 }, (_, i) => 10 - i))).toEqual({ count: 11, median: 5, p90: 9 });
  });

  it('should give the whole of two lists as one distribution would (property)', () => {
    // + 0 turns a −0 into 0 (durations are never negative zero: Math.max(0, …)).
    const days = fc.array(
      fc.double({ min: 0, max: 400, noNaN: true }).map((d) => d + 0),
      { maxLength: 150 },
    );
    fc.assert(
      fc.property(days, days, (left, right) => {
        expect(splitDistributions(left, right)).toEqual({ all: distribution([...left, ...right]), left: distribution(left), right: distribution(right) });
      }),
    );
  });
});
