import type { Db } from '../db/connect.js';
import type { Confidentiality, Role } from '../db/schema.js';
import { createRemark, putAnswer, putScores } from '../listening/capture.js';
import { nominate, respondToNomination, sendReminders, withdrawNomination } from '../listening/nominations.js';
import { createProgramme, setCommitment } from '../listening/programmes.js';
import { createSession, transitionSession } from '../listening/sessions.js';
import { draftSummary, reviewSummary, shareSummary } from '../listening/summaries.js';
import type { ServiceContext } from '../server/context.js';

/**
 * The demo firm's listening programme for the year: partners' commitments, nominations in
 * every state (waiting, accepted, not now, no, withdrawn, volunteered), and sessions at every
 * stage: planned, scheduled, cancelled, completed with scores and remarks of each
 * confidentiality, and summaries drafted, reviewed and shared. Dates are relative to today so
 * that what is upcoming stays upcoming.
 */

type Answer = 'yes' | 'not_now' | 'no' | 'withdrawn' | 'waiting';

interface DemoNomination {
  client: string;
  answer: Answer;
  reason?: string;
  /** For not now: days from today to ask again. */
  askAgainInDays?: number;
}

/** Partners' answers to the programme itself. Richard says yes, then puts no client forward. */
const COMMITMENTS: [string, 'yes' | 'no'][] = [
  ['catherine.ashworth', 'yes'],
  ['daniel.okafor', 'yes'],
  ['richard.beaumont', 'yes'],
  ['elizabeth.chen', 'yes'],
  ['fiona.macleod', 'no'],
];

const NOMINATIONS: DemoNomination[] = [
  { client: 'brightwater', answer: 'yes' },
  { client: 'altura', answer: 'yes' },
  { client: 'caledonian', answer: 'yes' },
  { client: 'sterling', answer: 'yes' },
  { client: 'everline', answer: 'yes' },
  { client: 'meridian', answer: 'yes' },
  {
    client: 'northbridge',
    answer: 'not_now',
    reason: 'The Fenwick acquisition completes this quarter; their GC has no time until it closes.',
    askAgainInDays: 45,
  },
  { client: 'atlas', answer: 'no', reason: 'The relationship runs through the CEO; a session with the GC would cut across it.' },
  { client: 'quantum-ridge', answer: 'no', reason: 'We lost the pitch on price; I do not want to reopen it now.' },
  { client: 'halcyon', answer: 'waiting' },
  { client: 'harrow-finch', answer: 'waiting' },
  { client: 'thistle', answer: 'withdrawn', reason: 'The client has gone into administration.' },
];

/** Clients partners put forward themselves. */
const VOLUNTEERED: [partner: string, client: string][] = [
  ['catherine.ashworth', 'evergreen'],
  ['catherine.ashworth', 'greyfield'],
];

interface DemoRemark {
  text: string;
  confidentiality: Confidentiality;
  theme: string;
  /** Index into the client's contacts: who said it. */
  speaker?: number;
}

interface DemoSession {
  client: string;
  interviewer: string;
  /** Days from today; negative is in the past. */
  startsInDays: number | null;
  stage: 'planned' | 'scheduled' | 'cancelled' | 'completed' | 'summary_drafted' | 'summary_reviewed' | 'summary_shared';
  format: 'in_person' | 'video' | 'phone';
  objective: string;
  expectations: string;
  overrideReason?: string;
  /** Firm people attending besides the interviewer. */
  attendees?: string[];
  cancelReason?: string;
  nps?: number;
  satisfaction?: number;
  dimensions?: Record<string, number>;
  answers?: Record<string, string>;
  remarks?: DemoRemark[];
}

