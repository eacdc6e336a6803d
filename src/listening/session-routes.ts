import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/connect.js';

/** Listening sessions: planning, independence, calendar invites and capture. */
export async function sessionRoutes(_app: FastifyInstance, _opts: { db: Db }) {}
