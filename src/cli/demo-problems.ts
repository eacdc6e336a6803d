import type { Db } from '../db/connect.js';
import type { ProblemStatus, ReferralOutcome, Role } from '../db/schema.js';
import { addProblemAction, createProblem, updateProblem } from '../relationships/problems.js';
import { createReferral } from '../relationships/referrals.js';
import type { ServiceContext } from '../server/context.js';

/**
 * Problems in every state (open, investigating, resolved, closed, one with follow-up actions)
 * and referrals with every outcome. Recorded by the programme lead, owned by each client's
 * relationship partner; dates are relative to today.
 */

interface DemoProblem {
  client: string;
  title: string;
  description?: string;
  reportedDaysAgo: number;
  status: ProblemStatus;
  resolution?: string;
  resolvedDaysAgo?: number;
  action?: { title: string; dueInDays: number };
}

const PROBLEMS: DemoProblem[] = [
  {
    client: 'brightwater',
    title: 'Invoice sent to the wrong group entity',
    description: 'The March invoice went to Brightwater Holdings instead of Brightwater Beverages Inc.; their AP team rejected it.',
    reportedDaysAgo: 9,
    status: 'open',
    action: { title: 'Correct the billing entity on all open matters', dueInDays: 5 },
  },
  {
    client: 'meridian',
    title: 'Advice on the supply dispute arrived after the board meeting',
    reportedDaysAgo: 21,
    status: 'investigating',
    action: { title: 'Agree turnaround times for board papers with the GC', dueInDays: -3 },
  },
  {
    client: 'northbridge',
    title: 'New associate staffed without an introduction',
    reportedDaysAgo: 60,
    status: 'resolved',
    resolution: 'Introduced the associate in person; the team change protocol now includes a call with the GC.',
    resolvedDaysAgo: 48,
  },
  {
    client: 'altura',
    title: 'Data room access requests went unanswered for a week',
    reportedDaysAgo: 120,
    status: 'closed',
    resolution: 'A named paralegal now owns data room access with a 24-hour response.',
    resolvedDaysAgo: 112,
  },
];

interface DemoReferral {
  referrer: string;
  prospect: string;
  /** A demo client key when the prospect is already a client. */
  prospectClient?: string;
  daysAgo: number;
  outcome: ReferralOutcome;
  outcomeDaysAgo?: number;
  notes?: string;
}

const REFERRALS: DemoReferral[] = [
  { referrer: 'northbridge', prospect: 'Fenwick Logistics plc', daysAgo: 30, outcome: 'pending', notes: 'Their GC will call after the acquisition closes.' },
  { referrer: 'brightwater', prospect: 'Meridian', prospectClient: 'meridian', daysAgo: 400, outcome: 'won', outcomeDaysAgo: 360 },
  { referrer: 'altura', prospect: 'Harbour Point Capital', daysAgo: 150, outcome: 'lost', outcomeDaysAgo: 100, notes: 'Went with their incumbent on fees.' },
  { referrer: 'sterling', prospect: 'Orchard Street Bakeries', daysAgo: 75, outcome: 'no_fit', outcomeDaysAgo: 70, notes: 'Too small for the team.' },
];

export interface ProblemsDemoResult {
  problems: number;
  referrals: number;
}

export async function loadProblemsDemo(
  db: Db,
  users: Map<string, { id: string; role: Role; name: string; email: string }>,
  clientIds: Map<string, string>,
): Promise<ProblemsDemoResult> {
  const leadUser = users.get('olivia.grant');
  if (!leadUser) {
    throw new Error('demo user olivia.grant is missing');
  }
  const lead: ServiceContext = { db, actor: { id: leadUser.id, role: leadUser.role, name: leadUser.name, email: leadUser.email } };
  const client = (key: string) => {
    const id = clientIds.get(key);
    if (!id) {
      throw new Error(`demo client ${key} is missing`);
    }
    return id;
  };
  const partnerOf = async (clientId: string) =>
    (
      await db
        .selectFrom('client_team')
        .select('user_id')
        .where('client_id', '=', clientId)
        .where('team_role', '=', 'relationship_partner')
        .orderBy('user_id')
        .executeTakeFirst()
    )?.user_id ?? leadUser.id;
  const firstContact = async (clientId: string) =>
    (await db.selectFrom('contacts').select('id').where('client_id', '=', clientId).orderBy('name').executeTakeFirst())?.id ?? null;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  for (const p of PROBLEMS) {
    const clientId = client(p.client);
    const ownerId = await partnerOf(clientId);
    const problem = await createProblem(lead, {
      clientId,
      title: p.title,
      description: p.description ?? null,
      reportedOn: day(-p.reportedDaysAgo),
      reportedByContactId: await firstContact(clientId),
      ownerId,
    });
    if (p.action) {
      await addProblemAction(lead, problem.id, { title: p.action.title, ownerId, dueOn: day(p.action.dueInDays), priority: 'high' });
    }
    if (p.status === 'investigating') {
      await updateProblem(lead, problem.id, { status: 'investigating' });
    }
    if (p.status === 'resolved' || p.status === 'closed') {
      await updateProblem(lead, problem.id, { status: 'resolved', resolution: p.resolution ?? 'Resolved', resolvedOn: day(-(p.resolvedDaysAgo ?? 0)) });
    }
    if (p.status === 'closed') {
      await updateProblem(lead, problem.id, { status: 'closed' });
    }
  }

  for (const r of REFERRALS) {
    const referrerClientId = client(r.referrer);
    await createReferral(lead, {
      referrerClientId,
      referredByContactId: await firstContact(referrerClientId),
      prospectClientId: r.prospectClient ? client(r.prospectClient) : null,
      prospectName: r.prospectClient ? null : r.prospect,
      referredOn: day(-r.daysAgo),
      outcome: r.outcome,
      outcomeOn: r.outcomeDaysAgo !== undefined ? day(-r.outcomeDaysAgo) : null,
      notes: r.notes ?? null,
    });
  }
  return { problems: PROBLEMS.length, referrals: REFERRALS.length };
}
