import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { problems } from '../http/schema-helpers.js';
import { getPreferenceSettings, PreferenceSettingsBody, PreferenceSettingsSchema, putPreferenceSettings } from './settings.js';

/** GET/PUT /settings/preferences: the stale age of preferences (admins change it). */
export async function preferenceSettingsRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/settings/preferences',
    { schema: { tags: ['settings'], summary: 'Settings of client preferences', response: { 200: PreferenceSettingsSchema, ...problems(401, 403) } } },
    async (request) => getPreferenceSettings(contextOf(request, db)),
  );
  r.put(
    '/settings/preferences',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change the settings of client preferences (admins)',
        body: PreferenceSettingsBody,
        response: { 200: PreferenceSettingsSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => putPreferenceSettings(contextOf(request, db), request.body),
  );
}
