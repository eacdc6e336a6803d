import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { id, problems } from '../http/schema-helpers.js';
import { addComment, createAction, getAction, listActions, listComments, listUnactioned, updateAction } from './actions.js';
import {
  ActionCommentBody,
  ActionCommentList,
  ActionCommentSchema,
  ActionCreateBody,
  ActionListQuery,
  ActionPage,
  ActionSchema,
  ActionUpdateBody,
  LoopSettingsBody,
  LoopSettingsSchema,
  UnactionedList,
} from './schemas.js';
import { getLoopSettings, putLoopSettings, readLoopSettings } from './settings.js';
import { youSaidWeDidRoutes } from './you-said-we-did-routes.js';

const ActionParams = z.object({ id });

/** Follow-up actions: the loop from what was heard to what was done. */
export async function actionRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['actions'];
  await app.register(youSaidWeDidRoutes, { db });

  r.get(
    '/actions',
    {
      schema: {
        tags,
        summary: 'List actions: my inbox (mine=true), overdue, by client, status, owner, insight or session',
        querystring: ActionListQuery,
        response: { 200: ActionPage, ...problems(400, 401) },
      },
    },
    async (request) => listActions(contextOf(request, db), request.query),
  );
  r.post(
    '/actions',
    { schema: { tags, summary: 'Create an action', body: ActionCreateBody, response: { 201: ActionSchema, ...problems(400, 401, 403, 404) } } },
    async (request, reply) => reply.code(201).send(await createAction(contextOf(request, db), request.body)),
  );
  r.get(
    '/actions/unactioned',
    {
      schema: {
        tags,
        summary: 'Feedback unactioned: concerns and risks heard more than the configured days ago with no action',
        response: { 200: UnactionedList, ...problems(401, 403) },
      },
    },
    async (request) => {
      const ctx = contextOf(request, db);
      const { unactionedAfterDays } = await readLoopSettings(db);
      return { items: await listUnactioned(ctx, unactionedAfterDays), afterDays: unactionedAfterDays };
    },
  );
  r.get(
    '/actions/:id',
    { schema: { tags, summary: 'An action', params: ActionParams, response: { 200: ActionSchema, ...problems(401, 404) } } },
    async (request) => getAction(contextOf(request, db), request.params.id),
  );
  r.patch(
    '/actions/:id',
    {
      schema: {
        tags,
        summary: 'Update an action or change its status (wont_do needs wontDoReason; done and wont_do reopen to open)',
        params: ActionParams,
        body: ActionUpdateBody,
        response: { 200: ActionSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => updateAction(contextOf(request, db), request.params.id, request.body),
  );
  r.get(
    '/actions/:id/comments',
    { schema: { tags, summary: 'The action’s comments, oldest first', params: ActionParams, response: { 200: ActionCommentList, ...problems(401, 404) } } },
    async (request) => ({ items: await listComments(contextOf(request, db), request.params.id) }),
  );
  r.post(
    '/actions/:id/comments',
    {
      schema: {
        tags,
        summary: 'Comment on an action',
        params: ActionParams,
        body: ActionCommentBody,
        response: { 201: ActionCommentSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await addComment(contextOf(request, db), request.params.id, request.body.body)),
  );

  r.get(
    '/settings/loop',
    { schema: { tags: ['settings'], summary: 'Settings of the feedback loop', response: { 200: LoopSettingsSchema, ...problems(401, 403) } } },
    async (request) => getLoopSettings(contextOf(request, db)),
  );
  r.put(
    '/settings/loop',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change the settings of the feedback loop (admins)',
        body: LoopSettingsBody,
        response: { 200: LoopSettingsSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => putLoopSettings(contextOf(request, db), request.body),
  );
}
