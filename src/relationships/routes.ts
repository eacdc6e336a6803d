import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/connect.js';
import { checkInRoutes } from './check-in-routes.js';
import { problemRoutes } from './problem-routes.js';
import { recoveryCheckRoutes } from './recovery-check-routes.js';

/** Relationship management: check-ins and their cadence, problems, referrals. */
export async function relationshipRoutes(app: FastifyInstance, opts: { db: Db }) {
  await app.register(problemRoutes, opts);
  await app.register(checkInRoutes, opts);
  await app.register(recoveryCheckRoutes, opts);
}
