/**
 * The capture page's local drafts and sync rules, kept free of React and of the browser so that
 * they can be tested in node: every keystroke is kept on this device at once (storage passed
 * in, localStorage in the app), and a draft is cleared only once the server holds the same
 * words. A draft remembers the server version it was based on, so that on reload a draft newer
 * than the server is restored and synced, and one that the server has moved past since is shown
 * as a conflict — never overwritten silently.
 */

/** The part of Web Storage the drafts use: localStorage in the browser, a Map in the tests. */
export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type DraftKind = 'answer' | 'remark' | 'scores';

/** One key per session and thing being edited: a guide question, a remark ('new' for the one being written) or the scores. */
export function draftKey(sessionId: string, kind: DraftKind, id: string): string {
  return `hearken.capture:${sessionId}:${kind}:${id}`;
}

function readJson(storage: DraftStorage, key: string): unknown {
  try {
    const raw = storage.getItem(key);
    return raw === null ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Writes a draft; false when the device refused it (storage full or disabled). */
function writeJson(storage: DraftStorage, key: string, value: unknown): boolean {
  try {
    storage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

function remove(storage: DraftStorage, key: string) {
  try {
    storage.removeItem(key);
  } catch {
    // Nothing to do: a draft that cannot be removed is reconciled with the server on the next load.
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

// ---------------------------------------------------------------- save outcomes

export interface Person {
  id: string;
  name: string;
}

/** What the server holds now, as a 409 edit_conflict carries it (`current`). */
export interface ServerVersion {
  notes?: string;
  text?: string;
  confidentiality?: Confidentiality;
  theme?: string | null;
  speakerContactId?: string | null;
  version: number;
  updatedBy?: Person | null;
  updatedAt?: string;
}

export type SaveOutcome<T> =
  | { kind: 'saved'; value: T }
  | { kind: 'conflict'; current: ServerVersion }
  /** The server could not be reached or failed: keep the draft and try again later. */
  | { kind: 'offline' }
  /** The server refused the save for good (validation, access, a closed session): keep the draft, say why. */
  | { kind: 'failed'; status: number; message: string };

/**
 * Classifies a save's response. `status` is undefined when no response came (network down, the
 * request aborted). Server errors and rate limits are passing faults, retried like a lost network.
 */
export function saveOutcome<T>(status: number | undefined, data: T | undefined, error: unknown): SaveOutcome<T> {
  if (status === undefined || status >= 500 || status === 408 || status === 429) {
    return { kind: 'offline' };
  }
  if (status >= 200 && status < 300) {
    return { kind: 'saved', value: data as T };
  }
  const body = isObject(error) ? error : {};
  if (status === 409 && body.code === 'edit_conflict' && isObject(body.current) && isCount(body.current.version)) {
    return { kind: 'conflict', current: body.current as unknown as ServerVersion };
  }
  if (status === 401) {
    return { kind: 'failed', status, message: 'You have been signed out. What you typed is kept on this device and will be saved once you sign in again.' };
  }
  const detail = typeof body.detail === 'string' && body.detail ? body.detail : `The server refused the save (${status})`;
  return { kind: 'failed', status, message: detail };
}

/** How long to wait before the nth retry of a save that could not reach the server: 2 s, 4 s, … at most 30 s. */
export function retryDelay(attempt: number): number {
  return Math.min(30_000, 2_000 * 2 ** Math.max(0, attempt));
}

// ---------------------------------------------------------------- answers (notes per question)

export interface ServerAnswer {
  notes: string;
  version: number;
  updatedBy?: Person | null;
  updatedAt?: string;
}

export interface AnswerDraft {
  notes: string;
  /** The server version these notes were based on (0: nothing saved yet). */
  baseVersion: number;
  /** Notes of a save that was on its way when the draft was written: it may have landed. */
  sending: string | null;
  /** When the draft was last written (ms since the epoch). */
  editedAt: number;
}

/**
 * saved: the server holds these notes; pending: typed, not yet on the server (kept on this
 * device); offline: a save could not reach the server, retried later; conflict: someone saved
 * other notes meanwhile; failed: the server refused the save (kept on this device).
 */
export type AnswerStatus = 'saved' | 'pending' | 'offline' | 'conflict' | 'failed';

export interface AnswerState {
  /** What the notes box shows. */
  notes: string;
  /** The server version the notes are based on: sent as baseVersion. */
  version: number;
  status: AnswerStatus;
  /** Notes of the save in flight, if any. */
  sending: string | null;
  /** With status conflict: what the server holds now. */
  conflict: ServerAnswer | null;
  error: string | null;
}

export type AnswerEvent =
  | { type: 'edit'; notes: string }
  | { type: 'send' }
  | { type: 'saved'; answer: ServerAnswer }
  | { type: 'offline' }
  | { type: 'failed'; message: string }
  | { type: 'conflict'; current: ServerAnswer }
  /** Keep my notes over the server's: they are saved next on top of the server's version. */
  | { type: 'keepMine' }
  /** Take the server's notes and drop mine. */
  | { type: 'takeTheirs' }
  /** The session was loaded again and the server holds a newer version. */
  | { type: 'remote'; answer: ServerAnswer };

const savedState = (answer: ServerAnswer): AnswerState => ({
  notes: answer.notes,
  version: answer.version,
  status: 'saved',
  sending: null,
  conflict: null,
  error: null,
});

function isAnswerDraft(v: unknown): v is AnswerDraft {
  return isObject(v) && typeof v.notes === 'string' && isCount(v.baseVersion);
}

/**
 * Where a question starts when the page loads: the server's notes, or a local draft restored on
 * top of them. A draft based on the server's current version is newer than the server and is
 * synced; a draft whose save landed before the page went away is rebased on the version that
 * save made; a draft based on an older version than the server's is a conflict.
 */
export function initialAnswerState(server: ServerAnswer | undefined, draft: AnswerDraft | undefined): AnswerState {
  const current = server ?? { notes: '', version: 0 };
  if (!draft || draft.notes === current.notes) {
    return savedState(current);
  }
  const pending = (version: number): AnswerState => ({ notes: draft.notes, version, status: 'pending', sending: null, conflict: null, error: null });
  if (draft.baseVersion === current.version) {
    return pending(current.version);
  }
  if (draft.sending !== null && draft.sending !== undefined && current.notes === draft.sending && current.version === draft.baseVersion + 1) {
    return pending(current.version);
  }
  return { notes: draft.notes, version: draft.baseVersion, status: 'conflict', sending: null, conflict: current, error: null };
}

/** The sync rules for one question's notes. */
export function answerReducer(state: AnswerState, event: AnswerEvent): AnswerState {
  switch (event.type) {
    case 'edit': {
      if (event.notes === state.notes) {
        return state;
      }
      const status: AnswerStatus = state.status === 'conflict' || state.status === 'offline' ? state.status : 'pending';
      return { ...state, notes: event.notes, status, error: null };
    }
    case 'send':
      return { ...state, sending: state.notes };
    case 'saved': {
      // Typing may have gone on while the save was on its way: those words are still to be saved.
      const status: AnswerStatus = state.status === 'conflict' ? 'conflict' : state.notes === event.answer.notes ? 'saved' : 'pending';
      return { ...state, version: event.answer.version, status, sending: null, error: null };
    }
    case 'offline':
      return { ...state, status: state.status === 'conflict' ? 'conflict' : 'offline', sending: null };
    case 'failed':
      return { ...state, status: 'failed', sending: null, error: event.message };
    case 'conflict':
      // Someone saved exactly these words meanwhile: nothing to choose between.
      if (event.current.notes === state.notes) {
        return savedState(event.current);
      }
      return { ...state, status: 'conflict', sending: null, conflict: event.current, error: null };
    case 'keepMine':
      if (!state.conflict) {
        return state;
      }
      return { ...state, version: state.conflict.version, status: 'pending', conflict: null, error: null };
    case 'takeTheirs':
      if (!state.conflict) {
        return state;
      }
      return savedState(state.conflict);
    case 'remote':
      // Only notes with nothing unsaved follow the server; anything typed here wins until it is saved or conflicts.
      if (state.status === 'saved' && state.sending === null && event.answer.version > state.version) {
        return savedState(event.answer);
      }
      return state;
  }
}

/** Whether the notes should be sent now: something unsaved, nothing on its way, no conflict to settle. */
export function needsSave(state: AnswerState): boolean {
  return state.sending === null && (state.status === 'pending' || state.status === 'offline');
}

/** What to keep on this device for a state: null once the server holds exactly these notes. */
export function answerDraftOf(state: AnswerState, now: number): AnswerDraft | null {
  if (state.status === 'saved' && state.sending === null) {
    return null;
  }
  return { notes: state.notes, baseVersion: state.version, sending: state.sending, editedAt: now };
}

export function loadAnswerDraft(storage: DraftStorage, sessionId: string, questionKey: string): AnswerDraft | undefined {
  const value = readJson(storage, draftKey(sessionId, 'answer', questionKey));
  if (!isAnswerDraft(value)) {
    return undefined;
  }
  return {
    notes: value.notes,
    baseVersion: value.baseVersion,
    sending: typeof value.sending === 'string' ? value.sending : null,
    editedAt: Number(value.editedAt) || 0,
  };
}

/** Keeps (or clears) the draft for a question's state; false when the device refused to keep it. */
export function storeAnswerState(storage: DraftStorage, sessionId: string, questionKey: string, state: AnswerState, now = Date.now()): boolean {
  const draft = answerDraftOf(state, now);
  const key = draftKey(sessionId, 'answer', questionKey);
  if (draft === null) {
    remove(storage, key);
    return true;
  }
  return writeJson(storage, key, draft);
}

/** The line shown under a question's notes. */
export function answerStatusLabel(state: AnswerState): string {
  if (state.status === 'conflict') {
    return 'Conflict';
  }
  if (state.sending !== null) {
    return 'Saving…';
  }
  switch (state.status) {
    case 'saved':
      return state.version === 0 ? '' : 'Saved';
    case 'failed':
      return 'Not saved — kept on this device';
    default:
      return 'Saved on this device';
  }
}

// ---------------------------------------------------------------- remarks

export type Confidentiality = 'attributable' | 'non_attributable' | 'programme_only';

export interface RemarkFields {
  text: string;
  confidentiality: Confidentiality;
  speakerContactId: string | null;
  theme: string;
}

export interface RemarkDraft extends RemarkFields {
  /** null for a remark not created yet. */
  remarkId: string | null;
  /** The remark's version the edit was based on (0 for a new remark). */
  baseVersion: number;
  /** The writer pressed save: sync it without asking again (e.g. once back online). */
  submitted: boolean;
  editedAt: number;
}

export interface ServerRemark {
  id: string;
  text: string;
  confidentiality: Confidentiality;
  speaker: { contactId: string } | null;
  theme: string | null;
  version: number;
}

const CONFIDENTIALITIES: readonly string[] = ['attributable', 'non_attributable', 'programme_only'];

function isRemarkDraft(v: unknown): v is RemarkDraft {
  return (
    isObject(v) &&
    typeof v.text === 'string' &&
    typeof v.confidentiality === 'string' &&
    CONFIDENTIALITIES.includes(v.confidentiality) &&
    (v.speakerContactId === null || typeof v.speakerContactId === 'string') &&
    typeof v.theme === 'string' &&
    (v.remarkId === null || typeof v.remarkId === 'string') &&
    isCount(v.baseVersion)
  );
}

export function remarkFieldsOf(remark: ServerRemark): RemarkFields {
  return { text: remark.text, confidentiality: remark.confidentiality, speakerContactId: remark.speaker?.contactId ?? null, theme: remark.theme ?? '' };
}

/** Whether two versions of a remark say the same (speaker compared only when both know it). */
export function sameRemark(a: RemarkFields, b: RemarkFields): boolean {
  return (
    a.text.trim() === b.text.trim() && a.confidentiality === b.confidentiality && a.theme.trim() === b.theme.trim() && a.speakerContactId === b.speakerContactId
  );
}

export const EMPTY_REMARK: RemarkFields = { text: '', confidentiality: 'attributable', speakerContactId: null, theme: '' };

export function isBlankRemark(fields: RemarkFields): boolean {
  return fields.text.trim() === '' && fields.theme.trim() === '' && fields.speakerContactId === null;
}

export function loadRemarkDrafts(storage: DraftStorage, sessionId: string, remarkIds: readonly string[]): RemarkDraft[] {
  const drafts: RemarkDraft[] = [];
  for (const id of ['new', ...remarkIds]) {
    const value = readJson(storage, draftKey(sessionId, 'remark', id));
    if (isRemarkDraft(value)) {
      drafts.push({ ...value, submitted: value.submitted === true, editedAt: Number(value.editedAt) || 0 });
    }
  }
  return drafts;
}

export function storeRemarkDraft(storage: DraftStorage, sessionId: string, draft: RemarkDraft): boolean {
  return writeJson(storage, draftKey(sessionId, 'remark', draft.remarkId ?? 'new'), draft);
}

export function clearRemarkDraft(storage: DraftStorage, sessionId: string, remarkId: string | null) {
  remove(storage, draftKey(sessionId, 'remark', remarkId ?? 'new'));
}

export type RestoredRemark =
  /** Nothing to restore: the draft said what the server holds, or nothing at all. */
  | { kind: 'discard' }
  /** A new remark still being written (or not yet sent). */
  | { kind: 'new'; fields: RemarkFields; submitted: boolean }
  /** An edit based on the server's current version: restore it in the editor. */
  | { kind: 'edit'; remarkId: string; fields: RemarkFields; baseVersion: number; submitted: boolean }
  /** An edit the server moved past meanwhile: show both. */
  | { kind: 'conflict'; remarkId: string; fields: RemarkFields; current: ServerRemark }
  /** An edit of a remark that was deleted meanwhile: offered again as a new remark. */
  | { kind: 'orphan'; fields: RemarkFields };

/** What a remark draft found on load becomes, given the remarks the server holds. */
export function restoreRemark(draft: RemarkDraft, remarks: readonly ServerRemark[]): RestoredRemark {
  const fields: RemarkFields = { text: draft.text, confidentiality: draft.confidentiality, speakerContactId: draft.speakerContactId, theme: draft.theme };
  if (draft.remarkId === null) {
    return isBlankRemark(fields) ? { kind: 'discard' } : { kind: 'new', fields, submitted: draft.submitted };
  }
  const current = remarks.find((r) => r.id === draft.remarkId);
  if (!current) {
    return isBlankRemark(fields) ? { kind: 'discard' } : { kind: 'orphan', fields };
  }
  if (sameRemark(fields, remarkFieldsOf(current))) {
    return { kind: 'discard' };
  }
  if (current.version === draft.baseVersion) {
    return { kind: 'edit', remarkId: current.id, fields, baseVersion: draft.baseVersion, submitted: draft.submitted };
  }
  return { kind: 'conflict', remarkId: current.id, fields, current };
}

// ---------------------------------------------------------------- scores

/** Scores picked but not yet on the server: absent means untouched, null means cleared. */
export interface ScoresDraft {
  nps?: number | null;
  satisfaction?: number | null;
  dimensions?: Record<string, number | null>;
}

export interface ServerScores {
  nps: number | null;
  satisfaction: number | null;
  dimensions: { key: string; score: number | null }[];
}

const isScore = (v: unknown) => v === null || (typeof v === 'number' && Number.isInteger(v));

export function isEmptyScores(draft: ScoresDraft): boolean {
  return draft.nps === undefined && draft.satisfaction === undefined && Object.keys(draft.dimensions ?? {}).length === 0;
}

/** Later picks win over earlier ones. */
export function mergeScores(earlier: ScoresDraft, later: ScoresDraft): ScoresDraft {
  const merged: ScoresDraft = { ...earlier };
  if (later.nps !== undefined) {
    merged.nps = later.nps;
  }
  if (later.satisfaction !== undefined) {
    merged.satisfaction = later.satisfaction;
  }
  if (later.dimensions && Object.keys(later.dimensions).length > 0) {
    merged.dimensions = { ...earlier.dimensions, ...later.dimensions };
  }
  return merged;
}

/**
 * What is left to save once `sent` reached the server: the picks made while it was on its way
 * (a value that differs from what was sent) stay; the rest are saved.
 */
export function scoresLeftAfter(draft: ScoresDraft, sent: ScoresDraft): ScoresDraft {
  const left: ScoresDraft = {};
  if (draft.nps !== undefined && draft.nps !== sent.nps) {
    left.nps = draft.nps;
  }
  if (draft.satisfaction !== undefined && draft.satisfaction !== sent.satisfaction) {
    left.satisfaction = draft.satisfaction;
  }
  const dims = Object.entries(draft.dimensions ?? {}).filter(([key, score]) => sent.dimensions?.[key] !== score);
  if (dims.length > 0) {
    left.dimensions = Object.fromEntries(dims);
  }
  return left;
}

/** The scores to show: the server's, with the picks not yet saved on top. */
export function applyScores<T extends ServerScores>(server: T, draft: ScoresDraft): T {
  return {
    ...server,
    nps: draft.nps !== undefined ? draft.nps : server.nps,
    satisfaction: draft.satisfaction !== undefined ? draft.satisfaction : server.satisfaction,
    dimensions: server.dimensions.map((d) => (draft.dimensions && d.key in draft.dimensions ? { ...d, score: draft.dimensions[d.key] ?? null } : d)),
  };
}

export function loadScoresDraft(storage: DraftStorage, sessionId: string): ScoresDraft {
  const value = readJson(storage, draftKey(sessionId, 'scores', 'all'));
  if (!isObject(value)) {
    return {};
  }
  const draft: ScoresDraft = {};
  if ('nps' in value && isScore(value.nps)) {
    draft.nps = value.nps as number | null;
  }
  if ('satisfaction' in value && isScore(value.satisfaction)) {
    draft.satisfaction = value.satisfaction as number | null;
  }
  if (isObject(value.dimensions)) {
    const dims = Object.entries(value.dimensions).filter(([, score]) => isScore(score));
    if (dims.length > 0) {
      draft.dimensions = Object.fromEntries(dims) as Record<string, number | null>;
    }
  }
  return draft;
}

export function storeScoresDraft(storage: DraftStorage, sessionId: string, draft: ScoresDraft): boolean {
  const key = draftKey(sessionId, 'scores', 'all');
  if (isEmptyScores(draft)) {
    remove(storage, key);
    return true;
  }
  return writeJson(storage, key, draft);
}
