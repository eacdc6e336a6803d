import { describe, expect, it } from 'vitest';
import {
  type AnswerState,
  answerReducer,
  answerStatusLabel,
  applyScores,
  type DraftStorage,
  draftKey,
  initialAnswerState,
  loadAnswerDraft,
  loadRemarkDrafts,
  loadScoresDraft,
  mergeScores,
  needsSave,
  type RemarkDraft,
  restoreRemark,
  retryDelay,
  type ServerRemark,
  saveOutcome,
  scoresLeftAfter,
  storeAnswerState,
  storeRemarkDraft,
  storeScoresDraft,
} from './drafts';

/** localStorage as a Map, optionally refusing writes like a full or disabled storage. */
function memoryStorage(opts: { full?: boolean } = {}): DraftStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => {
      if (opts.full) {
        throw new DOMException('full', 'QuotaExceededError');
      }
      map.set(k, v);
    },
    removeItem: (k) => {
      map.delete(k);
    },
  };
}

const S = 'session-1';
const Q = 'relationship';

/** Runs events through the reducer, keeping the draft as the capture page does after each one. */
function run(storage: DraftStorage, start: AnswerState, ...events: Parameters<typeof answerReducer>[1][]): AnswerState {
  let state = start;
  for (const event of events) {
    state = answerReducer(state, event);
    storeAnswerState(storage, S, Q, state, 1);
  }
  return state;
}