const SESSIONS: DemoSession[] = [
  {
    client: 'brightwater',
    interviewer: 'helen.marsh',
    startsInDays: -62,
    stage: 'summary_shared',
    format: 'in_person',
    attendees: ['olivia.grant'],
    objective: 'Hear how the distributor arbitration is landing with the legal team, and what the next year holds.',
    expectations: 'A candid hour on the relationship. Not the place to resolve the fee dispute on the arbitration.',
    nps: 9,
    satisfaction: 8,
    dimensions: { responsiveness: 5, understanding: 4, value: 3, communication: 4, expertise: 5 },
    answers: {
      how_going: 'Strong. Bob says the arbitration team is the best they have used. Sees Daniel as a true adviser.',
      what_works: 'Daniel’s weekly call; one page of status with the decision points first.',
      one_thing: 'Stop sending three associates to every meeting — one who knows the file is enough.',
      value: 'Worth it on the arbitration; the trade mark work felt expensive for what it was.',
    },
    remarks: [
      {
        text: 'Your team is the first that explains the arbitration risk in words our board understands.',
        confidentiality: 'attributable',
        theme: 'communication',
        speaker: 0,
      },
      {
        text: 'At the dinner in March the firm served a rival’s cola. People noticed, and it got back to our CEO.',
        confidentiality: 'non_attributable',
        theme: 'understanding of the business',
        speaker: 1,
      },
      {
        text: 'Between us: the CFO is running a panel review next spring and is looking hard at rates.',
        confidentiality: 'programme_only',
        theme: 'billing and value',
        speaker: 2,
      },
    ],
  },
  {
    client: 'altura',
    interviewer: 'helen.marsh',
    startsInDays: -40,
    stage: 'summary_reviewed',
    format: 'video',
    objective: 'Understand how the patent defence is seen in-house and how Altura wants to hear from us.',
    expectations: 'Listening only: what works, what to change. Staffing decisions are for a later conversation.',
    nps: 7,
    satisfaction: 7,
    dimensions: { responsiveness: 4, understanding: 3, value: 3, communication: 3, expertise: 5 },
    answers: {
      how_going: 'Good on the law, patchy on updates. They learn about filings from the docket before they hear from us.',
      communication: 'Teams, never Zoom — they are a Microsoft shop. Written update every Friday.',
    },
    remarks: [
      { text: 'We keep getting Zoom links. We use Teams; everyone here knows that.', confidentiality: 'attributable', theme: 'communication', speaker: 0 },
      {
        text: 'The invoices still say “review of file”. Our guidelines strike that out every month.',
        confidentiality: 'non_attributable',
        theme: 'billing and value',
        speaker: 1,
      },
      { text: 'Sasha is thinking of moving in-house counsel work to a cheaper firm.', confidentiality: 'programme_only', theme: 'risk', speaker: 1 },
    ],
  },
  {
    client: 'caledonian',
    interviewer: 'olivia.grant',
    startsInDays: -18,
    stage: 'summary_drafted',
    format: 'in_person',
    objective: 'Take stock after the decommissioning dispute’s first hearing.',
    expectations: 'A conversation about the relationship, not the merits of the case.',
    nps: 8,
    satisfaction: 8,
    dimensions: { responsiveness: 4, understanding: 4, value: 4, communication: 4, expertise: 4 },
    answers: { how_going: 'Steady. Isobel values continuity: the same senior associate for four years.' },
    remarks: [
      { text: 'Keep Thomas on the dispute — he knows every document.', confidentiality: 'attributable', theme: 'staffing and continuity', speaker: 0 },
      {
        text: 'The litigation update must reach me five days before each monthly board meeting.',
        confidentiality: 'attributable',
        theme: 'reporting',
        speaker: 0,
      },
    ],
  },
  {
    client: 'everline',
    interviewer: 'helen.marsh',
    startsInDays: -25,
    stage: 'completed',
    format: 'phone',
    objective: 'Learn why Everline moved its work elsewhere, and whether anything could bring it back.',
    expectations: 'The client owes us nothing. We listen; we do not pitch.',
    nps: 3,
    satisfaction: 4,
    dimensions: { responsiveness: 2, understanding: 2, value: 2, communication: 3, expertise: 4 },
    answers: {
      how_going: 'It ended badly. The final bill arrived two months after the matter closed and included entries nobody recognised.',
      one_thing: 'Tell us bad news early, not in the invoice.',
    },
    remarks: [
      {
        text: 'A bill two months after closing, with entries nobody recognised. That was the end of it.',
        confidentiality: 'attributable',
        theme: 'billing and value',
        speaker: 0,
      },
      {
        text: 'Nobody called when the deadline slipped; we heard from the other side.',
        confidentiality: 'non_attributable',
        theme: 'responsiveness',
        speaker: 0,
      },
    ],
  },
  {
    client: 'sterling',
    interviewer: 'helen.marsh',
    startsInDays: 12,
    stage: 'scheduled',
    format: 'in_person',
    objective: 'First listening session with Sterling’s new GC.',
    expectations: 'Introduce the programme; hear priorities for the coming year. No pitch.',
  },
  {
    client: 'meridian',
    interviewer: 'helen.marsh',
    startsInDays: null,
    stage: 'planned',
    format: 'video',
    objective: 'Hear how the joint venture work is going and what Meridian needs next year.',
    expectations: 'Relationship feedback only; the class action strategy is out of scope.',
  },
  {
    client: 'evergreen',
    interviewer: 'helen.marsh',
    startsInDays: 20,
    stage: 'cancelled',
    format: 'video',
    objective: 'Annual listening session.',
    expectations: 'Relationship feedback.',
    cancelReason: 'The GC is on leave until the new year; re-plan in January.',
  },
  {
    client: 'greyfield',
    interviewer: 'thomas.whitaker',
    startsInDays: 30,
    stage: 'scheduled',
    format: 'in_person',
    objective: 'Listening session requested by the client.',
    expectations: 'A short conversation about service; Olivia attends as the independent voice.',
    attendees: ['olivia.grant'],
    overrideReason: 'The client asked for the associate they know; the programme lead attends to keep it independent.',
  },
];

