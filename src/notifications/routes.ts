import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { id, problems } from '../http/schema-helpers.js';
import { getDigestPreference, listNotifications, markAllRead, markRead, putDigestPreference } from './notifications.js';
import { listOutbox } from './outbox.js';
import { DigestPreference, DigestPutBody, NotificationListQuery, NotificationPage, NotificationSchema, OutboxListQuery, OutboxPage } from './schemas.js';

const IdParams = z.object({ id });

/** The notification centre and the digest preference of the signed-in user. */
export async function notificationRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['me'];

  r.get(
    '/me/notifications',
    {
      schema: {
        tags,
        summary: 'Your notifications, newest first, with the unread count (only those about clients you may still see)',
        querystring: NotificationListQuery,
        response: { 200: NotificationPage, ...problems(400, 401) },
      },
    },
    async (request) => listNotifications(contextOf(request, db), request.query),
  );
  r.post(
    '/me/notifications/:id/read',
    { schema: { tags, summary: 'Mark a notification read', params: IdParams, response: { 200: NotificationSchema, ...problems(401, 403, 404) } } },
    async (request) => markRead(contextOf(request, db), request.params.id),
  );
  r.post(
    '/me/notifications/read-all',
    {
      schema: {
        tags,
        summary: 'Mark all your notifications read',
        response: { 200: z.object({ marked: z.number().describe('How many were unread') }), ...problems(401, 403) },
      },
    },
    async (request) => markAllRead(contextOf(request, db)),
  );
  r.get(
    '/me/digest',
    { schema: { tags, summary: 'Your digest email preference and when digests go out', response: { 200: DigestPreference, ...problems(401) } } },
    async (request) => getDigestPreference(contextOf(request, db)),
  );
  r.put(
    '/me/digest',
    {
      schema: {
        tags,
        summary: 'Choose your digest email: daily, weekly or off',
        body: DigestPutBody,
        response: { 200: DigestPreference, ...problems(400, 401, 403) },
      },
    },
    async (request) => putDigestPreference(contextOf(request, db), request.body),
  );
  r.get(
    '/email-outbox',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Outgoing email (admins): sent, pending or retrying, and failed after the last retry',
        querystring: OutboxListQuery,
        response: { 200: OutboxPage, ...problems(400, 401, 403) },
      },
    },
    async (request) => listOutbox(contextOf(request, db), request.query),
  );
}