describe('answer drafts', () => {
  it('should keep every keystroke on the device until the server holds the same notes', () => {
    const storage = memoryStorage();
    let state = initialAnswerState(undefined, undefined);
    state = run(storage, state, { type: 'edit', notes: 'They like' });
    expect(loadAnswerDraft(storage, S, Q)).toMatchObject({ notes: 'They like', baseVersion: 0 });
    expect(answerStatusLabel(state)).toBe('Saved on this device');
    expect(needsSave(state)).toBe(true);

    state = run(storage, state, { type: 'send' });
    expect(answerStatusLabel(state)).toBe('Saving…');
    expect(needsSave(state)).toBe(false);
    expect(loadAnswerDraft(storage, S, Q)).toMatchObject({ notes: 'They like', sending: 'They like' });

    state = run(storage, state, { type: 'saved', answer: { notes: 'They like', version: 1 } });
    expect(state).toMatchObject({ status: 'saved', version: 1 });
    expect(answerStatusLabel(state)).toBe('Saved');
    expect(loadAnswerDraft(storage, S, Q)).toBeUndefined();
  });

  it('should keep words typed while a save was on its way, rebased on the version it made', () => {
    const storage = memoryStorage();
    const state = run(
      storage,
      initialAnswerState(undefined, undefined),
      { type: 'edit', notes: 'They like' },
      { type: 'send' },
      { type: 'edit', notes: 'They like the team' },
      { type: 'saved', answer: { notes: 'They like', version: 1 } },
    );
    expect(state).toMatchObject({ notes: 'They like the team', version: 1, status: 'pending' });
    expect(needsSave(state)).toBe(true);
    expect(loadAnswerDraft(storage, S, Q)).toMatchObject({ notes: 'They like the team', baseVersion: 1, sending: null });
  });

  it('should keep the draft when the network fails, and save it again later', () => {
    const storage = memoryStorage();
    let state = run(storage, initialAnswerState({ notes: 'a', version: 3 }, undefined), { type: 'edit', notes: 'ab' }, { type: 'send' }, { type: 'offline' });
    expect(state.status).toBe('offline');
    expect(answerStatusLabel(state)).toBe('Saved on this device');
    expect(needsSave(state)).toBe(true);
    expect(loadAnswerDraft(storage, S, Q)).toMatchObject({ notes: 'ab', baseVersion: 3 });
    // Typing on while offline stays offline (and unsaved); the next attempt saves both.
    state = run(storage, state, { type: 'edit', notes: 'abc' }, { type: 'send' }, { type: 'saved', answer: { notes: 'abc', version: 4 } });
    expect(state.status).toBe('saved');
    expect(storage.map.size).toBe(0);
  });

  it('should keep the draft when the server refuses the save, and try again only after an edit', () => {
    const storage = memoryStorage();
    let state = run(storage, initialAnswerState(undefined, undefined), { type: 'edit', notes: 'x' }, { type: 'send' }, { type: 'failed', message: 'too long' });
    expect(state).toMatchObject({ status: 'failed', error: 'too long' });
    expect(needsSave(state)).toBe(false);
    expect(loadAnswerDraft(storage, S, Q)?.notes).toBe('x');
    state = run(storage, state, { type: 'edit', notes: 'xy' });
    expect(needsSave(state)).toBe(true);
  });

  describe('on reload', () => {
    it('should restore a draft based on the server’s version and sync it', () => {
      const state = initialAnswerState({ notes: 'old', version: 2 }, { notes: 'old and new', baseVersion: 2, sending: null, editedAt: 1 });
      expect(state).toMatchObject({ notes: 'old and new', version: 2, status: 'pending' });
      expect(needsSave(state)).toBe(true);
    });

    it('should drop a draft the server already holds', () => {
      const storage = memoryStorage();
      storage.setItem(draftKey(S, 'answer', Q), JSON.stringify({ notes: 'same', baseVersion: 1, sending: 'same', editedAt: 1 }));
      const state = initialAnswerState({ notes: 'same', version: 2 }, loadAnswerDraft(storage, S, Q));
      expect(state).toMatchObject({ status: 'saved', version: 2 });
      storeAnswerState(storage, S, Q, state);
      expect(storage.map.size).toBe(0);
    });

    it('should rebase a draft whose save landed before the page went away', () => {
      const state = initialAnswerState({ notes: 'sent', version: 5 }, { notes: 'sent and more', baseVersion: 4, sending: 'sent', editedAt: 1 });
      expect(state).toMatchObject({ notes: 'sent and more', version: 5, status: 'pending' });
    });

    it('should show a conflict when the server moved past the draft’s version, never overwriting either', () => {
      const server = { notes: 'theirs', version: 7, updatedBy: { id: 'u2', name: 'Ann' }, updatedAt: '2026-01-01T10:00:00.000Z' };
      const state = initialAnswerState(server, { notes: 'mine', baseVersion: 5, sending: null, editedAt: 1 });
      expect(state).toMatchObject({ notes: 'mine', version: 5, status: 'conflict', conflict: server });
      expect(needsSave(state)).toBe(false);
      expect(answerStatusLabel(state)).toBe('Conflict');
    });

    it('should ignore a draft that is not a draft', () => {
      const storage = memoryStorage();
      storage.setItem(draftKey(S, 'answer', Q), '{not json');
      expect(loadAnswerDraft(storage, S, Q)).toBeUndefined();
      storage.setItem(draftKey(S, 'answer', Q), JSON.stringify({ notes: 3 }));
      expect(loadAnswerDraft(storage, S, Q)).toBeUndefined();
    });
  });

  describe('on an edit conflict (409)', () => {
    const current = { notes: 'theirs', version: 4, updatedBy: { id: 'u2', name: 'Ann' }, updatedAt: '2026-01-01T10:00:00.000Z' };
    const conflicted = () =>
      run(
        memoryStorage(),
        initialAnswerState({ notes: 'base', version: 3 }, undefined),
        { type: 'edit', notes: 'mine' },
        { type: 'send' },
        { type: 'conflict', current },
      );

    it('should hold both texts and save nothing until the writer chooses', () => {
      const state = conflicted();
      expect(state).toMatchObject({ notes: 'mine', version: 3, status: 'conflict', conflict: current });
      expect(needsSave(state)).toBe(false);
      // Typing goes on in the writer's own text while the conflict stays open.
      const typed = answerReducer(state, { type: 'edit', notes: 'mine too' });
      expect(typed).toMatchObject({ status: 'conflict', notes: 'mine too' });
    });

    it('should resubmit mine on top of the server’s version when I keep mine', () => {
      const state = answerReducer(conflicted(), { type: 'keepMine' });
      expect(state).toMatchObject({ notes: 'mine', version: 4, status: 'pending', conflict: null });
      expect(needsSave(state)).toBe(true);
    });

    it('should take the server’s notes and drop the draft when I take theirs', () => {
      const storage = memoryStorage();
      const state = run(storage, conflicted(), { type: 'takeTheirs' });
      expect(state).toMatchObject({ notes: 'theirs', version: 4, status: 'saved' });
      expect(storage.map.size).toBe(0);
    });

    it('should not call it a conflict when the server holds the same words', () => {
      const state = answerReducer(
        answerReducer({ ...initialAnswerState({ notes: '', version: 1 }, undefined), notes: 'same', status: 'pending' }, { type: 'send' }),
        {
          type: 'conflict',
          current: { notes: 'same', version: 2 },
        },
      );
      expect(state).toMatchObject({ status: 'saved', version: 2 });
    });
  });

  it('should follow a newer server version only when nothing is unsaved', () => {
    const clean = initialAnswerState({ notes: 'a', version: 1 }, undefined);
    expect(answerReducer(clean, { type: 'remote', answer: { notes: 'b', version: 2 } })).toMatchObject({ notes: 'b', version: 2 });
    const dirty = answerReducer(clean, { type: 'edit', notes: 'mine' });
    expect(answerReducer(dirty, { type: 'remote', answer: { notes: 'b', version: 2 } })).toBe(dirty);
  });

  it('should say so when the device refuses to keep a draft', () => {
    const state = answerReducer(initialAnswerState(undefined, undefined), { type: 'edit', notes: 'x' });
    expect(storeAnswerState(memoryStorage({ full: true }), S, Q, state)).toBe(false);
  });

  it('should key drafts by session and question, so sessions never mix', () => {
    const storage = memoryStorage();
    const state = answerReducer(initialAnswerState(undefined, undefined), { type: 'edit', notes: 'x' });
    storeAnswerState(storage, 'session-2', Q, state);
    expect(loadAnswerDraft(storage, S, Q)).toBeUndefined();
    expect(loadAnswerDraft(storage, 'session-2', Q)?.notes).toBe('x');
  });
});

