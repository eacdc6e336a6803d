import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { id, problems } from '../http/schema-helpers.js';
import { createRemark, deleteRemark, listRemarks, putAnswer, putScores, updateRemark } from './capture.js';
import {
  AnswerPutBody,
  AnswerSchema,
  EditConflictProblem,
  RemarkCreateBody,
  RemarkList,
  RemarkSchema,
  RemarkUpdateBody,
  ScoresPutBody,
  ScoresSchema,
  SessionCreateBody,
  SessionDetailSchema,
  SessionListQuery,
  SessionPage,
  SessionStatusBody,
  SessionUpdateBody,
} from './session-schemas.js';
import { createSession, getSession, getSessionInvite, listSessions, transitionSession, updateSession } from './sessions.js';

const SessionParams = z.object({ id });
const AnswerParams = z.object({ id, questionKey: z.string().min(1).max(100).describe('A question key of the session’s guide version') });
const RemarkParams = z.object({ id, remarkId: id });
const noContent = { 204: z.null() };

/** Listening sessions: planning, independence, status, calendar invites and capture. */
export async function sessionRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sessions'];

  r.get(
    '/sessions',
    {
      schema: {
        tags,
        summary: 'List the listening sessions the caller may read, by start time',
        description:
          'Filters combine. Access is applied in the query: partners and members see sessions of clients on whose team they are, externals only the sessions they interview. remarkCount counts only remarks the caller may read.',
        querystring: SessionListQuery,
        response: { 200: SessionPage, ...problems(400, 401) },
      },
    },
    async (request) => listSessions(contextOf(request, db), request.query),
  );
  r.post(
    '/sessions',
    {
      schema: {
        tags,
        summary: 'Plan a listening session (created as planned)',
        description:
          'The interviewer must be an active user, listed on the wall of a walled client, and independent of the client’s relationship team: otherwise 409 interviewer_not_independent naming interviewerId, unless a programme lead gives independenceOverrideReason (403 for anyone else). in_person needs location; video needs videoPlatform.',
        body: SessionCreateBody,
        response: { 201: SessionDetailSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createSession(contextOf(request, db), request.body)),
  );
  r.get(
    '/sessions/:id',
    {
      schema: {
        tags,
        summary: 'A session: plan, stakeholders, guide version, notes, scores and the remarks the caller may read',
        params: SessionParams,
        response: { 200: SessionDetailSchema, ...problems(401, 404) },
      },
    },
    async (request) => getSession(contextOf(request, db), request.params.id),
  );
  r.patch(
    '/sessions/:id',
    {
      schema: {
        tags,
        summary: 'Change the plan of a planned or scheduled session',
        description:
          'A change of time, length, place, link, format, interviewer, stakeholders or attendees raises icsSequence, so re-sent invites replace the old one.',
        params: SessionParams,
        body: SessionUpdateBody,
        response: { 200: SessionDetailSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateSession(contextOf(request, db), request.params.id, request.body),
  );
  r.post(
    '/sessions/:id/status',
    {
      schema: {
        tags,
        summary: 'Schedule, complete or cancel a session',
        description:
          'Allowed moves are in nextStatuses of the detail; others are 409 invalid_transition. scheduled needs startsAt; cancelled needs a reason. Summary statuses are set by the summary endpoints.',
        params: SessionParams,
        body: SessionStatusBody,
        response: { 200: SessionDetailSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => transitionSession(contextOf(request, db), request.params.id, request.body),
  );
  r.get(
    '/sessions/:id/invite.ics',
    {
      schema: {
        tags,
        summary: 'The session’s calendar invite (RFC 5545, text/calendar)',
        description:
          'METHOD:REQUEST while the session is on, METHOD:CANCEL with STATUS:CANCELLED once cancelled; the UID never changes and SEQUENCE is icsSequence. 400 while the session has no startsAt.',
        params: SessionParams,
        produces: ['text/calendar'],
        response: { 200: z.string().describe('text/calendar'), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { filename, ics } = await getSessionInvite(contextOf(request, db), request.params.id);
      return reply.type('text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(ics);
    },
  );

  r.put(
    '/sessions/:id/answers/:questionKey',
    {
      schema: {
        tags,
        summary: 'Save the notes for one guide question',
        description:
          'baseVersion is the version the notes were based on (0 for the first save). If someone saved in between, nothing is written: 409 edit_conflict with `current` (the stored notes, version, who and when). Notes are read by everyone who may read the session; what is said in confidence belongs in a programme-only remark.',
        params: AnswerParams,
        body: AnswerPutBody,
        response: { 200: AnswerSchema, 409: EditConflictProblem, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => putAnswer(contextOf(request, db), request.params.id, request.params.questionKey, request.body),
  );
  r.put(
    '/sessions/:id/scores',
    {
      schema: {
        tags,
        summary: 'Record NPS (0–10), satisfaction (1–10) and dimension scores (1–5)',
        params: SessionParams,
        body: ScoresPutBody,
        response: { 200: ScoresSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => putScores(contextOf(request, db), request.params.id, request.body),
  );

  r.get(
    '/sessions/:id/remarks',
    {
      schema: {
        tags,
        summary: 'The session’s remarks the caller may read',
        description: 'Programme-only remarks, and the speakers of non-attributable ones, only for programme leads and the session’s interviewer.',
        params: SessionParams,
        response: { 200: RemarkList, ...problems(401, 404) },
      },
    },
    async (request) => ({ items: await listRemarks(contextOf(request, db), request.params.id) }),
  );
  r.post(
    '/sessions/:id/remarks',
    {
      schema: {
        tags,
        summary: 'Capture a remark',
        params: SessionParams,
        body: RemarkCreateBody,
        response: { 201: RemarkSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createRemark(contextOf(request, db), request.params.id, request.body)),
  );
  r.patch(
    '/sessions/:id/remarks/:remarkId',
    {
      schema: {
        tags,
        summary: 'Edit a remark',
        description: 'baseVersion is the version the edit was based on; if the remark changed in between: 409 edit_conflict with `current`.',
        params: RemarkParams,
        body: RemarkUpdateBody,
        response: { 200: RemarkSchema, 409: EditConflictProblem, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => updateRemark(contextOf(request, db), request.params.id, request.params.remarkId, request.body),
  );
  r.delete(
    '/sessions/:id/remarks/:remarkId',
    {
      schema: { tags, summary: 'Delete a remark', params: RemarkParams, response: { ...noContent, ...problems(401, 403, 404, 409) } },
    },
    async (request, reply) => {
      await deleteRemark(contextOf(request, db), request.params.id, request.params.remarkId);
      return reply.code(204).send(null);
    },
  );
}