function daysFromToday(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function startsAt(days: number): string {
  return `${daysFromToday(days)}T10:00:00.000Z`;
}

export interface ListeningDemoResult {
  programme: string;
  nominations: number;
  sessions: number;
  completedSessions: number;
  remarks: number;
}

/**
 * Loads the listening programme as the people who would do each step (the programme lead
 * proposes, partners answer), so the audit log and every rule hold.
 */
export async function loadListeningDemo(
  db: Db,
  users: Map<string, { id: string; role: Role; name: string; email: string }>,
  clientIds: Map<string, string>,
): Promise<ListeningDemoResult> {
  const as = (key: string): ServiceContext => {
    const user = users.get(key);
    if (!user) {
      throw new Error(`demo user ${key} is missing`);
    }
    return { db, actor: { id: user.id, role: user.role, name: user.name, email: user.email } };
  };
  const client = (key: string) => {
    const id = clientIds.get(key);
    if (!id) {
      throw new Error(`demo client ${key} is missing`);
    }
    return id;
  };
  const keyOf = new Map([...users].map(([key, user]) => [user.id, key]));
  const lead = as('olivia.grant');
  const year = new Date().getUTCFullYear();

  const programme = await createProgramme(lead, {
    name: `Client listening programme ${year}`,
    description: 'Twelve conversations with the clients we most need to hear from — including the unhappy ones and the ones we lost.',
    startsOn: `${year}-01-01`,
    endsOn: `${year}-12-31`,
    status: 'active',
    targetSessions: 12,
    targetKeyClientShare: 0.6,
    targetAtRiskShare: 0.25,
  });
  for (const [partner, commitment] of COMMITMENTS) {
    await setCommitment(as(partner), programme.id, { commitment });
  }

  let nominations = 0;
  const nominationIds = new Map<string, string>();
  for (const n of NOMINATIONS) {
    const [created] = await nominate(lead, programme.id, { clientIds: [client(n.client)], volunteer: false });
    if (!created) {
      continue;
    }
    nominations += 1;
    nominationIds.set(n.client, created.id);
    const partner = as(keyOf.get(created.partner.id) ?? '');
    switch (n.answer) {
      case 'yes':
        await respondToNomination(partner, created.id, { answer: 'yes' });
        break;
      case 'not_now':
        await respondToNomination(partner, created.id, { answer: 'not_now', reason: n.reason, askAgainOn: daysFromToday(n.askAgainInDays ?? 30) });
        break;
      case 'no':
        await respondToNomination(partner, created.id, { answer: 'no', reason: n.reason });
        break;
      case 'withdrawn':
        await withdrawNomination(lead, created.id, { reason: n.reason });
        break;
      case 'waiting':
        break;
    }
  }
  for (const [partner, key] of VOLUNTEERED) {
    const [created] = await nominate(as(partner), programme.id, { clientIds: [client(key)], volunteer: true });
    if (created) {
      nominations += 1;
      nominationIds.set(key, created.id);
    }
  }
  // Nominations still waiting get a reminder, as the lead would send one.
  await sendReminders(lead, programme.id, { days: 0 });

  let completedSessions = 0;
  let remarks = 0;
  for (const s of SESSIONS) {
    const clientId = client(s.client);
    const contacts = await db.selectFrom('contacts').select(['id']).where('client_id', '=', clientId).where('left_on', 'is', null).orderBy('name').execute();
    const session = await createSession(lead, {
      clientId,
      programmeId: programme.id,
      nominationId: nominationIds.get(s.client) ?? null,
      objective: s.objective,
      expectations: s.expectations,
      agenda: 'Welcome and purpose · How the relationship is going · What to do better · Future needs · Scores · Next steps',
      contactIds: contacts.slice(0, 2).map((c) => c.id),
      attendeeIds: (s.attendees ?? []).map((key) => as(key).actor.id as string),
      interviewerId: as(s.interviewer).actor.id as string,
      ...(s.overrideReason ? { independenceOverrideReason: s.overrideReason } : {}),
      format: s.format,
      location: s.format === 'in_person' ? 'Client’s offices' : null,
      videoPlatform: s.format === 'video' ? 'Microsoft Teams' : null,
      videoLink: s.format === 'video' ? 'https://teams.microsoft.com/l/meetup-join/demo' : null,
      startsAt: s.startsInDays === null ? null : startsAt(s.startsInDays),
      durationMinutes: 60,
    });
    if (s.stage === 'planned') {
      continue;
    }
    if (s.stage === 'cancelled') {
      await transitionSession(lead, session.id, { status: 'scheduled' });
      await transitionSession(lead, session.id, { status: 'cancelled', reason: s.cancelReason });
      continue;
    }
    await transitionSession(lead, session.id, { status: 'scheduled' });
    if (s.stage === 'scheduled') {
      continue;
    }
    await transitionSession(lead, session.id, { status: 'completed' });
    completedSessions += 1;
    const interviewer = as(s.interviewer);
    for (const [questionKey, notes] of Object.entries(s.answers ?? {})) {
      await putAnswer(interviewer, session.id, questionKey, { notes, baseVersion: 0 });
    }
    await putScores(interviewer, session.id, { nps: s.nps ?? null, satisfaction: s.satisfaction ?? null, dimensions: s.dimensions ?? {} });
    for (const r of s.remarks ?? []) {
      const speaker = r.speaker === undefined ? null : (contacts[r.speaker]?.id ?? null);
      await createRemark(interviewer, session.id, { text: r.text, confidentiality: r.confidentiality, theme: r.theme, speakerContactId: speaker });
      remarks += 1;
    }
    if (s.stage === 'completed') {
      continue;
    }
    await draftSummary(interviewer, session.id, {});
    if (s.stage === 'summary_drafted') {
      continue;
    }
    await reviewSummary(lead, session.id, {});
    if (s.stage === 'summary_shared') {
      await shareSummary(lead, session.id, { sharedOn: daysFromToday((s.startsInDays ?? 0) + 10), channel: 'email' });
    }
  }

  return { programme: programme.name, nominations, sessions: SESSIONS.length, completedSessions, remarks };
}
