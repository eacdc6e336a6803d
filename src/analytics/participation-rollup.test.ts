import { describe, expect, it } from 'vitest';
import { participation } from '../listening/participation.js';
import { emptyDrill, figuresOf, type PartnerParticipation, rollUpByTeam } from './participation-rollup.js';

const corporate = { id: 't1', name: 'Corporate' };
const tax = { id: 't2', name: 'Tax' };

function person(id: string, teams: { id: string; name: string }[], heldBack: string[], accepted = 0, saidYes = false): PartnerParticipation {
  const nominations = Array.from({ length: accepted }, () => ({
    partnerId: id,
    origin: 'proposed' as const,
    status: 'accepted' as const,
    clientAtRisk: false,
    clientLost: false,
  }));
  const [row] = participation([{ id, name: id }], nominations, new Map(saidYes ? [[id, 'yes' as const]] : []));
  return { row: row as NonNullable<typeof row>, drill: { ...emptyDrill(), heldBackClients: heldBack }, teams };
}

describe('rollUpByTeam', () => {
  it('should sum partners into each of their teams, with partners in no team last', () => {
    const groups = rollUpByTeam([person('ann', [corporate, tax], ['c1'], 2), person('bob', [corporate], ['c1', 'c2'], 1), person('cat', [], [], 0, true)]);
    expect(groups.map((g) => [g.team?.name ?? null, g.partnerIds, g.figures.accepted, g.figures.heldBack, g.figures.saidYesPutNothingForward])).toEqual([
      ['Corporate', ['ann', 'bob'], 3, 2, 0],
      ['Tax', ['ann'], 2, 1, 0],
      [null, ['cat'], 0, 0, 1],
    ]);
  });

  it('should count a held-back client shared by two partners once in the totals', () => {
    const { figures, drill } = figuresOf([person('ann', [], ['c1']), person('bob', [], ['c1', 'c2'])]);
    expect(figures.heldBack).toBe(2);
    expect(drill.heldBackClients).toEqual(['c1', 'c2']);
    expect(figures.partners).toBe(2);
  });

  it('should give zeros for no partners', () => {
    expect(rollUpByTeam([])).toEqual([]);
    expect(figuresOf([]).figures).toMatchObject({ proposed: 0, heldBack: 0, partners: 0 });
  });
});
