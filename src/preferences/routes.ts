import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { id, problems } from '../http/schema-helpers.js';
import { clientBrief } from './brief.js';
import { briefFileName, renderBriefDocx, renderBriefPdf } from './brief-render.js';
import { checkRoutes } from './check-routes.js';
import {
  archivePreference,
  confirmPreference,
  createPreference,
  deletePreference,
  getPreference,
  listPreferences,
  preferenceHistory,
  updatePreference,
} from './preferences.js';
import { calendarFeed, calendarTokenStatus, createCalendarToken, reportsDueAhead, revokeCalendarToken } from './reports-due.js';
import {
  CalendarTokenCreated,
  CalendarTokenStatus,
  ClientBriefSchema,
  PreferenceConflictProblem,
  PreferenceCreateBody,
  PreferenceHistory,
  PreferenceListQuery,
  PreferencePage,
  PreferenceSchema,
  PreferenceUpdateBody,
  ReportsDueList,
  ReportsDueQuery,
} from './schemas.js';
import { preferenceSettingsRoutes } from './settings-routes.js';

const IdParams = z.object({ id });
const noContent = { 204: z.null() };

/** Client preferences, the client brief, reports due and the personal calendar feed. */
export async function preferenceRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['preferences'];
  await app.register(checkRoutes, { db });
  await app.register(preferenceSettingsRoutes, { db });

  r.get(
    '/preferences',
    {
      schema: {
        tags,
        summary: 'List client preferences (stale=true: the ones to ask again about)',
        querystring: PreferenceListQuery,
        response: { 200: PreferencePage, ...problems(400, 401) },
      },
    },
    async (request) => listPreferences(contextOf(request, db), request.query),
  );
  r.post(
    '/preferences',
    {
      schema: {
        tags,
        summary: 'Record a preference of a client or one of its contacts',
        description: 'The rule is optional; its kind must be one the category admits (the error names `rule.kind`).',
        body: PreferenceCreateBody,
        response: { 201: PreferenceSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await createPreference(contextOf(request, db), request.body)),
  );
  r.get(
    '/preferences/:id',
    { schema: { tags, summary: 'A preference', params: IdParams, response: { 200: PreferenceSchema, ...problems(401, 404) } } },
    async (request) => getPreference(contextOf(request, db), request.params.id),
  );
  r.patch(
    '/preferences/:id',
    {
      schema: {
        tags,
        summary: 'Edit a preference',
        description: 'baseVersion is the version the edit was based on; if the preference changed in between: 409 edit_conflict with `current`.',
        params: IdParams,
        body: PreferenceUpdateBody,
        response: { 200: PreferenceSchema, 409: PreferenceConflictProblem, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => updatePreference(contextOf(request, db), request.params.id, request.body),
  );
  r.post(
    '/preferences/:id/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm the preference is still true (last confirmed today)',
        params: IdParams,
        response: { 200: PreferenceSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => confirmPreference(contextOf(request, db), request.params.id),
  );
  r.post(
    '/preferences/:id/archive',
    {
      schema: { tags, summary: 'Archive a preference that no longer holds', params: IdParams, response: { 200: PreferenceSchema, ...problems(401, 403, 404) } },
    },
    async (request) => archivePreference(contextOf(request, db), request.params.id, true),
  );
  r.post(
    '/preferences/:id/restore',
    { schema: { tags, summary: 'Restore an archived preference (undo)', params: IdParams, response: { 200: PreferenceSchema, ...problems(401, 403, 404) } } },
    async (request) => archivePreference(contextOf(request, db), request.params.id, false),
  );
  r.delete(
    '/preferences/:id',
    { schema: { tags, summary: 'Delete a preference recorded by mistake', params: IdParams, response: { ...noContent, ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await deletePreference(contextOf(request, db), request.params.id);
      return reply.code(204).send(null);
    },
  );
  r.get(
    '/preferences/:id/history',
    { schema: { tags, summary: 'Every change of a preference, oldest first', params: IdParams, response: { 200: PreferenceHistory, ...problems(401, 404) } } },
    async (request) => preferenceHistory(contextOf(request, db), request.params.id),
  );

  // ------------------------------------------------------------ the brief
  const briefDescription =
    'Current contacts, do and don’t by category, recent feedback (never programme-only, never the speaker of non-attributable feedback), open actions, reports due in the next 60 days and the last interaction. Needs read access to the client’s preferences.';
  r.get(
    '/clients/:id/brief',
    {
      schema: {
        tags,
        summary: 'The one-page client brief',
        description: briefDescription,
        params: IdParams,
        response: { 200: ClientBriefSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => clientBrief(contextOf(request, db), request.params.id),
  );
  for (const format of ['docx', 'pdf'] as const) {
    r.get(
      `/clients/:id/brief.${format}`,
      {
        schema: {
          tags,
          summary: `Download the client brief as ${format === 'docx' ? 'a Word document' : 'a PDF'}`,
          description: briefDescription,
          params: IdParams,
          response: { 200: z.any().describe(`The .${format} file (binary)`), ...problems(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const brief = await clientBrief(contextOf(request, db), request.params.id);
        const body = format === 'docx' ? await renderBriefDocx(brief) : await renderBriefPdf(brief);
        return reply
          .type(format === 'docx' ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : 'application/pdf')
          .header('content-disposition', `attachment; filename="${briefFileName(brief, format)}"`)
          .header('cache-control', 'private, no-store')
          .send(body);
      },
    );
  }

  // ------------------------------------------------------------ reports due and the feed
  const meTags = ['me'];
  r.get(
    '/me/reports-due',
    {
      schema: {
        tags: meTags,
        summary: 'Reports due in the next days for the clients I may see, from their reporting schedules',
        querystring: ReportsDueQuery,
        response: { 200: ReportsDueList, ...problems(400, 401) },
      },
    },
    async (request) => reportsDueAhead(contextOf(request, db), request.query.days),
  );
  r.get(
    '/me/calendar-token',
    { schema: { tags: meTags, summary: 'Whether I have an active calendar feed token', response: { 200: CalendarTokenStatus, ...problems(401) } } },
    async (request) => calendarTokenStatus(contextOf(request, db)),
  );
  r.post(
    '/me/calendar-token',
    {
      schema: {
        tags: meTags,
        summary: 'Create my calendar feed token (shown once; replaces any earlier one)',
        response: { 201: CalendarTokenCreated, ...problems(401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await createCalendarToken(contextOf(request, db))),
  );
  r.delete(
    '/me/calendar-token',
    { schema: { tags: meTags, summary: 'Revoke my calendar feed token', response: { ...noContent, ...problems(401, 403) } } },
    async (request, reply) => {
      await revokeCalendarToken(contextOf(request, db));
      return reply.code(204).send(null);
    },
  );
  r.get(
    '/me/calendar.ics',
    {
      // Calendar apps cannot sign in: the feed token in the URL is the only credential (401 if bad or revoked).
      config: { public: true },
      schema: {
        tags: meTags,
        summary: 'My reports-due calendar (ICS subscription), authenticated by the feed token',
        querystring: z.object({ token: z.string().max(200).optional().describe('The calendar feed token') }),
        response: { 200: z.any().describe('text/calendar'), ...problems(401) },
      },
    },
    async (request, reply) => {
      const body = await calendarFeed(db, request.query.token);
      return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, no-store').send(body);
    },
  );
}
