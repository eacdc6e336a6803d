import { v7 as uuidv7 } from 'uuid';
import { raiseForDetractor } from '../actions/auto.js';
import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import type { Confidentiality, ListeningSessionRow, SessionStatus } from '../db/schema.js';
import { nowIso, toBool } from '../db/values.js';
import { ConflictError, EditConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import { type RemarkVisibility, readableConfidentiality, remarkVisibility, requireSessionAccess, type SessionAccess, showsSpeaker } from './access.js';
import { parseSections } from './guides.js';
import type { Answer, AnswerPutBody, Remark, RemarkCreateBody, RemarkUpdateBody, Scores, ScoresPutBody } from './session-schemas.js';

/**
 * Capture during and right after an interview: notes per guide question, scores, remarks.
 * Notes are read by everyone who may read the session; what a client says in confidence goes
 * in a remark marked programme-only (the capture page says so), which only programme leads and
 * the session's interviewer ever read.
 */

/** Statuses in which notes, scores and remarks may be written: from the day it is scheduled until the summary is reviewed. */
export const CAPTURE_STATUSES: readonly SessionStatus[] = ['scheduled', 'completed', 'summary_drafted'];

/** What is stored now, sent with a 409 so the web can show both versions instead of overwriting. */
export interface CurrentVersion {
  notes?: string;
  text?: string;
  confidentiality?: Confidentiality;
  theme?: string | null;
  speakerContactId?: string | null;
  version: number;
  updatedBy: { id: string; name: string } | null;
  updatedAt: string;
}

const STATUS_WORDS: Record<SessionStatus, string> = {
  planned: 'only planned (schedule it first)',
  scheduled: 'scheduled',
  completed: 'completed',
  summary_drafted: 'summary drafted',
  summary_reviewed: 'summary reviewed (its summary is approved, so capture is closed)',
  summary_shared: 'summary shared (capture is closed)',
  cancelled: 'cancelled',
};

/** The capture gate: the interviewer or a programme lead, while the session is scheduled, completed or being summarised. */
async function requireCapture(ctx: ServiceContext, sessionId: string): Promise<SessionAccess> {
  const access = await requireSessionAccess(ctx, sessionId, 'capture');
  if (!CAPTURE_STATUSES.includes(access.session.status)) {
    throw new ConflictError(
      undefined,
      `Notes, scores and remarks can be captured while a session is scheduled, completed or has a draft summary; this session is ${STATUS_WORDS[access.session.status]}`,
    );
  }
  return access;
}

// ---------------------------------------------------------------- answers

export async function loadAnswers(db: Db, sessionId: string): Promise<Answer[]> {
  const rows = await db
    .selectFrom('session_answers')
    .leftJoin('users', 'users.id', 'session_answers.updated_by')
    .select([
      'session_answers.question_key',
      'session_answers.notes',
      'session_answers.version',
      'session_answers.updated_by',
      'session_answers.updated_at',
      'users.name as updated_by_name',
    ])
    .where('session_answers.session_id', '=', sessionId)
    .orderBy('session_answers.question_key')
    .execute();
  return rows.map((r) => ({
    questionKey: r.question_key,
    notes: r.notes,
    version: Number(r.version),
    updatedBy: r.updated_by ? { id: r.updated_by, name: r.updated_by_name ?? '' } : null,
    updatedAt: r.updated_at,
  }));
}

async function questionKeys(db: Db, session: ListeningSessionRow): Promise<{ keys: Set<string>; version: number }> {
  if (!session.guide_version_id) {
    throw new ValidationError('questionKey', 'this session has no interview guide, so it has no questions to take notes on');
  }
  const guide = await db.selectFrom('guide_versions').select(['sections', 'version']).where('id', '=', session.guide_version_id).executeTakeFirstOrThrow();
  const keys = new Set(parseSections(guide.sections).flatMap((s) => s.questions.map((q) => q.key)));
  return { keys, version: Number(guide.version) };
}

/**
 * Saves the notes for one guide question. `baseVersion` is the version the caller's text was
 * based on (0 for the first save): when someone else saved in between, nothing is written and
 * an `edit_conflict` carries the stored notes, so no words are lost on either side. The check
 * is part of the write (a conditional update or insert), so two saves at once cannot both win.
 */
export async function putAnswer(ctx: ServiceContext, sessionId: string, questionKey: string, input: AnswerPutBody): Promise<Answer> {
  const { session } = await requireCapture(ctx, sessionId);
  const guide = await questionKeys(ctx.db, session);
  if (!guide.keys.has(questionKey)) {
    throw new ValidationError('questionKey', `is not a question of this session’s guide (version ${guide.version})`);
  }
  await ctx.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('session_answers')
      .select(['notes', 'version'])
      .where('session_id', '=', sessionId)
      .where('question_key', '=', questionKey)
      .executeTakeFirst();
    // The stored notes already say exactly this (a retry after a lost response, or the same
    // change made twice): nothing can be lost, so it is not a conflict and nothing is written.
    if (current && current.notes === input.notes) {
      return;
    }
    const now = nowIso();
    const version = input.baseVersion + 1;
    let written: bigint | number;
    if (input.baseVersion === 0) {
      const result = await trx
        .insertInto('session_answers')
        .values({ session_id: sessionId, question_key: questionKey, notes: input.notes, version, updated_by: ctx.actor.id, updated_at: now })
        .onConflict((oc) => oc.columns(['session_id', 'question_key']).doNothing())
        .executeTakeFirst();
      written = result.numInsertedOrUpdatedRows ?? 0n;
    } else {
      const result = await trx
        .updateTable('session_answers')
        .set({ notes: input.notes, version, updated_by: ctx.actor.id, updated_at: now })
        .where('session_id', '=', sessionId)
        .where('question_key', '=', questionKey)
        .where('version', '=', input.baseVersion)
        .executeTakeFirst();
      written = result.numUpdatedRows;
    }
    if (Number(written) === 0) {
      const stored = (await loadAnswers(trx, sessionId)).find((a) => a.questionKey === questionKey);
      throw new EditConflictError(
        stored
          ? `These notes were changed by ${stored.updatedBy?.name ?? 'someone else'} (version ${stored.version}) since version ${input.baseVersion}; merge them and save with baseVersion ${stored.version}`
          : `There are no saved notes for this question yet; save with baseVersion 0`,
        stored
          ? { notes: stored.notes, version: stored.version, updatedBy: stored.updatedBy, updatedAt: stored.updatedAt }
          : { notes: '', version: 0, updatedBy: null, updatedAt: session.updated_at },
      );
    }
    // The audit row records that notes changed and their version, not the words: audit readers may not read sessions.
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'session.answer.save',
        entity: 'session',
        entityId: sessionId,
        clientId: session.client_id,
        changes: { [`answers.${questionKey}.version`]: [input.baseVersion, version] },
      },
    );
  });
  const saved = (await loadAnswers(ctx.db, sessionId)).find((a) => a.questionKey === questionKey);
  if (!saved) {
    throw new NotFoundError('Answer');
  }
  return saved;
}

