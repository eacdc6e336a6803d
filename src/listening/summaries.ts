import { recordAudit } from '../audit/service.js';
import type { Db } from '../db/connect.js';
import type { ListeningSessionRow, SessionStatus } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { ConflictError, EditConflictError, ValidationError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import { readableConfidentiality, requireSessionAccess, type SessionAccess, sessionAbilities } from './access.js';
import { loadGuideVersionSections } from './guides.js';
import { canTransition, transitionRefusal } from './session-states.js';
import { TransitionError } from './sessions.js';
import type { SummaryDocument } from './summary-docx.js';
import { buildSummaryDraft, type DraftSource } from './summary-draft.js';
import {
  SHARE_CHANNELS,
  type ShareChannel,
  type SummaryContent,
  type SummaryDraftBody,
  type SummaryPutBody,
  type SummaryReviewBody,
  type SummaryShareBody,
  type SummaryView,
} from './summary-schemas.js';

/**
 * Session summaries: built from the capture, edited, reviewed by a programme lead, shared with
 * the client, exported to Word and PDF. The summary only ever holds shareable content (the
 * draft is built from attributable and non-attributable remarks, the latter without speaker),
 * so every reader of the session may read it and the exports may go to the client.
 */

/** The stored summary JSON, read defensively (it is text in both databases). */
export function parseSummary(json: string | null): SummaryContent | null {
  if (json === null) {
    return null;
  }
  const raw = JSON.parse(json) as Partial<SummaryContent>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return {
    thanks: typeof raw.thanks === 'string' ? raw.thanks : '',
    heard: Array.isArray(raw.heard) ? raw.heard.map((h) => ({ theme: String(h.theme ?? ''), points: strings(h.points) })) : [],
    willDo: strings(raw.willDo),
    nextSteps: strings(raw.nextSteps),
  };
}

function sessionDate(s: ListeningSessionRow): string | null {
  return (s.starts_at ?? s.completed_at)?.slice(0, 10) ?? null;
}

async function toView(ctx: ServiceContext, access: SessionAccess, session: ListeningSessionRow = access.session): Promise<SummaryView> {
  const [client, people] = await Promise.all([
    ctx.db.selectFrom('clients').select(['id', 'name']).where('id', '=', session.client_id).executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('id', 'in', [session.interviewer_id, session.summary_reviewed_by ?? session.interviewer_id])
      .execute(),
  ]);
  const person = (id: string | null) => {
    const found = id ? people.find((p) => p.id === id) : undefined;
    return found ? { id: found.id, name: found.name } : null;
  };
  const may = sessionAbilities(ctx.actor, access);
  const status = session.status;
  return {
    sessionId: session.id,
    status,
    clientId: client.id,
    clientName: client.name,
    sessionDate: sessionDate(session),
    interviewer: person(session.interviewer_id) ?? { id: session.interviewer_id, name: '' },
    summary: parseSummary(session.summary),
    version: Number(session.summary_version),
    reviewedBy: person(session.summary_reviewed_by),
    reviewedAt: session.summary_reviewed_at,
    sharedOn: session.summary_shared_on,
    sharedChannel: (SHARE_CHANNELS as readonly string[]).includes(session.summary_shared_channel ?? '')
      ? (session.summary_shared_channel as ShareChannel)
      : null,
    abilities: {
      draft: may.capture && (status === 'completed' || status === 'summary_drafted'),
      edit: may.capture && EDITABLE.includes(status),
      review: may.review && status === 'summary_drafted',
      share: may.share && status === 'summary_reviewed',
    },
  };
}

/** Statuses in which the summary may be written by hand (a completed session starts one from scratch). */
const EDITABLE: readonly SessionStatus[] = ['completed', 'summary_drafted', 'summary_reviewed'];

async function loadSession(db: Db, id: string): Promise<ListeningSessionRow> {
  return db.selectFrom('listening_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Re-reads the session after a write, for the answer, keeping the access decided at the start. */
async function reload(ctx: ServiceContext, access: SessionAccess): Promise<SummaryView> {
  return toView(ctx, access, await loadSession(ctx.db, access.session.id));
}

/** The session's summary (null until drafted) with what the caller may do with it now. */
export async function getSummary(ctx: ServiceContext, sessionId: string): Promise<SummaryView> {
  return toView(ctx, await requireSessionAccess(ctx, sessionId, 'read'));
}

/**
 * What a draft is built from, read with the visibility a client-facing document has whoever
 * asks: the SQL itself leaves out programme-only remarks and the speaker of non-attributable
 * ones, so they never reach the draft builder.
 */
async function draftSource(db: Db, session: ListeningSessionRow): Promise<DraftSource> {
  const [client, contacts, remarks, answers, sections] = await Promise.all([
    db.selectFrom('clients').select('name').where('id', '=', session.client_id).executeTakeFirstOrThrow(),
    db
      .selectFrom('session_contacts')
      .innerJoin('contacts', 'contacts.id', 'session_contacts.contact_id')
      .select(['contacts.name', 'contacts.preferred_name'])
      .where('session_contacts.session_id', '=', session.id)
      .orderBy('contacts.name')
      .execute(),
    db
      .selectFrom('session_remarks')
      .leftJoin('contacts', (join) =>
        join.onRef('contacts.id', '=', 'session_remarks.speaker_contact_id').on('session_remarks.confidentiality', '=', 'attributable'),
      )
      .select(['session_remarks.text', 'session_remarks.theme', 'session_remarks.confidentiality', 'contacts.name', 'contacts.preferred_name'])
      .where('session_remarks.session_id', '=', session.id)
      .where('session_remarks.confidentiality', 'in', readableConfidentiality('shareable'))
      .orderBy('session_remarks.created_at')
      .orderBy('session_remarks.id')
      .execute(),
    db.selectFrom('session_answers').select(['question_key', 'notes']).where('session_id', '=', session.id).execute(),
    session.guide_version_id ? loadGuideVersionSections(db, session.guide_version_id) : Promise.resolve(undefined),
  ]);
  return {
    clientName: client.name,
    contacts: contacts.map((c) => ({ name: c.name, preferredName: c.preferred_name })),
    remarks: remarks.map((r) => ({
      text: r.text,
      theme: r.theme,
      confidentiality: r.confidentiality,
      speakerName: r.name ? r.preferred_name?.trim() || r.name : null,
    })),
    sections: sections ?? [],
    answers: answers.map((a) => ({ questionKey: a.question_key, notes: a.notes })),
  };
}

/** The 409 for an edit based on an old version, carrying the summary as it is stored now. */
async function conflict(ctx: ServiceContext, acc: SessionAccess, base: number): Promise<EditConflictError<SummaryView>> {
  const current = await reload(ctx, acc);
  return new EditConflictError<SummaryView>(
    `the summary was changed by someone else (now version ${current.version}; yours was based on version ${base}); compare the two and save again`,
    current,
  );
}

/**
 * Builds the summary draft from the captured content: on a completed session (which becomes
 * "summary drafted"), or again on a draft, replacing it (pass the draft's version, so edits made
 * meanwhile are not replaced unseen).
 */
export async function draftSummary(ctx: ServiceContext, sessionId: string, input: SummaryDraftBody): Promise<SummaryView> {
  const acc = await requireSessionAccess(ctx, sessionId, 'capture');
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = await loadSession(trx, sessionId);
    if (before.status === 'summary_reviewed') {
      throw new TransitionError('the summary has been reviewed, so it is not rebuilt from the capture; edit it instead');
    }
    if (before.status !== 'summary_drafted' && !canTransition(before.status, 'summary_drafted')) {
      throw new TransitionError(transitionRefusal(before.status, 'summary_drafted'));
    }
    if (input.baseVersion !== undefined && input.baseVersion !== Number(before.summary_version)) {
      throw await conflict(tctx, acc, input.baseVersion);
    }
    const draft = buildSummaryDraft(await draftSource(trx, before));
    const version = Number(before.summary_version) + 1;
    const result = await trx
      .updateTable('listening_sessions')
      .set({ summary: JSON.stringify(draft), summary_version: version, status: 'summary_drafted', updated_at: nowIso() })
      .where('id', '=', sessionId)
      .where('summary_version', '=', before.summary_version)
      .where('status', '=', before.status)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw new ConflictError('baseVersion', 'the summary changed meanwhile; reload it and try again');
    }
    await recordAudit(tctx, {
      action: 'session.summary.draft',
      entity: 'session',
      entityId: sessionId,
      clientId: before.client_id,
      before: { status: before.status, summaryVersion: Number(before.summary_version) },
      after: { status: 'summary_drafted', summaryVersion: version },
    });
  });
  return reload(ctx, acc);
}