describe('saveOutcome', () => {
  it('should treat no response, 5xx, 408 and 429 as offline (retry later)', () => {
    expect(saveOutcome(undefined, undefined, undefined)).toEqual({ kind: 'offline' });
    expect(saveOutcome(502, undefined, {})).toEqual({ kind: 'offline' });
    expect(saveOutcome(429, undefined, {})).toEqual({ kind: 'offline' });
  });

  it('should read an edit conflict’s current version', () => {
    const current = { notes: 'x', version: 2, updatedBy: null, updatedAt: '2026-01-01T00:00:00.000Z' };
    expect(saveOutcome(409, undefined, { code: 'edit_conflict', current })).toEqual({ kind: 'conflict', current });
  });

  it('should report other refusals with the problem’s detail', () => {
    expect(saveOutcome(409, undefined, { code: 'conflict', detail: 'capture is closed' })).toEqual({
      kind: 'failed',
      status: 409,
      message: 'capture is closed',
    });
    expect(saveOutcome(401, undefined, {})).toMatchObject({ kind: 'failed', status: 401 });
  });

  it('should back off between retries up to 30 seconds', () => {
    expect([0, 1, 2, 3, 4, 10].map(retryDelay)).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
  });
});

describe('remark drafts', () => {
  const server: ServerRemark = {
    id: 'r1',
    text: 'Slow replies',
    confidentiality: 'attributable',
    speaker: { contactId: 'c1' },
    theme: 'responsiveness',
    version: 2,
  };
  const draft = (over: Partial<RemarkDraft>): RemarkDraft => ({
    remarkId: 'r1',
    baseVersion: 2,
    text: 'Slow replies in March',
    confidentiality: 'attributable',
    speakerContactId: 'c1',
    theme: 'responsiveness',
    submitted: false,
    editedAt: 1,
    ...over,
  });

  it('should restore a new remark being written, and drop a blank one', () => {
    expect(restoreRemark(draft({ remarkId: null, baseVersion: 0 }), [])).toMatchObject({ kind: 'new', fields: { text: 'Slow replies in March' } });
    expect(restoreRemark(draft({ remarkId: null, baseVersion: 0, text: ' ', theme: '', speakerContactId: null }), [])).toEqual({ kind: 'discard' });
  });

  it('should restore an edit based on the current version', () => {
    expect(restoreRemark(draft({}), [server])).toMatchObject({ kind: 'edit', remarkId: 'r1', baseVersion: 2 });
  });

  it('should drop an edit the server already holds', () => {
    expect(restoreRemark(draft({ text: 'Slow replies' }), [{ ...server, version: 3 }])).toEqual({ kind: 'discard' });
  });

  it('should show a conflict when the remark changed since the draft', () => {
    expect(restoreRemark(draft({ baseVersion: 1 }), [server])).toMatchObject({ kind: 'conflict', current: server });
  });

  it('should offer an edit of a deleted remark as a new remark rather than lose it', () => {
    expect(restoreRemark(draft({}), [])).toMatchObject({ kind: 'orphan', fields: { text: 'Slow replies in March' } });
  });

  it('should round-trip drafts through the storage and skip malformed ones', () => {
    const storage = memoryStorage();
    storeRemarkDraft(storage, S, draft({}));
    storeRemarkDraft(storage, S, draft({ remarkId: null, baseVersion: 0, text: 'new one', submitted: true }));
    storage.setItem(draftKey(S, 'remark', 'r9'), JSON.stringify({ text: 'x', confidentiality: 'secret' }));
    const loaded = loadRemarkDrafts(storage, S, ['r1', 'r9']);
    expect(loaded.map((d) => d.remarkId)).toEqual([null, 'r1']);
    expect(loaded[0]?.submitted).toBe(true);
  });
});