// ---------------------------------------------------------------- scores

/** The session's scores: NPS, satisfaction, and every active dimension plus inactive ones it scored. */
export async function loadScores(db: Db, session: Pick<ListeningSessionRow, 'id' | 'nps' | 'satisfaction'>): Promise<Scores> {
  const [dimensions, scored] = await Promise.all([
    db.selectFrom('score_dimensions').selectAll().orderBy('position').orderBy('key').execute(),
    db.selectFrom('session_scores').select(['dimension', 'score']).where('session_id', '=', session.id).execute(),
  ]);
  const byKey = new Map(scored.map((s) => [s.dimension, Number(s.score)]));
  return {
    nps: session.nps === null ? null : Number(session.nps),
    satisfaction: session.satisfaction === null ? null : Number(session.satisfaction),
    dimensions: dimensions
      .filter((d) => toBool(d.active) || byKey.has(d.key))
      .map((d) => ({ key: d.key, label: d.label, active: toBool(d.active), score: byKey.get(d.key) ?? null })),
  };
}

/**
 * Records scores: NPS 0–10, overall satisfaction 1–10, dimensions 1–5 from the active list.
 * Absent fields stay as they are; null clears a score.
 */
export async function putScores(ctx: ServiceContext, sessionId: string, input: ScoresPutBody): Promise<Scores> {
  const { session } = await requireCapture(ctx, sessionId);
  const entries = Object.entries(input.dimensions ?? {});
  if (entries.length > 0) {
    const known = new Map(
      (
        await ctx.db
          .selectFrom('score_dimensions')
          .select(['key', 'active'])
          .where(
            'key',
            'in',
            entries.map(([k]) => k),
          )
          .execute()
      ).map((d) => [d.key, toBool(d.active)]),
    );
    for (const [key] of entries) {
      const active = known.get(key);
      if (active === undefined) {
        throw new ValidationError(`dimensions.${key}`, 'is not a score dimension');
      }
      if (!active) {
        throw new ValidationError(`dimensions.${key}`, 'is no longer in use and takes no new scores');
      }
    }
  }
  await ctx.db.transaction().execute(async (trx) => {
    const before = await loadScores(
      trx,
      await trx.selectFrom('listening_sessions').select(['id', 'nps', 'satisfaction']).where('id', '=', sessionId).executeTakeFirstOrThrow(),
    );
    if (input.nps !== undefined || input.satisfaction !== undefined) {
      await trx
        .updateTable('listening_sessions')
        .set({
          ...(input.nps !== undefined && { nps: input.nps }),
          ...(input.satisfaction !== undefined && { satisfaction: input.satisfaction }),
          updated_at: nowIso(),
        })
        .where('id', '=', sessionId)
        .execute();
    }
    for (const [dimension, score] of entries) {
      if (score === null) {
        await trx.deleteFrom('session_scores').where('session_id', '=', sessionId).where('dimension', '=', dimension).execute();
      } else {
        await trx
          .insertInto('session_scores')
          .values({ session_id: sessionId, dimension, score })
          .onConflict((oc) => oc.columns(['session_id', 'dimension']).doUpdateSet({ score }))
          .execute();
      }
    }
    const after = await loadScores(
      trx,
      await trx.selectFrom('listening_sessions').select(['id', 'nps', 'satisfaction']).where('id', '=', sessionId).executeTakeFirstOrThrow(),
    );
    const flat = (s: Scores) => ({
      nps: s.nps,
      satisfaction: s.satisfaction,
      ...Object.fromEntries(s.dimensions.map((d) => [`dimensions.${d.key}`, d.score])),
    });
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'session.scores.update', entity: 'session', entityId: sessionId, clientId: session.client_id, before: flat(before), after: flat(after) },
    );
    if (input.nps !== undefined) {
      await raiseForDetractor({ ...ctx, db: trx }, sessionId);
    }
  });
  return loadScores(
    ctx.db,
    await ctx.db.selectFrom('listening_sessions').select(['id', 'nps', 'satisfaction']).where('id', '=', sessionId).executeTakeFirstOrThrow(),
  );
}

