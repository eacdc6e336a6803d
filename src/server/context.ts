import type { Db } from '../db/connect.js';
import type { Role } from '../db/schema.js';

/** Who is acting. `system` is the CLI and start-up tasks: audited, never a signed-in person. */
export interface Actor {
  id: string | null;
  role: Role | 'system';
  name: string;
  email: string | null;
}

/** What every use-case receives: the database (or a transaction), who acts, and for which request. */
export interface ServiceContext {
  db: Db;
  actor: Actor;
  requestId?: string | undefined;
}

export const SYSTEM_ACTOR: Actor = { id: null, role: 'system', name: 'system', email: null };

export function systemContext(db: Db, name = 'system'): ServiceContext {
  return { db, actor: { ...SYSTEM_ACTOR, name } };
}
