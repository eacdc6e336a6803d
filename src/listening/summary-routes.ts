import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/connect.js';

/** Session summaries: draft, edit, review, share, Word and PDF exports. */
export async function summaryRoutes(_app: FastifyInstance, _opts: { db: Db }) {}