describe('scores drafts', () => {
  it('should merge later picks over earlier ones', () => {
    expect(mergeScores({ nps: 7, dimensions: { value: 3 } }, { nps: 9, dimensions: { expertise: 5 } })).toEqual({
      nps: 9,
      dimensions: { value: 3, expertise: 5 },
    });
    expect(mergeScores({ nps: 7 }, { nps: null })).toEqual({ nps: null });
  });

  it('should keep only the picks made while a save was on its way', () => {
    const sent = { nps: 9, dimensions: { value: 3 } };
    expect(scoresLeftAfter({ nps: 9, dimensions: { value: 3 } }, sent)).toEqual({});
    expect(scoresLeftAfter({ nps: 10, satisfaction: 8, dimensions: { value: 3, expertise: 4 } }, sent)).toEqual({
      nps: 10,
      satisfaction: 8,
      dimensions: { expertise: 4 },
    });
  });

  it('should show unsaved picks over the server’s scores', () => {
    const server = { nps: 5, satisfaction: 6, dimensions: [{ key: 'value', label: 'Value', active: true, score: 2 }] };
    expect(applyScores(server, { nps: null, dimensions: { value: 4 } })).toEqual({
      ...server,
      nps: null,
      dimensions: [{ key: 'value', label: 'Value', active: true, score: 4 }],
    });
  });

  it('should keep pending scores on the device and clear them once empty', () => {
    const storage = memoryStorage();
    storeScoresDraft(storage, S, { nps: 8, dimensions: { value: null } });
    expect(loadScoresDraft(storage, S)).toEqual({ nps: 8, dimensions: { value: null } });
    storeScoresDraft(storage, S, {});
    expect(storage.map.size).toBe(0);
    expect(loadScoresDraft(storage, S)).toEqual({});
  });
});
