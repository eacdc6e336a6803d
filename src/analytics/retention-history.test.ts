import { describe, expect, it } from 'vitest';
import { type ClientHistory, lostOn, retentionByYear, statusAt, statusChangeOf } from './retention-history.js';

const created = '2023-06-01T00:00:00.000Z';

function client(id: string, status: ClientHistory['status'], changes: ClientHistory['changes'] = [], createdAt = created): ClientHistory {
  return { id, createdAt, status, changes };
}

describe('statusAt', () => {
  it('should be null before the record was created', () => {
    expect(statusAt(client('a', 'active'), '2023-01-01T00:00:00.000Z')).toBeNull();
  });

  it('should take the current status when no change was recorded', () => {
    expect(statusAt(client('a', 'lapsed'), '2024-01-01T00:00:00.000Z')).toBe('lapsed');
  });

  it('should follow recorded changes, and read the first change’s "before" for earlier instants', () => {
    const c = client('a', 'lost', [
      { at: '2024-03-01T00:00:00.000Z', from: 'active', to: 'lapsed' },
      { at: '2025-02-01T00:00:00.000Z', from: 'lapsed', to: 'lost' },
    ]);
    expect(statusAt(c, '2024-01-01T00:00:00.000Z')).toBe('active');
    expect(statusAt(c, '2024-03-01T00:00:00.000Z')).toBe('lapsed');
    expect(statusAt(c, '2025-01-01T00:00:00.000Z')).toBe('lapsed');
    expect(statusAt(c, '2026-01-01T00:00:00.000Z')).toBe('lost');
    expect(lostOn(c)).toBe('2025-02-01T00:00:00.000Z');
  });

  it('should read the create row as the first status', () => {
    const c = client('a', 'active', [{ at: created, from: null, to: 'active' }]);
    expect(statusAt(c, '2024-01-01T00:00:00.000Z')).toBe('active');
  });
});

describe('retentionByYear', () => {
  const now = new Date('2026-07-01T00:00:00.000Z');
  const clients = [
    client('kept', 'active'),
    client('lapsedIn2025', 'lapsed', [{ at: '2025-05-01T00:00:00.000Z', from: 'active', to: 'lapsed' }]),
    client('lostIn2024', 'lost', [{ at: '2024-08-01T00:00:00.000Z', from: 'active', to: 'lost' }]),
    client('newIn2025', 'active', [], '2025-03-01T00:00:00.000Z'),
    client('prospect', 'prospect'),
    client('won back', 'active', [
      { at: '2024-02-01T00:00:00.000Z', from: 'active', to: 'lapsed' },
      { at: '2024-11-01T00:00:00.000Z', from: 'lapsed', to: 'active' },
    ]),
  ];

  it('should count clients active at the start and still active at the end (hand-computed)', () => {
    const years = retentionByYear(clients, 2023, 2030, now);
    expect(years.map((y) => y.year)).toEqual([2023, 2024, 2025, 2026]);
    const [y2023, y2024, y2025, y2026] = years;
    // 2023: nothing existed on 1 January 2023.
    expect(y2023?.activeAtStart).toEqual([]);
    // 2024: kept, lapsedIn2025, lostIn2024, won back active at the start; lostIn2024 lost; won back active again at the end.
    expect(y2024).toMatchObject({
      activeAtStart: ['kept', 'lapsedIn2025', 'lostIn2024', 'won back'],
      retained: ['kept', 'lapsedIn2025', 'won back'],
      lost: ['lostIn2024'],
      lapsed: [],
    });
    // 2025: kept, lapsedIn2025, won back; lapsedIn2025 lapsed in May. newIn2025 was created after 1 January.
    expect(y2025).toMatchObject({ activeAtStart: ['kept', 'lapsedIn2025', 'won back'], retained: ['kept', 'won back'], lapsed: ['lapsedIn2025'] });
    // 2026 (current year, measured to now): kept, newIn2025, won back.
    expect(y2026).toMatchObject({ activeAtStart: ['kept', 'newIn2025', 'won back'], retained: ['kept', 'newIn2025', 'won back'] });
  });

  it('should give no rows for no clients, and empty rows for an empty firm', () => {
    expect(retentionByYear([], 2026, 2026, now)).toEqual([{ year: 2026, activeAtStart: [], retained: [], lost: [], lapsed: [] }]);
  });
});

describe('statusChangeOf', () => {
  it('should read a status change and ignore rows without one or malformed JSON', () => {
    expect(statusChangeOf('t', JSON.stringify({ status: ['active', 'lost'], name: ['a', 'b'] }))).toEqual({ at: 't', from: 'active', to: 'lost' });
    expect(statusChangeOf('t', JSON.stringify({ status: [null, 'active'] }))).toEqual({ at: 't', from: null, to: 'active' });
    expect(statusChangeOf('t', JSON.stringify({ name: ['a', 'b'] }))).toBeNull();
    expect(statusChangeOf('t', '{')).toBeNull();
  });
});
