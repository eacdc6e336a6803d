import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/connect.js';

/** Programmes and nominations. */
export async function programmeRoutes(_app: FastifyInstance, _opts: { db: Db }) {}
