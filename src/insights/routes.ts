import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/connect.js';

/** Insights, the theme taxonomy and the client knowledge page. */
export async function insightRoutes(_app: FastifyInstance, _opts: { db: Db }) {}
