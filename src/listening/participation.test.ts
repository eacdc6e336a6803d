import { describe, expect, it } from 'vitest';
import type { ProgrammeCommitment } from '../db/schema.js';
import { type ParticipationNomination, participation } from './participation.js';

const ann = { id: 'ann', name: 'Ann Able' };
const bob = { id: 'bob', name: 'Bob Brown' };
const cat = { id: 'cat', name: 'Cat Cole' };

function nomination(partnerId: string, overrides: Partial<ParticipationNomination> = {}): ParticipationNomination {
  return { partnerId, origin: 'proposed', status: 'proposed', clientAtRisk: false, clientLost: false, ...overrides };
}

describe('participation', () => {
  it('should count each partner’s proposed, accepted, deferred, declined, volunteered and unanswered nominations', () => {
    const [row] = participation(
      [ann],
      [
        nomination('ann'),
        nomination('ann', { status: 'accepted' }),
        nomination('ann', { status: 'deferred' }),
        nomination('ann', { status: 'declined' }),
        nomination('ann', { status: 'withdrawn' }),
        nomination('ann', { origin: 'volunteered', status: 'accepted' }),
      ],
      new Map(),
    );
    expect(row).toMatchObject({
      partner: ann,
      commitment: null,
      proposed: 4,
      accepted: 1,
      deferred: 1,
      declined: 1,
      volunteered: 1,
      notAnswered: 1,
      putForward: 2,
      saidYesPutNothingForward: false,
    });
  });

  it('should flag partners who said yes to the programme yet put no client forward', () => {
    const commitments = new Map<string, ProgrammeCommitment>([
      ['ann', 'yes'],
      ['bob', 'yes'],
      ['cat', 'no'],
    ]);
    const rows = participation(
      [cat, bob, ann],
      [nomination('ann', { status: 'deferred' }), nomination('ann', { status: 'declined' }), nomination('bob', { origin: 'volunteered', status: 'accepted' })],
      commitments,
    );
    expect(rows.map((r) => [r.partner.name, r.commitment, r.saidYesPutNothingForward])).toEqual([
      ['Ann Able', 'yes', true],
      ['Bob Brown', 'yes', false],
      ['Cat Cole', 'no', false],
    ]);
  });

  it('should not flag a partner who never answered the programme, even with nothing put forward', () => {
    const [row] = participation([ann], [nomination('ann', { status: 'declined' })], new Map());
    expect(row?.saidYesPutNothingForward).toBe(false);
  });

  it('should say whether unhappy or lost clients were put forward, counting only clients put forward', () => {
    const rows = participation(
      [ann, bob, cat],
      [
        nomination('ann', { status: 'accepted', clientAtRisk: true }),
        nomination('bob', { status: 'accepted', clientAtRisk: true, clientLost: true }),
        nomination('bob', { origin: 'volunteered', status: 'accepted', clientAtRisk: true, clientLost: true }),
        nomination('cat', { status: 'declined', clientAtRisk: true, clientLost: true }),
      ],
      new Map(),
    );
    expect(rows.map((r) => [r.partner.id, r.atRiskPutForward, r.lostPutForward, r.putForwardUnhappyOrLost])).toEqual([
      ['ann', 1, 0, true],
      ['bob', 2, 2, true],
      ['cat', 0, 0, false],
    ]);
  });

  it('should add a row for a partner who is only named by a nomination', () => {
    const rows = participation([], [nomination('ghost')], new Map());
    expect(rows).toHaveLength(1);
    expect(rows[0]?.partner.id).toBe('ghost');
  });
});
