import type { Db } from '../db/connect.js';
import type { Confidentiality, InsightSource, InsightType, Role, Severity } from '../db/schema.js';
import { createInsight, promoteRemark } from '../insights/insights.js';
import type { ServiceContext } from '../server/context.js';

/**
 * What the demo firm has heard: insights across every theme and type on the clients'
 * knowledge pages. Remarks from the completed listening sessions are promoted (keeping their
 * confidentiality: programme-only ones by the programme lead, the rest by the relationship
 * partner), and partners and associates record what they heard on calls, at meetings and in
 * emails. Dates are relative to today.
 */

interface DemoInsight {
  client: string;
  /** A user key; default: the client's first relationship partner. */
  by?: string;
  type: InsightType;
  severity: Severity;
  /** Theme or sub-theme names (seeded taxonomy). */
  themes: string[];
  summary: string;
  quote?: string;
  source: Exclude<InsightSource, 'session'>;
  daysAgo: number;
  confidentiality?: Confidentiality;
  /** Index into the client's contacts (by name): who said it. */
  contact?: number;
}

const INSIGHTS: DemoInsight[] = [
  {
    client: 'northbridge',
    type: 'concern',
    severity: 'high',
    themes: ['Fee predictability'],
    summary: 'The GC was caught out by the size of the disclosure invoice and wants estimates before each phase.',
    quote: 'I cannot go to my CFO with a number I did not see coming.',
    source: 'call',
    daysAgo: 12,
    contact: 0,
  },
  {
    client: 'northbridge',
    by: 'thomas.whitaker',
    type: 'praise',
    severity: 'low',
    themes: ['Technical quality'],
    summary: 'The in-house team found our note on the limitation point the clearest they have had from any firm.',
    source: 'email',
    daysAgo: 40,
    contact: 1,
  },
  {
    client: 'brightwater',
    type: 'opportunity',
    severity: 'medium',
    themes: ['Future needs', 'Sector knowledge'],
    summary: 'Brightwater is planning a European expansion next year and has not yet chosen advisers for the regulatory work.',
    quote: 'If you know people in Frankfurt, now is the time to introduce them.',
    source: 'meeting',
    daysAgo: 20,
    contact: 0,
  },
  {
    client: 'brightwater',
    type: 'preference',
    severity: 'low',
    themes: ['Channel and format'],
    summary: 'Prefers a one-page status summary by email every Friday rather than calls.',
    source: 'call',
    daysAgo: 95,
  },
  {
    client: 'meridian',
    type: 'risk',
    severity: 'high',
    themes: ['Team continuity'],
    summary: 'Losing the senior associate who knew the portfolio would make them reconsider the panel appointment.',
    source: 'meeting',
    daysAgo: 33,
    confidentiality: 'non_attributable',
    contact: 0,
  },
  {
    client: 'meridian',
    type: 'idea',
    severity: 'low',
    themes: ['Legal technology', 'Reporting tools'],
    summary: 'Suggested a shared dashboard of open matters with next deadlines, instead of monthly reports.',
    source: 'other',
    daysAgo: 150,
  },
  {
    client: 'altura',
    type: 'concern',
    severity: 'medium',
    themes: ['Speed of reply'],
    summary: 'Replies from the corporate team slip past two days when partners are travelling.',
    quote: 'Somebody should always be able to pick it up.',
    source: 'call',
    daysAgo: 8,
    contact: 0,
  },
  {
    client: 'altura',
    type: 'praise',
    severity: 'low',
    themes: ['Proactivity'],
    summary: 'The heads-up on the new merger control thresholds saved them a filing.',
    source: 'email',
    daysAgo: 70,
  },
  {
    client: 'caledonian',
    type: 'concern',
    severity: 'medium',
    themes: ['Invoice accuracy', 'Billing guidelines'],
    summary: 'Invoices keep including time entries their billing guidelines exclude (internal conferences).',
    source: 'email',
    daysAgo: 25,
  },
  {
    client: 'caledonian',
    type: 'opportunity',
    severity: 'medium',
    themes: ['Alternative fee arrangements'],
    summary: 'Open to a fixed-fee arrangement for the routine employment advice next year.',
    source: 'meeting',
    daysAgo: 120,
  },
  {
    client: 'sterling',
    type: 'risk',
    severity: 'high',
    themes: ['Trust'],
    summary: 'The new CFO is reviewing all legal spend and has asked two other firms to pitch.',
    source: 'call',
    daysAgo: 5,
    confidentiality: 'programme_only',
    contact: 0,
  },
  {
    client: 'sterling',
    type: 'praise',
    severity: 'low',
    themes: ['Industry knowledge'],
    summary: 'The board valued how well our team understood their lending book during the restructuring.',
    source: 'meeting',
    daysAgo: 200,
  },
  {
    client: 'everline',
    type: 'preference',
    severity: 'low',
    themes: ['Plain language'],
    summary: 'Wants advice led by a short recommendation; the reasoning can follow in an annex.',
    source: 'meeting',
    daysAgo: 60,
    contact: 0,
  },
  {
    client: 'everline',
    type: 'idea',
    severity: 'medium',
    themes: ['Process improvement'],
    summary: 'Proposed a joint template library for the supply contracts they negotiate every month.',
    source: 'call',
    daysAgo: 240,
  },
  {
    client: 'kestrel',
    type: 'concern',
    severity: 'low',
    themes: ['Bad news early'],
    summary: 'Heard about the adverse ruling from the other side’s press release before hearing from us.',
    source: 'email',
    daysAgo: 45,
    confidentiality: 'non_attributable',
    contact: 0,
  },
  {
    client: 'vantage',
    type: 'opportunity',
    severity: 'medium',
    themes: ['Strategy and priorities', 'Data security'],
    summary: 'Their data protection programme is unowned since the DPO left: they asked whether we can second someone.',
    source: 'meeting',
    daysAgo: 15,
  },
  {
    client: 'greyfield',
    type: 'praise',
    severity: 'low',
    themes: ['Availability of partners', 'Collaboration platforms'],
    summary: 'The deal room worked well and the partner was reachable every evening of the signing week.',
    source: 'call',
    daysAgo: 300,
  },
];