// ---------------------------------------------------------------- remarks

export interface RemarkJoinedRow {
  id: string;
  session_id: string;
  text: string;
  theme: string | null;
  confidentiality: Confidentiality;
  speaker_contact_id: string | null;
  speaker_name: string | null;
  version: number;
  created_by: string | null;
  created_by_name: string | null;
  updated_by: string | null;
  updated_by_name: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * The one mapper from a remark row to what a reader sees. `shareable` readers never get here with
 * a programme-only remark (the query leaves them out); if one ever did, it is refused rather than
 * shown. The speaker of a non-attributable remark is shown only with `full` visibility.
 */
export function toRemark(row: RemarkJoinedRow, visibility: RemarkVisibility): Remark {
  if (!readableConfidentiality(visibility).includes(row.confidentiality)) {
    throw new Error('a remark the reader may not see reached the mapper');
  }
  const speaker =
    showsSpeaker(visibility, row.confidentiality) && row.speaker_contact_id ? { contactId: row.speaker_contact_id, name: row.speaker_name ?? '' } : null;
  return {
    id: row.id,
    sessionId: row.session_id,
    text: row.text,
    theme: row.theme,
    confidentiality: row.confidentiality,
    speaker,
    version: Number(row.version),
    createdBy: row.created_by ? { id: row.created_by, name: row.created_by_name ?? '' } : null,
    updatedBy: row.updated_by ? { id: row.updated_by, name: row.updated_by_name ?? '' } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Remarks of a session as rows, restricted in the SQL to the confidentiality the visibility may read. */
function remarkRows(db: Db, sessionId: string, visibility: RemarkVisibility) {
  return db
    .selectFrom('session_remarks')
    .leftJoin('contacts', 'contacts.id', 'session_remarks.speaker_contact_id')
    .leftJoin('users', 'users.id', 'session_remarks.created_by')
    .leftJoin('users as editor', 'editor.id', 'session_remarks.updated_by')
    .select([
      'session_remarks.updated_by',
      'editor.name as updated_by_name',
      'session_remarks.id',
      'session_remarks.session_id',
      'session_remarks.text',
      'session_remarks.theme',
      'session_remarks.confidentiality',
      'session_remarks.speaker_contact_id',
      'contacts.name as speaker_name',
      'session_remarks.version',
      'session_remarks.created_by',
      'users.name as created_by_name',
      'session_remarks.created_at',
      'session_remarks.updated_at',
    ])
    .where('session_remarks.session_id', '=', sessionId)
    .where('session_remarks.confidentiality', 'in', readableConfidentiality(visibility));
}

/** The remarks a reader with this visibility may see, in the order they were captured. */
export async function listRemarksFor(db: Db, sessionId: string, visibility: RemarkVisibility): Promise<Remark[]> {
  const rows = await remarkRows(db, sessionId, visibility).orderBy('session_remarks.id').execute();
  return rows.map((r) => toRemark(r, visibility));
}

/** The session's remarks as the caller may read them. */
export async function listRemarks(ctx: ServiceContext, sessionId: string): Promise<Remark[]> {
  const access = await requireSessionAccess(ctx, sessionId, 'read');
  return listRemarksFor(ctx.db, sessionId, remarkVisibility(access));
}

async function assertSpeaker(db: Db, clientId: string, speakerContactId: string | null | undefined): Promise<void> {
  if (!speakerContactId) {
    return;
  }
  const found = await db.selectFrom('contacts').select('id').where('id', '=', speakerContactId).where('client_id', '=', clientId).executeTakeFirst();
  if (!found) {
    throw new ValidationError('speakerContactId', 'is not a contact of this session’s client');
  }
}

async function loadRemark(db: Db, sessionId: string, remarkId: string, visibility: RemarkVisibility): Promise<Remark> {
  const row = await remarkRows(db, sessionId, visibility).where('session_remarks.id', '=', remarkId).executeTakeFirst();
  if (!row) {
    throw new NotFoundError('Remark');
  }
  return toRemark(row, visibility);
}

/** The audited view of a remark: its handling, never its words or its speaker (audit readers may not read sessions). */
function auditedRemark(r: Pick<Remark, 'confidentiality' | 'theme' | 'version' | 'sessionId'>) {
  return { sessionId: r.sessionId, confidentiality: r.confidentiality, theme: r.theme, version: r.version };
}

export async function createRemark(ctx: ServiceContext, sessionId: string, input: RemarkCreateBody): Promise<Remark> {
  const access = await requireCapture(ctx, sessionId);
  const visibility = remarkVisibility(access);
  await assertSpeaker(ctx.db, access.session.client_id, input.speakerContactId);
  if (input.id) {
    const existing = await ctx.db.selectFrom('session_remarks').select('session_id').where('id', '=', input.id).executeTakeFirst();
    if (existing?.session_id === sessionId) {
      // A retry of a create whose reply was lost: the remark is already there.
      return loadRemark(ctx.db, sessionId, input.id, visibility);
    }
    if (existing) {
      throw new ConflictError('id', 'is already used by another remark');
    }
  }
  const now = nowIso();
  const row = {
    id: input.id ?? uuidv7(),
    session_id: sessionId,
    speaker_contact_id: input.speakerContactId ?? null,
    text: input.text,
    theme: input.theme ?? null,
    confidentiality: input.confidentiality ?? 'attributable',
    version: 1,
    created_by: ctx.actor.id,
    updated_by: ctx.actor.id,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('session_remarks').values(row).execute();
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'session.remark.create',
        entity: 'session_remark',
        entityId: row.id,
        clientId: access.session.client_id,
        after: auditedRemark({ sessionId, confidentiality: row.confidentiality, theme: row.theme, version: 1 }),
      },
    );
  });
  return loadRemark(ctx.db, sessionId, row.id, visibility);
}

