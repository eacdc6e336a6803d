import { describe, expect, it } from 'vitest';
import { isAtRiskClient, latestNpsByClient, type ProgressSession, programmeProgress, shareOf } from './progress.js';

const noTargets = { targetSessions: null, targetKeyClientShare: null, targetAtRiskShare: null };

function session(clientId: string, overrides: Partial<ProgressSession> = {}): ProgressSession {
  return { clientId, status: 'planned', clientStatus: 'active', isKeyClient: false, ...overrides };
}

describe('isAtRiskClient', () => {
  it('should count lapsed, lost and pitch-lost clients whatever their NPS', () => {
    for (const status of ['lapsed', 'lost', 'pitch_lost'] as const) {
      expect(isAtRiskClient({ status, latestNps: 10 })).toBe(true);
      expect(isAtRiskClient({ status, latestNps: null })).toBe(true);
    }
  });

  it('should count an active client as at risk only when its latest NPS is 0–6', () => {
    expect(isAtRiskClient({ status: 'active', latestNps: 0 })).toBe(true);
    expect(isAtRiskClient({ status: 'active', latestNps: 6 })).toBe(true);
    expect(isAtRiskClient({ status: 'active', latestNps: 7 })).toBe(false);
    expect(isAtRiskClient({ status: 'active', latestNps: 10 })).toBe(false);
    expect(isAtRiskClient({ status: 'active', latestNps: null })).toBe(false);
    expect(isAtRiskClient({ status: 'prospect', latestNps: undefined })).toBe(false);
  });
});

describe('latestNpsByClient', () => {
  it('should keep the NPS of each client’s most recently completed session', () => {
    const latest = latestNpsByClient([
      { clientId: 'a', nps: 9, completedAt: '2026-03-01T10:00:00.000Z', startsAt: '2026-03-01T09:00:00.000Z', id: '1' },
      { clientId: 'a', nps: 4, completedAt: '2026-05-01T10:00:00.000Z', startsAt: '2026-05-01T09:00:00.000Z', id: '2' },
      { clientId: 'a', nps: 8, completedAt: '2026-04-01T10:00:00.000Z', startsAt: '2026-04-01T09:00:00.000Z', id: '3' },
      { clientId: 'b', nps: 10, completedAt: null, startsAt: '2026-01-01T09:00:00.000Z', id: '4' },
    ]);
    expect(latest).toEqual(
      new Map([
        ['a', 4],
        ['b', 10],
      ]),
    );
  });
});

describe('shareOf', () => {
  it('should divide, and have no share of nothing', () => {
    expect(shareOf(1, 4)).toBe(0.25);
    expect(shareOf(0, 0)).toBeNull();
  });
});

describe('programmeProgress', () => {
  it('should count sessions and held sessions against the target', () => {
    const p = programmeProgress(
      { ...noTargets, targetSessions: 3 },
      [session('a', { status: 'planned' }), session('b', { status: 'completed' }), session('c', { status: 'summary_shared' })],
      new Map(),
      0,
    );
    expect(p.sessions).toEqual({ target: 3, count: 3, held: 2, met: true });
    expect(programmeProgress({ ...noTargets, targetSessions: 4 }, [session('a')], new Map(), 0).sessions.met).toBe(false);
    expect(programmeProgress(noTargets, [session('a')], new Map(), 0).sessions.met).toBeNull();
  });

  it('should count each covered key client once against all key clients', () => {
    const p = programmeProgress(
      { ...noTargets, targetKeyClientShare: 0.5 },
      [session('k1', { isKeyClient: true }), session('k1', { isKeyClient: true }), session('other')],
      new Map(),
      4,
    );
    expect(p.keyClients).toEqual({ target: 0.5, covered: 1, total: 4, share: 0.25, met: false });
    const none = programmeProgress({ ...noTargets, targetKeyClientShare: 0.5 }, [], new Map(), 0);
    expect(none.keyClients).toEqual({ target: 0.5, covered: 0, total: 0, share: null, met: true });
  });

  it('should find at-risk sessions by client status or by a detractor NPS', () => {
    const p = programmeProgress(
      { ...noTargets, targetAtRiskShare: 0.5 },
      [
        session('lost', { clientStatus: 'lost' }),
        session('pitch', { clientStatus: 'pitch_lost' }),
        session('unhappy'),
        session('happy'),
        session('unknown'),
        session('lapsed', { clientStatus: 'lapsed' }),
      ],
      new Map([
        ['unhappy', 3],
        ['happy', 9],
      ]),
      0,
    );
    expect(p.atRisk).toEqual({ target: 0.5, count: 4, sessions: 6, share: 4 / 6, met: true });
  });

  it('should treat a share exactly on target as met, and no sessions as not met', () => {
    const sessions = Array.from({ length: 10 }, (_, i) => session(`c${i}`, { clientStatus: i < 3 ? 'lost' : 'active' }));
    expect(programmeProgress({ ...noTargets, targetAtRiskShare: 0.3 }, sessions, new Map(), 0).atRisk.met).toBe(true);
    expect(programmeProgress({ ...noTargets, targetAtRiskShare: 0.3 }, [], new Map(), 0).atRisk).toEqual({
      target: 0.3,
      count: 0,
      sessions: 0,
      share: null,
      met: false,
    });
  });
});