/**
 * Remark themes, as captured in sessions, to the seeded taxonomy; and what kind of insight each
 * makes. Remarks on communication and reporting are left for the demo's users to promote.
 */
const REMARK_THEMES: Record<string, [theme: string, type: InsightType, severity: Severity]> = {
  'billing and value': ['Billing and value', 'concern', 'medium'],
  responsiveness: ['Responsiveness', 'praise', 'low'],
  risk: ['Relationship', 'risk', 'high'],
  'staffing and continuity': ['Staffing and continuity', 'concern', 'high'],
  'understanding of the business': ['Understanding of the business', 'praise', 'low'],
};

export interface InsightsDemoResult {
  insights: number;
  promoted: number;
}

export async function loadInsightsDemo(
  db: Db,
  users: Map<string, { id: string; role: Role; name: string; email: string }>,
  clientIds: Map<string, string>,
): Promise<InsightsDemoResult> {
  const as = (key: string): ServiceContext => {
    const user = users.get(key);
    if (!user) {
      throw new Error(`demo user ${key} is missing`);
    }
    return { db, actor: { id: user.id, role: user.role, name: user.name, email: user.email } };
  };
  const keyOf = new Map([...users].map(([key, user]) => [user.id, key]));
  const themes = await db.selectFrom('themes').select(['id', 'name']).execute();
  const theme = (name: string) => {
    const found = themes.find((t) => t.name.toLowerCase() === name.toLowerCase());
    if (!found) {
      throw new Error(`demo theme ${name} is missing`);
    }
    return found.id;
  };
  const partnerOf = async (clientId: string) => {
    const row = await db
      .selectFrom('client_team')
      .select('user_id')
      .where('client_id', '=', clientId)
      .where('team_role', '=', 'relationship_partner')
      .orderBy('user_id')
      .executeTakeFirst();
    const key = row ? keyOf.get(row.user_id) : undefined;
    if (!key) {
      throw new Error('a demo client has no relationship partner');
    }
    return key;
  };
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

  let insights = 0;
  for (const item of INSIGHTS) {
    const clientId = clientIds.get(item.client);
    if (!clientId) {
      throw new Error(`demo client ${item.client} is missing`);
    }
    const contacts = await db.selectFrom('contacts').select('id').where('client_id', '=', clientId).orderBy('name').execute();
    await createInsight(as(item.by ?? (await partnerOf(clientId))), {
      clientId,
      type: item.type,
      severity: item.severity,
      summary: item.summary,
      quote: item.quote ?? null,
      confidentiality: item.confidentiality ?? 'attributable',
      contactId: item.contact === undefined ? null : (contacts[item.contact]?.id ?? null),
      source: item.source,
      heardOn: daysAgo(item.daysAgo),
      themeIds: item.themes.map(theme),
    });
    insights += 1;
  }

  // Remarks from the sessions held so far become insights on the client's knowledge page.
  const remarks = await db
    .selectFrom('session_remarks')
    .innerJoin('listening_sessions', 'listening_sessions.id', 'session_remarks.session_id')
    .select(['session_remarks.id', 'session_remarks.session_id', 'session_remarks.theme', 'session_remarks.confidentiality', 'listening_sessions.client_id'])
    .orderBy('session_remarks.id')
    .execute();
  let promoted = 0;
  for (const remark of remarks) {
    const mapped = REMARK_THEMES[(remark.theme ?? '').toLowerCase()];
    if (!mapped) {
      continue;
    }
    const [themeName, type, severity] = mapped;
    // Programme-only remarks are read only by the programme lead (and the interviewer): the lead promotes them.
    const by = remark.confidentiality === 'programme_only' ? 'olivia.grant' : await partnerOf(remark.client_id);
    await promoteRemark(as(by), remark.session_id, remark.id, { type, severity, themeIds: [theme(themeName)] });
    promoted += 1;
    insights += 1;
  }
  return { insights, promoted };
}