/**
 * Edits a remark. `baseVersion` is the version the edit was based on: if the stored remark has
 * moved on, nothing is written and an `edit_conflict` carries the stored remark.
 */
export async function updateRemark(ctx: ServiceContext, sessionId: string, remarkId: string, input: RemarkUpdateBody): Promise<Remark> {
  const access = await requireCapture(ctx, sessionId);
  const visibility = remarkVisibility(access);
  if (input.speakerContactId !== undefined) {
    await assertSpeaker(ctx.db, access.session.client_id, input.speakerContactId);
  }
  await ctx.db.transaction().execute(async (trx) => {
    const before = await loadRemark(trx, sessionId, remarkId, visibility);
    const version = input.baseVersion + 1;
    const result = await trx
      .updateTable('session_remarks')
      .set({
        ...(input.text !== undefined && { text: input.text }),
        ...(input.confidentiality !== undefined && { confidentiality: input.confidentiality }),
        ...(input.speakerContactId !== undefined && { speaker_contact_id: input.speakerContactId }),
        ...(input.theme !== undefined && { theme: input.theme }),
        version,
        updated_by: ctx.actor.id,
        updated_at: nowIso(),
      })
      .where('id', '=', remarkId)
      .where('session_id', '=', sessionId)
      .where('version', '=', input.baseVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const stored = await loadRemark(trx, sessionId, remarkId, visibility);
      throw new EditConflictError(
        `This remark was changed (version ${stored.version}) since version ${input.baseVersion}; merge the changes and save with baseVersion ${stored.version}`,
        {
          text: stored.text,
          confidentiality: stored.confidentiality,
          theme: stored.theme,
          speakerContactId: stored.speaker?.contactId ?? null,
          version: stored.version,
          updatedBy: stored.updatedBy,
          updatedAt: stored.updatedAt,
        },
      );
    }
    const after = await loadRemark(trx, sessionId, remarkId, visibility);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'session.remark.update',
        entity: 'session_remark',
        entityId: remarkId,
        clientId: access.session.client_id,
        before: { ...auditedRemark(before), textChanged: false },
        after: { ...auditedRemark(after), textChanged: before.text !== after.text },
      },
    );
  });
  return loadRemark(ctx.db, sessionId, remarkId, visibility);
}

export async function deleteRemark(ctx: ServiceContext, sessionId: string, remarkId: string): Promise<void> {
  const access = await requireCapture(ctx, sessionId);
  const visibility = remarkVisibility(access);
  await ctx.db.transaction().execute(async (trx) => {
    const before = await loadRemark(trx, sessionId, remarkId, visibility);
    await trx.deleteFrom('session_remarks').where('id', '=', remarkId).where('session_id', '=', sessionId).execute();
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'session.remark.delete', entity: 'session_remark', entityId: remarkId, clientId: access.session.client_id, before: auditedRemark(before) },
    );
  });
}
