import type { Db } from '../db/connect.js';
import type { PreferenceSource, Role } from '../db/schema.js';
import { createPreference } from '../preferences/preferences.js';
import type { PreferenceCategory, PreferenceRule } from '../preferences/rules.js';
import type { ServiceContext } from '../server/context.js';

/**
 * Every example of the client-preferences seed as a preference on a demo client: the straggler
 * bill, the Chevy for the car maker, invoices split by project, the board-meeting update, "review
 * of file", Pepsi for the drinks company, the report nobody wanted, phone calls in an open-plan
 * office, the bookkeeper who must not see private matters, FedEx for the logistics client, Meg for
 * Megge and Zoom for the software company. Some were learned long ago and are due an "ask again".
 * Recorded by the programme lead through the service; dates relative to today.
 */

interface DemoPreference {
  client: string;
  /** The contact's full name, when it is one contact's preference. */
  contact?: string;
  category: PreferenceCategory;
  statement: string;
  /** `{contact:Full Name}` in a restricted_recipient contactId is replaced by that contact's id. */
  rule?: PreferenceRule;
  source: PreferenceSource;
  sourcePerson?: string;
  learnedDaysAgo: number;
}

const billing = (rule: Partial<Extract<PreferenceRule, { kind: 'billing' }>>): PreferenceRule => ({
  kind: 'billing',
  disallowedPhrases: [],
  noBlockBilling: false,
  rateCaps: [],
  lateEntryGraceDays: null,
  splitByProjectCode: false,
  descriptionDetail: null,
  requireUtbmsCodes: false,
  ...rule,
});

export const DEMO_PREFERENCES: DemoPreference[] = [
  {
    client: 'atlas',
    contact: 'Victoria Lam',
    category: 'billing',
    statement: 'Once a deal is done, the books are closed. Do not send me a straggler bill two months later.',
    rule: billing({ lateEntryGraceDays: 30 }),
    source: 'session',
    learnedDaysAgo: 90,
  },
  {
    client: 'meridian',
    category: 'vendors_brands',
    statement: 'The first thing we notice is that you drove a Chevy from the airport.',
    rule: {
      kind: 'avoid_brands',
      brands: [
        { name: 'General Motors', aliases: ['GM'] },
        { name: 'Chevrolet', aliases: ['Chevy'] },
      ],
    },
    source: 'person',
    sourcePerson: 'Kit Doyle, over dinner',
    learnedDaysAgo: 200,
  },
  {
    client: 'northbridge',
    contact: 'Andrew Pike',
    category: 'billing',
    statement: 'Each project has its own P&L: split the invoices by our project code so my staff need not allocate the costs.',
    rule: billing({ splitByProjectCode: true }),
    source: 'check_in',
    learnedDaysAgo: 45,
  },
  {
    client: 'brightwater',
    contact: 'Robert Kincaid',
    category: 'reporting',
    statement: 'I report on every open dispute at the monthly board meeting. Get me the update before it, without my asking.',
    rule: {
      kind: 'reporting_schedule',
      report: 'Litigation status update',
      anchor: { type: 'nth_weekday', nth: 2, weekday: 4 },
      leadDays: 7,
    },
    source: 'session',
    learnedDaysAgo: 60,
  },
  {
    client: 'sterling',
    category: 'billing',
    statement: 'Our billing guidelines say we will not pay for “review of file”, and we strike it from every invoice.',
    rule: billing({ disallowedPhrases: ['review of file', 'file review'], noBlockBilling: true, requireUtbmsCodes: true }),
    source: 'person',
    sourcePerson: 'Claims billing team',
    learnedDaysAgo: 30,
  },
  {
    // With the guideline above, the sample invoice src/preferences/guardrails/fixtures/trips-every-rule.ledes.txt trips every rule.
    client: 'sterling',
    category: 'billing',
    statement:
      'Outside counsel guidelines: partners capped at $750 an hour, nothing dated more than 5 days after a matter closes, invoices split by our project code, no vague entries.',
    rule: billing({
      rateCaps: [{ timekeeperClass: 'PT', maxRate: 750 }],
      lateEntryGraceDays: 5,
      splitByProjectCode: true,
      noVagueDescriptions: true,
    }),
    source: 'person',
    sourcePerson: 'Claims billing team',
    learnedDaysAgo: 30,
  },
  {
    client: 'brightwater',
    category: 'hospitality',
    statement: 'When we came to your offices, the fridges were stocked with Pepsi.',
    rule: { kind: 'avoid_brands', brands: [{ name: 'PepsiCo', aliases: ['Pepsi', 'Pepsi Max', '7UP', 'Mountain Dew'] }] },
    source: 'person',
    sourcePerson: 'Jen Alvarez after the March meeting',
    learnedDaysAgo: 500,
  },
  {
    client: 'northbridge',
    contact: 'Sunil Varma',
    category: 'reporting',
    statement: 'I assume you are on top of the loan transactions. I do not need the monthly status report unless I ask, and I wonder what it costs me.',
    rule: {
      kind: 'unwanted_report',
      report: 'monthly loan transaction status report',
      keywords: ['loan status report', 'transaction status report', 'monthly status'],
    },
    source: 'session',
    learnedDaysAgo: 420,
  },
  {
    client: 'altura',
    contact: 'Alexander Petrov',
    category: 'channel',
    statement: 'Phone calls are annoying: I sit in an office without doors and cannot talk about private matters.',
    rule: { kind: 'channel', preferred: ['email', 'chat'], unwanted: ['phone'] },
    source: 'check_in',
    learnedDaysAgo: 20,
  },
  {
    client: 'greyfield',
    contact: 'Geoffrey Nuttall',
    category: 'documents',
    statement: 'I do not want my bookkeeper to see the personal legal work you do for me.',
    rule: { kind: 'restricted_recipient', contactId: '{contact:Lorraine Pike}', keywords: ['personal', 'estate', 'will', 'family'] },
    source: 'person',
    sourcePerson: 'Geoff Nuttall',
    learnedDaysAgo: 150,
  },
  {
    client: 'greyfield',
    contact: 'Geoffrey Nuttall',
    category: 'billing',
    statement: 'Less detailed descriptions on my bills, please: my bookkeeper reads them.',
    rule: billing({ descriptionDetail: 'summary' }),
    source: 'person',
    sourcePerson: 'Geoff Nuttall',
    learnedDaysAgo: 150,
  },
  {
    client: 'atlas',
    category: 'vendors_brands',
    statement: 'How would you feel if your law firm sent you an overnight package by FedEx? We are couriers too.',
    rule: { kind: 'avoid_brands', brands: [{ name: 'FedEx', aliases: ['Federal Express', 'FedEx Express', 'TNT'] }] },
    source: 'session',
    learnedDaysAgo: 380,
  },
  {
    client: 'northbridge',
    contact: 'Margaret Hollis',
    category: 'naming',
    statement: 'My name is Megge, but your emails always say Meg.',
    rule: { kind: 'naming', preferredName: 'Megge', avoid: ['Meg', 'Maggie'] },
    source: 'session',
    learnedDaysAgo: 10,
  },
  {
    client: 'altura',
    category: 'meetings_platforms',
    statement: 'We are a Microsoft shop: please do not set up Zoom meetings with us.',
    rule: { kind: 'meeting_platform', preferred: ['Microsoft Teams'], avoid: ['Zoom'] },
    source: 'person',
    sourcePerson: 'Nadia Karim',
    learnedDaysAgo: 400,
  },
  {
    client: 'meridian',
    contact: 'Katherine Doyle',
    category: 'hospitality',
    statement: 'She runs at lunchtime and does not care for sports: stop the baseball invitations.',
    source: 'session',
    learnedDaysAgo: 75,
  },
];

