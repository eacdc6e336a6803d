import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { firmAbilities } from '../http/access.js';
import { contextOf, SESSION_COOKIE } from '../http/auth.js';
import { id, problems } from '../http/schema-helpers.js';
import { type AuthPolicy, actorOf, changePassword, createSession, createToken, endSession, listTokens, revokeToken, verifyCredentials } from './auth.js';
import {
  LoginBody,
  MeSchema,
  PasswordChangeBody,
  PasswordReset,
  TeamCreateBody,
  TeamList,
  TeamSchema,
  TeamUpdateBody,
  TokenCreateBody,
  TokenCreated,
  TokenSchema,
  UserCreateBody,
  UserCreated,
  UserListQuery,
  UserPage,
  UserSchema,
  UserUpdateBody,
} from './schemas.js';
import { createTeam, deleteTeam, getTeam, listTeams, updateTeam } from './teams.js';
import { createUser, getSelf, getUser, listUsers, resetPassword, updateUser } from './users.js';

export interface FirmRoutesOptions {
  db: Db;
  policy: AuthPolicy;
  secureCookies: boolean;
  loginRateLimit: number;
}

const Params = z.object({ id });

/** Sign-in, the signed-in user's own account and tokens, users and teams. */
export async function firmRoutes(app: FastifyInstance, opts: FirmRoutesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = opts;

  r.post(
    '/auth/login',
    {
      config: { public: true, rateLimit: { max: opts.loginRateLimit, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Sign in with email and password', body: LoginBody, response: { 200: MeSchema, ...problems(400, 401, 423, 429) } },
    },
    async (request, reply) => {
      const user = await verifyCredentials(db, opts.policy, request.body.email, request.body.password);
      const session = await createSession(db, opts.policy, user, request.headers['user-agent']);
      reply.setCookie(SESSION_COOKIE, session.secret, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secureCookies,
        expires: new Date(session.expiresAt),
      });
      const csrfToken = reply.generateCsrf({ userInfo: session.sessionId });
      return { user: await getSelf({ db, actor: actorOf(user) }), abilities: firmAbilities(user.role), csrfToken };
    },
  );

  r.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out of this session', response: { 204: z.null(), ...problems(401, 403) } } },
    async (request, reply) => {
      if (request.sessionId) {
        await endSession(contextOf(request, db), request.sessionId);
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/me',
    { schema: { tags: ['me'], summary: 'The signed-in user, and a CSRF token for cookie sessions', response: { 200: MeSchema, ...problems(401) } } },
    async (request, reply) => {
      const user = await getSelf(contextOf(request, db));
      const csrfToken = request.sessionId ? reply.generateCsrf({ userInfo: request.sessionId }) : undefined;
      return { user, abilities: firmAbilities(user.role), ...(csrfToken ? { csrfToken } : {}) };
    },
  );

  r.post(
    '/me/password',
    {
      schema: {
        tags: ['me'],
        summary: 'Change your password (ends your other sessions)',
        body: PasswordChangeBody,
        response: { 204: z.null(), ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await changePassword(contextOf(request, db), request.sessionId, request.body.currentPassword, request.body.newPassword);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/me/tokens',
    { schema: { tags: ['me'], summary: 'Your personal API tokens', response: { 200: z.object({ items: z.array(TokenSchema) }), ...problems(401) } } },
    async (request) => ({
      items: await listTokens(contextOf(request, db)),
    }),
  );

  r.post(
    '/me/tokens',
    {
      schema: {
        tags: ['me'],
        summary: 'Create a personal API token (the secret is shown once)',
        body: TokenCreateBody,
        response: { 201: TokenCreated, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await createToken(contextOf(request, db), request.body)),
  );

  r.delete(
    '/me/tokens/:id',
    { schema: { tags: ['me'], summary: 'Revoke a token', params: Params, response: { 204: z.null(), ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await revokeToken(contextOf(request, db), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/users',
    { schema: { tags: ['users'], summary: 'List users', querystring: UserListQuery, response: { 200: UserPage, ...problems(400, 401, 403) } } },
    async (request) => listUsers(contextOf(request, db), request.query),
  );
  r.post(
    '/users',
    { schema: { tags: ['users'], summary: 'Create a user (admin)', body: UserCreateBody, response: { 201: UserCreated, ...problems(400, 401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await createUser(contextOf(request, db), request.body)),
  );
  r.get(
    '/users/:id',
    { schema: { tags: ['users'], summary: 'A user', params: Params, response: { 200: UserSchema, ...problems(401, 403, 404) } } },
    async (request) => getUser(contextOf(request, db), request.params.id),
  );
  r.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Update a user (admin)',
        params: Params,
        body: UserUpdateBody,
        response: { 200: UserSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateUser(contextOf(request, db), request.params.id, request.body),
  );
  r.post(
    '/users/:id/reset-password',
    {
      schema: {
        tags: ['users'],
        summary: 'Reset a user’s password (admin); returns a temporary one',
        params: Params,
        response: { 200: PasswordReset, ...problems(401, 403, 404) },
      },
    },
    async (request) => resetPassword(contextOf(request, db), request.params.id),
  );

  r.get(
    '/teams',
    { schema: { tags: ['teams'], summary: 'Teams and practice groups', response: { 200: TeamList, ...problems(401, 403) } } },
    async (request) => ({
      items: await listTeams(contextOf(request, db)),
    }),
  );
  r.post(
    '/teams',
    { schema: { tags: ['teams'], summary: 'Create a team (admin)', body: TeamCreateBody, response: { 201: TeamSchema, ...problems(400, 401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await createTeam(contextOf(request, db), request.body)),
  );
  r.get(
    '/teams/:id',
    { schema: { tags: ['teams'], summary: 'A team with its members', params: Params, response: { 200: TeamSchema, ...problems(401, 403, 404) } } },
    async (request) => getTeam(contextOf(request, db), request.params.id),
  );
  r.patch(
    '/teams/:id',
    {
      schema: {
        tags: ['teams'],
        summary: 'Update a team (admin)',
        params: Params,
        body: TeamUpdateBody,
        response: { 200: TeamSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateTeam(contextOf(request, db), request.params.id, request.body),
  );
  r.delete(
    '/teams/:id',
    { schema: { tags: ['teams'], summary: 'Delete a team (admin)', params: Params, response: { 204: z.null(), ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await deleteTeam(contextOf(request, db), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
