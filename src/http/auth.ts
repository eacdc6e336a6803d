import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/connect.js';
import { type AuthPolicy, actorOf, resolveSession, resolveToken } from '../firm/auth.js';
import type { Actor, ServiceContext } from '../server/context.js';
import { UnauthorizedError } from './errors.js';

export const SESSION_COOKIE = 'hearken_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
    /** The session's id (digest) when signed in with a cookie. */
    sessionId: string | undefined;
    authMethod: 'session' | 'token' | undefined;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (sign-in itself, health checks). */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Works out who is calling: `Authorization: Bearer` (API tokens, no CSRF needed because the
 * browser never adds it by itself) or the session cookie (CSRF token required on writes).
 * Routes are private unless their config says `public: true`.
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { db: Db; policy: AuthPolicy }) => {
  app.decorateRequest('actor', undefined);
  app.decorateRequest('sessionId', undefined);
  app.decorateRequest('authMethod', undefined);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.url.startsWith('/api/v1/')) {
      return;
    }
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const user = match?.[1] ? await resolveToken(opts.db, match[1]) : undefined;
      if (!user) {
        throw new UnauthorizedError('The API token is invalid, expired or revoked');
      }
      request.actor = actorOf(user);
      request.authMethod = 'token';
      return;
    }
    const secret = request.cookies[SESSION_COOKIE];
    if (secret) {
      const session = await resolveSession(opts.db, opts.policy, secret);
      if (session) {
        request.actor = actorOf(session.user);
        request.sessionId = session.sessionId;
        request.authMethod = 'session';
      } else {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    if (!request.actor) {
      if (request.routeOptions.config.public) {
        return;
      }
      throw new UnauthorizedError(secret ? 'Your session has expired; sign in again' : 'Sign in to continue');
    }
    if (request.authMethod === 'session' && !SAFE_METHODS.has(request.method)) {
      await new Promise<void>((resolve, reject) => {
        app.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve()));
      });
    }
  });
});

/** The service context for a request; throws 401 if nobody is signed in. */
export function contextOf(request: FastifyRequest, db: Db): ServiceContext {
  if (!request.actor) {
    throw new UnauthorizedError();
  }
  return { db, actor: request.actor, requestId: request.id };
}