/**
 * Saves an edited summary. `baseVersion` is the version the editor started from: if someone
 * saved since, nothing is written and the 409 carries the stored summary. Editing a reviewed
 * summary sends it back to "summary drafted": what reaches the client is always what was reviewed.
 */
export async function updateSummary(ctx: ServiceContext, sessionId: string, input: SummaryPutBody): Promise<SummaryView> {
  const acc = await requireSessionAccess(ctx, sessionId, 'capture');
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = await loadSession(trx, sessionId);
    if (!EDITABLE.includes(before.status)) {
      throw new TransitionError(
        before.status === 'summary_shared'
          ? 'the summary has been shared with the client, so it can no longer be changed'
          : transitionRefusal(before.status, 'summary_drafted'),
      );
    }
    if (Number(before.summary_version) !== input.baseVersion) {
      throw await conflict(tctx, acc, input.baseVersion);
    }
    const version = input.baseVersion + 1;
    const result = await trx
      .updateTable('listening_sessions')
      .set({
        summary: JSON.stringify(input.summary),
        summary_version: version,
        status: 'summary_drafted',
        summary_reviewed_by: null,
        summary_reviewed_at: null,
        updated_at: nowIso(),
      })
      .where('id', '=', sessionId)
      .where('summary_version', '=', input.baseVersion)
      .where('status', '=', before.status)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw await conflict(tctx, acc, input.baseVersion);
    }
    await recordAudit(tctx, {
      action: 'session.summary.update',
      entity: 'session',
      entityId: sessionId,
      clientId: before.client_id,
      before: { status: before.status, summaryVersion: Number(before.summary_version) },
      after: { status: 'summary_drafted', summaryVersion: version },
    });
  });
  return reload(ctx, acc);
}

