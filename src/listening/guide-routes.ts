import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/connect.js';

/** Interview guides (versioned) and score dimensions. */
export async function guideRoutes(_app: FastifyInstance, _opts: { db: Db }) {}
