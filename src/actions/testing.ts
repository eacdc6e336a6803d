/**
 * Test factories for follow-up actions, built through the services (access, validation, audit).
 * Not part of the build: only tests import it, and the bundle holds only what the entry points import.
 */
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