export interface PreferencesDemoResult {
  preferences: number;
  stale: number;
}

export async function loadPreferencesDemo(
  db: Db,
  users: Map<string, { id: string; role: Role; name: string; email: string }>,
  clientIds: Map<string, string>,
  staleAfterDays = 365,
): Promise<PreferencesDemoResult> {
  const leadUser = users.get('olivia.grant');
  if (!leadUser) {
    throw new Error('demo user olivia.grant is missing');
  }
  const lead: ServiceContext = { db, actor: { id: leadUser.id, role: leadUser.role, name: leadUser.name, email: leadUser.email } };
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const contactId = async (clientId: string, name: string) => {
    const row = await db.selectFrom('contacts').select('id').where('client_id', '=', clientId).where('name', '=', name).executeTakeFirst();
    if (!row) {
      throw new Error(`demo contact ${name} is missing`);
    }
    return row.id;
  };
  let stale = 0;
  for (const p of DEMO_PREFERENCES) {
    const clientId = clientIds.get(p.client);
    if (!clientId) {
      throw new Error(`demo client ${p.client} is missing`);
    }
    let rule = p.rule ?? null;
    if (rule?.kind === 'restricted_recipient') {
      const m = /^\{contact:(.+)\}$/.exec(rule.contactId);
      rule = { ...rule, contactId: m?.[1] ? await contactId(clientId, m[1]) : rule.contactId };
    }
    await createPreference(lead, {
      clientId,
      contactId: p.contact ? await contactId(clientId, p.contact) : null,
      category: p.category,
      statement: p.statement,
      rule,
      source: p.source,
      sourcePerson: p.sourcePerson ?? null,
      learnedOn: day(-p.learnedDaysAgo),
    });
    if (p.learnedDaysAgo > staleAfterDays) {
      stale += 1;
    }
  }
  return { preferences: DEMO_PREFERENCES.length, stale };
}
