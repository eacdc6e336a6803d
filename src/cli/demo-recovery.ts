import { createAction, updateAction } from '../actions/actions.js';
import type { Db } from '../db/connect.js';
import type { Role } from '../db/schema.js';
import { createInsight } from '../insights/insights.js';
import { createCheckIn } from '../relationships/check-ins.js';
import type { ServiceContext } from '../server/context.js';

/**
 * Closing the loop with the client: two concerns whose actions are all closed, so each has a
 * recovery check. On Altura's, the relationship partner has asked and the client said it is
 * fixed; Caledonian's is scheduled, waiting to be asked. Everything goes through the services
 * (the insight, its actions, closing them, the answering check-in); dates are relative to today.
 */

interface DemoConcern {
  client: string;
  summary: string;
  quote: string;
  theme: string;
  heardDaysAgo: number;
  actions: string[];
  /** The client's answer, when the partner has asked already. */
  answer?: { fixed: boolean; text: string; daysAgo: number };
}

const CONCERNS: DemoConcern[] = [
  {
    client: 'altura',
    summary: 'Monthly bills arrive with no breakdown by matter, so the GC cannot allocate costs',
    quote: 'I spend a day a month working out which business unit pays for what.',
    theme: 'Billing and value',
    heardDaysAgo: 75,
    actions: ['Split every Altura invoice by matter and business unit', 'Send the GC a sample of the new invoice layout'],
    answer: { fixed: true, text: 'The new invoices are exactly what finance needed; allocation now takes minutes.', daysAgo: 2 },
  },
  {
    client: 'caledonian',
    summary: 'Weekend emails go unanswered until Monday during live deals',
    quote: 'On a live deal I need someone on the other end on Saturday.',
    theme: 'Responsiveness',
    heardDaysAgo: 40,
    actions: ['Publish a weekend cover rota for live Caledonian deals'],
  },
];

export interface RecoveryDemoResult {
  recoveryChecks: number;
  answered: number;
}

export async function loadRecoveryDemo(
  db: Db,
  users: Map<string, { id: string; role: Role; name: string; email: string }>,
  clientIds: Map<string, string>,
): Promise<RecoveryDemoResult> {
  const asUser = (id: string, u: { role: Role; name: string; email: string }): ServiceContext => ({
    db,
    actor: { id, role: u.role, name: u.name, email: u.email },
  });
  const leadUser = users.get('olivia.grant');
  if (!leadUser) {
    throw new Error('demo user olivia.grant is missing');
  }
  const lead = asUser(leadUser.id, leadUser);
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  let answered = 0;
  for (const c of CONCERNS) {
    const clientId = clientIds.get(c.client);
    if (!clientId) {
      throw new Error(`demo client ${c.client} is missing`);
    }
    const partnerRow = await db
      .selectFrom('client_team')
      .innerJoin('users', 'users.id', 'client_team.user_id')
      .select(['users.id', 'users.role', 'users.name', 'users.email'])
      .where('client_team.client_id', '=', clientId)
      .where('client_team.team_role', '=', 'relationship_partner')
      .orderBy('users.name')
      .executeTakeFirst();
    const partner = partnerRow ? asUser(partnerRow.id, partnerRow) : lead;
    const theme = await db.selectFrom('themes').select('id').where('name', '=', c.theme).executeTakeFirstOrThrow();
    const contact = await db.selectFrom('contacts').select('id').where('client_id', '=', clientId).orderBy('name').executeTakeFirst();
    const insight = await createInsight(lead, {
      clientId,
      type: 'concern',
      severity: 'medium',
      summary: c.summary,
      quote: c.quote,
      confidentiality: 'attributable',
      contactId: contact?.id ?? null,
      source: 'call',
      heardOn: day(-c.heardDaysAgo),
      themeIds: [theme.id],
    });
    for (const [i, title] of c.actions.entries()) {
      const action = await createAction(lead, {
        clientId,
        title,
        ownerId: partner.actor.id ?? leadUser.id,
        priority: 'high',
        insightId: insight.id,
        dueOn: day(-c.heardDaysAgo + 21 + i * 7),
      });
      await updateAction(lead, action.id, { status: 'done', closureNote: 'Done and confirmed with the client team.' });
    }
    if (c.answer) {
      await createCheckIn(partner, {
        clientId,
        contactId: contact?.id ?? null,
        heldOn: day(-c.answer.daysAgo),
        channel: 'call',
        notes: 'Asked whether the billing concern is fixed.',
        recoveryForInsightId: insight.id,
        recoveryFixed: c.answer.fixed,
        recoveryAnswer: c.answer.text,
      });
      answered += 1;
    }
  }
  return { recoveryChecks: CONCERNS.length, answered };
}
