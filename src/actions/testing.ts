/**
 * Test factories for follow-up actions, built through the services (access, validation, audit).
 * Not part of the build (tsconfig.build.json leaves out testing.ts files).
 */
import { v7 as uuidv7 } from 'uuid';
import type { Confidentiality, InsightRow, InsightType, Severity } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import type { ServiceContext } from '../server/context.js';
import { createAction, updateAction } from './actions.js';
import type { ActionCreateBody, ActionUpdateBody, ActionView } from './schemas.js';

let counter = 0;

export type ActionFactoryInput = Pick<ActionCreateBody, 'clientId' | 'ownerId'> &
  Partial<Omit<ActionCreateBody, 'clientId' | 'ownerId'>> & {
    /** Moves it on after creation (done, wont_do with a reason, in_progress). */
    after?: ActionUpdateBody;
  };

/** An open action (normal priority, no due date) with sensible defaults; `after` patches it after. */
export async function buildAction(ctx: ServiceContext, input: ActionFactoryInput): Promise<ActionView> {
  counter += 1;
  const { after, ...create } = input;
  const action = await createAction(ctx, { title: `Follow up ${counter}`, priority: 'normal', ...create });
  return after ? updateAction(ctx, action.id, after) : action;
}

export interface InsightFixture {
  clientId: string;
  type?: InsightType;
  severity?: Severity;
  summary?: string;
  confidentiality?: Confidentiality;
  heardOn?: string;
  recordedBy?: string | null;
  sessionId?: string | null;
}

/**
 * An insight row written straight to the table: the insights module (built alongside) owns the
 * service; these suites need only rows to link actions to and to list as unactioned.
 */
export async function insertInsight(ctx: ServiceContext, f: InsightFixture): Promise<InsightRow> {
  counter += 1;
  const now = nowIso();
  const row: InsightRow = {
    id: uuidv7(),
    client_id: f.clientId,
    type: f.type ?? 'concern',
    severity: f.severity ?? 'medium',
    summary: f.summary ?? `Heard something ${counter}`,
    quote: null,
    confidentiality: f.confidentiality ?? 'attributable',
    contact_id: null,
    matter_id: null,
    source: f.sessionId ? 'session' : 'call',
    session_id: f.sessionId ?? null,
    remark_id: null,
    check_in_id: null,
    problem_id: null,
    heard_on: f.heardOn ?? now.slice(0, 10),
    recorded_by: f.recordedBy ?? null,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.insertInto('insights').values(row).execute();
  return row;
}
