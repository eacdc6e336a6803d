import { addComment, createAction, updateAction } from '../actions/actions.js';
import { addDays, todayUtc } from '../actions/loop.js';
import type { ActionUpdateBody } from '../actions/schemas.js';
import { escalateStaleActions } from '../actions/sweep.js';
import type { Db } from '../db/connect.js';
import type { ActionPriority, Role } from '../db/schema.js';
import type { ServiceContext } from '../server/context.js';

/**
 * The demo firm's follow-up actions: open, in progress, done with a closure note, won't do with
 * a reason, overdue ones, comments, and one left untouched so long it has escalated to the
 * programme lead. Each is created by the client's relationship partner through the services
 * (access, audit) and owned by someone on the client's team. Dates are relative to today.
 */

interface DemoAction {
  title: string;
  description?: string;
  /** Days from today; negative is in the past (overdue while open). */
  dueInDays: number | null;
  priority: ActionPriority;
  /** Owned by the client's relationship partner, or by a member of its team when there is one. */
  owner: 'partner' | 'member';
  after?: ActionUpdateBody[];
  comments?: string[];
  /** Link the client's most recent completed listening session. */
  fromSession?: boolean;
  /** Untouched for this many days (for escalation). */
  idleDays?: number;
}

const ACTIONS: DemoAction[] = [
  {
    title: 'Send the GC a fixed-fee proposal for the next financing round',
    description: 'They asked for fee certainty on repeat work; agree the scope with the banking team first.',
    dueInDays: 10,
    priority: 'high',
    owner: 'partner',
    fromSession: true,
    comments: ['Banking team is pricing it this week.'],
  },
  {
    title: 'Introduce a named second contact for out-of-hours questions',
    dueInDays: -6,
    priority: 'urgent',
    owner: 'member',
    after: [{ status: 'in_progress' }],
    comments: ['Asked Priya whether she can cover; waiting on her reply.', 'Chased again.'],
  },
  {
    title: 'Share a one-page status report every Friday on the disputes matter',
    dueInDays: -12,
    priority: 'normal',
    owner: 'partner',
  },
  {
    title: 'Walk their legal ops team through the new matter portal',
    dueInDays: -20,
    priority: 'normal',
    owner: 'member',
    after: [{ status: 'in_progress' }, { status: 'done', closureNote: 'Demo held on Teams; they have logins and the portal guide.' }],
    comments: ['Demo booked for Tuesday.'],
  },
  {
    title: 'Offer a secondee for the integration project',
    dueInDays: -30,
    priority: 'low',
    owner: 'partner',
    after: [{ status: 'wont_do', wontDoReason: 'The client hired an in-house lawyer for the integration instead.' }],
  },
  {
    title: 'Agree billing guidelines with procurement before the next invoice',
    dueInDays: 21,
    priority: 'normal',
    owner: 'member',
    after: [{ status: 'done', closureNote: 'Guidelines signed off; invoices now carry their PO numbers.' }],
  },
  {
    title: 'Invite the GC to the sector round-table in the spring',
    dueInDays: null,
    priority: 'low',
    owner: 'partner',
  },
  {
    title: 'Review the handover plan for the associate leaving the team',
    description: 'The client worried about losing knowledge when the associate moves to the Paris office.',
    dueInDays: 5,
    priority: 'high',
    owner: 'member',
    idleDays: 40,
  },
];

export interface ActionsDemoResult {
  actions: number;
  escalated: number;
}

export async function loadActionsDemo(
  db: Db,
  users: Map<string, { id: string; role: Role; name: string; email: string }>,
  clientIds: Map<string, string>,
): Promise<ActionsDemoResult> {
  const byId = new Map([...users.values()].map((u) => [u.id, u]));
  const as = (id: string): ServiceContext => {
    const u = byId.get(id);
    if (!u) {
      throw new Error(`demo user ${id} is missing`);
    }
    return { db, actor: { id: u.id, role: u.role, name: u.name, email: u.email } };
  };
  // Clients with a relationship partner among the demo users, in the order given.
  const teams: { clientId: string; partnerId: string; memberId: string }[] = [];
  for (const clientId of clientIds.values()) {
    const team = await db.selectFrom('client_team').select(['user_id', 'team_role']).where('client_id', '=', clientId).orderBy('user_id').execute();
    const partner = team.find((m) => m.team_role === 'relationship_partner' && byId.has(m.user_id));
    if (!partner) {
      continue;
    }
    const member = team.find((m) => m.team_role === 'member' && byId.has(m.user_id));
    teams.push({ clientId, partnerId: partner.user_id, memberId: member?.user_id ?? partner.user_id });
  }
  if (teams.length === 0) {
    return { actions: 0, escalated: 0 };
  }
  const today = todayUtc(new Date());
  let created = 0;
  for (const [i, demo] of ACTIONS.entries()) {
    const team = teams[i % teams.length] as (typeof teams)[number];
    const ctx = as(team.partnerId);
    const session = demo.fromSession
      ? await db
          .selectFrom('listening_sessions')
          .select('id')
          .where('client_id', '=', team.clientId)
          .where('status', '=', 'completed')
          .orderBy('starts_at', 'desc')
          .executeTakeFirst()
      : undefined;
    const ownerId = demo.owner === 'partner' ? team.partnerId : team.memberId;
    const action = await createAction(ctx, {
      clientId: team.clientId,
      title: demo.title,
      description: demo.description ?? null,
      ownerId,
      dueOn: demo.dueInDays === null ? null : addDays(today, demo.dueInDays),
      priority: demo.priority,
      sessionId: session?.id ?? null,
    });
    created += 1;
    for (const body of demo.comments ?? []) {
      await addComment(as(ownerId), action.id, body);
    }
    for (const change of demo.after ?? []) {
      await updateAction(as(ownerId), action.id, change);
    }
    if (demo.idleDays) {
      const idle = new Date(Date.now() - demo.idleDays * 86_400_000).toISOString();
      await db.updateTable('actions').set({ last_activity_at: idle, created_at: idle, updated_at: idle }).where('id', '=', action.id).execute();
    }
  }
  const sweep = await escalateStaleActions(db, new Date());
  return { actions: created, escalated: sweep.escalated.length };
}
