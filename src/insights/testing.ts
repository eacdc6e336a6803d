/**
 * Test factories for insights, built through the services so every invariant holds (access,
 * references, audit). Not part of the build: only tests import it, and the bundle holds only what the entry points import.
 * Keep the signatures stable: other suites (actions, search) call them.
 */
import type { Db } from '../db/connect.js';
import type { ServiceContext } from '../server/context.js';
import { createInsight } from './insights.js';
import type { Insight, InsightCreateBody } from './schemas.js';

/** A seeded theme by name (top-level or sub-theme), e.g. 'Billing and value' or 'Speed of reply'. */
export async function themeId(db: Db, name: string): Promise<string> {
  const row = await db.selectFrom('themes').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}

export type InsightFactoryInput = Pick<InsightCreateBody, 'clientId'> & Partial<InsightCreateBody>;

/**
 * An insight on a client: a medium concern heard on a call last week, filed under the seeded
 * 'Responsiveness' theme unless told otherwise. The context must be allowed to record insights
 * on the client (e.g. `systemContext(db)` or someone on its team).
 */
export async function buildInsight(ctx: ServiceContext, input: InsightFactoryInput): Promise<Insight> {
  const heardOn = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
  return createInsight(ctx, {
    type: 'concern',
    severity: 'medium',
    summary: 'Replies to emails take too long',
    confidentiality: 'attributable',
    source: 'call',
    heardOn,
    themeIds: input.themeIds ?? [await themeId(ctx.db, 'Responsiveness')],
    ...input,
  });
}
