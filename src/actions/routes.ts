import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/connect.js';

/** Follow-up actions: the loop from what was heard to what was done. */
export async function actionRoutes(_app: FastifyInstance, _opts: { db: Db }) {}