/** A programme lead approves the summary for the client; records who and when. */
export async function reviewSummary(ctx: ServiceContext, sessionId: string, input: SummaryReviewBody): Promise<SummaryView> {
  const acc = await requireSessionAccess(ctx, sessionId, 'review');
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = await loadSession(trx, sessionId);
    if (!canTransition(before.status, 'summary_reviewed')) {
      throw new TransitionError(transitionRefusal(before.status, 'summary_reviewed'));
    }
    if (input.baseVersion !== undefined && input.baseVersion !== Number(before.summary_version)) {
      throw await conflict(tctx, acc, input.baseVersion);
    }
    const at = nowIso();
    const result = await trx
      .updateTable('listening_sessions')
      .set({ status: 'summary_reviewed', summary_reviewed_by: ctx.actor.id, summary_reviewed_at: at, updated_at: at })
      .where('id', '=', sessionId)
      .where('status', '=', before.status)
      .where('summary_version', '=', before.summary_version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw new ConflictError('baseVersion', 'the summary changed meanwhile; reload it and review it again');
    }
    await recordAudit(tctx, {
      action: 'session.summary.review',
      entity: 'session',
      entityId: sessionId,
      clientId: before.client_id,
      before: { status: before.status },
      after: { status: 'summary_reviewed', summaryVersion: Number(before.summary_version) },
    });
  });
  return reload(ctx, acc);
}

/** Records that the reviewed summary was shared with the client: on which day and how. */
export async function shareSummary(ctx: ServiceContext, sessionId: string, input: SummaryShareBody): Promise<SummaryView> {
  const acc = await requireSessionAccess(ctx, sessionId, 'share');
  // A day's grace for time zones ahead of UTC; a share planned for later is not a share yet.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  if (input.sharedOn > tomorrow) {
    throw new ValidationError('sharedOn', 'cannot be in the future: record the share once it has happened');
  }
  await ctx.db.transaction().execute(async (trx) => {
    const before = await loadSession(trx, sessionId);
    if (!canTransition(before.status, 'summary_shared')) {
      throw new TransitionError(
        before.status === 'summary_drafted' ? 'a programme lead reviews the summary before it is shared' : transitionRefusal(before.status, 'summary_shared'),
      );
    }
    const result = await trx
      .updateTable('listening_sessions')
      .set({ status: 'summary_shared', summary_shared_on: input.sharedOn, summary_shared_channel: input.channel, updated_at: nowIso() })
      .where('id', '=', sessionId)
      .where('status', '=', before.status)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw new ConflictError('status', 'the session changed meanwhile; reload it and try again');
    }
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'session.summary.share',
        entity: 'session',
        entityId: sessionId,
        clientId: before.client_id,
        before: { status: before.status },
        after: { status: 'summary_shared', sharedOn: input.sharedOn, channel: input.channel },
      },
    );
  });
  return reload(ctx, acc);
}

export interface SummaryExport {
  filename: string;
  contentType: string;
  body: Buffer;
}

const CONTENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

/**
 * The summary as a Word or PDF document for the client. Renders the summary document and the
 * client, date and interviewer only: never the remarks, so nothing said in confidence can
 * reach the file.
 */
export async function exportSummary(ctx: ServiceContext, sessionId: string, format: 'docx' | 'pdf'): Promise<SummaryExport> {
  const view = await getSummary(ctx, sessionId);
  if (!view.summary) {
    throw new ConflictError(undefined, 'This session has no summary yet: build the draft from the capture (or write one) before exporting it');
  }
  const doc: SummaryDocument = { clientName: view.clientName, sessionDate: view.sessionDate, interviewerName: view.interviewer.name, summary: view.summary };
  // The document libraries load on the first export, not at start-up (pdfmake alone costs ~250 ms).
  const docx = await import('./summary-docx.js');
  const body = format === 'docx' ? await docx.renderSummaryDocx(doc) : await (await import('./summary-pdf.js')).renderSummaryPdf(doc);
  return { filename: docx.exportFileName(doc, format), contentType: CONTENT_TYPES[format], body };
}
