import type { Channel, RuleSource } from '../rules.js';
import { findTerm, type TermMatch, words } from './match.js';
import { findAvoidedBrands } from './plan-check.js';
import type { FindingSource, Span } from './types.js';

/**
 * The message and meeting check: before an email, invitation or call goes out, the name forms, channel,
 * meeting platform, reports, restricted recipients and brands the client's preferences speak to. Pure.
 */

export interface MessageRecipient {
  contactId?: string | null;
  name?: string | null;
  email?: string | null;
}

export interface MessageInput {
  recipients: MessageRecipient[];
  salutation?: string | null;
  subject?: string | null;
  body: string;
  channel?: Channel | null;
  meetingPlatform?: string | null;
  /** ISO date of the message or meeting; not used by any check yet. */
  date?: string | null;
}

export interface ContactInfo {
  id: string;
  name: string;
  preferredName?: string | null;
  email?: string | null;
}

export interface MessageCheckContext {
  /** The client's preferences and its contacts' preferences. */
  rules: RuleSource[];
  contacts: ContactInfo[];
}

export type MessageField = 'salutation' | 'subject' | 'body' | 'channel' | 'meetingPlatform' | 'recipients';

export type MessageFindingKind = 'name_form' | 'unwanted_channel' | 'meeting_platform' | 'unwanted_report' | 'restricted_recipient' | 'avoided_brand';

export interface MessageFinding {
  kind: MessageFindingKind;
  severity: 'error' | 'warning';
  field: MessageField;
  /** Where in that field, for highlighting. */
  span?: Span;
  /** The text matched, as written. */
  text?: string;
  /** The contact the finding is about, when it is about one. */
  contactId: string | null;
  rule: string;
  /** The preference; null when the finding comes from a contact's recorded preferred name alone. */
  source: FindingSource | null;
  message: string;
  suggestedFix: string;
}

export interface MessageCheckResult {
  findings: MessageFinding[];
  /** The contacts the recipients were resolved to (by id, then e-mail, then name). */
  recipientContactIds: string[];
}

export interface Platform {
  name: string;
  /** Names and link hosts; `exactCase` for words that are ordinary words in lower case. */
  terms: { term: string; exactCase?: boolean }[];
}

/** Known meeting platforms with the names and link hosts that identify them. */
export const MEETING_PLATFORMS: Platform[] = [
  {
    name: 'Zoom',
    terms: [{ term: 'Zoom', exactCase: true }, { term: 'ZOOM', exactCase: true }, { term: 'zoom.us' }, { term: 'zoom.com' }, { term: 'Zoom meeting' }],
  },
  {
    name: 'Microsoft Teams',
    terms: [{ term: 'Microsoft Teams' }, { term: 'MS Teams' }, { term: 'Teams', exactCase: true }, { term: 'teams.microsoft.com' }, { term: 'teams.live.com' }],
  },
  { name: 'Google Meet', terms: [{ term: 'Google Meet' }, { term: 'meet.google.com' }, { term: 'Google Hangouts' }, { term: 'Hangouts', exactCase: true }] },
  { name: 'Webex', terms: [{ term: 'Webex' }, { term: 'webex.com' }] },
  { name: 'Skype', terms: [{ term: 'Skype' }, { term: 'join.skype.com' }] },
  { name: 'GoToMeeting', terms: [{ term: 'GoToMeeting' }, { term: 'GoTo Meeting' }, { term: 'gotomeeting.com' }, { term: 'meet.goto.com' }] },
  { name: 'BlueJeans', terms: [{ term: 'BlueJeans' }, { term: 'bluejeans.com' }] },
  { name: 'FaceTime', terms: [{ term: 'FaceTime' }] },
  { name: 'WhatsApp', terms: [{ term: 'WhatsApp' }, { term: 'wa.me' }] },
  { name: 'Slack', terms: [{ term: 'Slack huddle' }, { term: 'Slack', exactCase: true }] },
];

const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The known platform a name refers to ("teams", "MS Teams" → Microsoft Teams), or a custom one. */
export function resolvePlatform(name: string): Platform {
  const k = key(name);
  const known = MEETING_PLATFORMS.find((p) => key(p.name) === k || p.terms.some((t) => key(t.term) === k));
  return known ?? { name: name.trim(), terms: [{ term: name.trim() }] };
}

function findPlatform(text: string, platform: Platform): TermMatch[] {
  const found: TermMatch[] = [];
  for (const t of platform.terms) {
    for (const m of findTerm(text, t.term, { inflections: false, caseSensitive: t.exactCase ?? false })) {
      if (!found.some((f) => m.start < f.end && f.start < m.end)) {
        found.push(m);
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Phrases that propose a phone call in a message body. */
const PHONE_PHRASES = [
  'call you',
  'give you a call',
  'give you a quick call',
  'phone you',
  'ring you',
  'on the phone',
  'by phone',
  'hop on a call',
  'jump on a call',
  'phone call',
];

const GREETING = /^\s*(?:dear|hi|hello|hey|good\s+(?:morning|afternoon|evening)|morning|greetings)\s+([^,:;!\n]+)/i;
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir', 'madam', 'mx']);

function resolveRecipients(recipients: MessageRecipient[], contacts: ContactInfo[]): ContactInfo[] {
  const out: ContactInfo[] = [];
  for (const r of recipients) {
    const same = (a?: string | null, b?: string | null) => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
    const c =
      (r.contactId ? contacts.find((x) => x.id === r.contactId) : undefined) ??
      contacts.find((x) => same(x.email, r.email)) ??
      contacts.find((x) => same(x.name, r.name) || same(x.preferredName, r.name));
    if (c && !out.includes(c)) {
      out.push(c);
    }
  }
  return out;
}

/** Checks a message or meeting against the client's and its contacts' preferences. */
export function checkMessage(input: MessageInput, context: MessageCheckContext): MessageCheckResult {
  const findings: MessageFinding[] = [];
  const recipients = resolveRecipients(input.recipients ?? [], context.contacts);
  const recipientIds = new Set(recipients.map((c) => c.id));
  const applies = (s: RuleSource) => s.contactId === null || recipientIds.has(s.contactId);
  const rules = context.rules.filter(applies);
  const src = (s: RuleSource): FindingSource => ({ preferenceId: s.preferenceId, statement: s.statement });
  const texts: [MessageField, string][] = [
    ['salutation', input.salutation ?? ''],
    ['subject', input.subject ?? ''],
    ['body', input.body ?? ''],
  ];
  const contactName = (id: string | null) => context.contacts.find((c) => c.id === id)?.name ?? 'the client';

  // Name forms: avoided forms anywhere; and a greeting that addresses the contact by another form of their name.
  const greetingField: [MessageField, string] | undefined = input.salutation?.trim() ? ['salutation', input.salutation] : ['body', input.body ?? ''];
  const greeting = GREETING.exec(greetingField[1]);
  const greeted = greeting
    ? words(greeting[1] as string)
        .filter((w) => !TITLES.has(w.replace(/\.$/, '')))
        .join(' ')
    : '';
  const checkedGreeting = new Set<string>();
  const nameRules: { contactId: string | null; preferred: string; avoid: string[]; source: RuleSource | null }[] = rules.flatMap((s) =>
    s.rule.kind === 'naming' ? [{ contactId: s.contactId, preferred: s.rule.preferredName, avoid: s.rule.avoid ?? [], source: s }] : [],
  );
  for (const c of recipients) {
    if (c.preferredName && !nameRules.some((r) => r.contactId === c.id)) {
      nameRules.push({ contactId: c.id, preferred: c.preferredName, avoid: [], source: null });
    }
  }
  for (const r of nameRules) {
    const fix = `Use "${r.preferred}".`;
    const who = r.contactId ? contactName(r.contactId) : 'the client';
    for (const [field, text] of texts) {
      const preferredSpans = findTerm(text, r.preferred, { inflections: true });
      for (const form of r.avoid) {
        for (const m of findTerm(text, form, { inflections: true })) {
          if (preferredSpans.some((p) => m.start < p.end && p.start < m.end)) {
            continue;
          }
          findings.push({
            kind: 'name_form',
            severity: 'error',
            field,
            span: { start: m.start, end: m.end },
            text: m.text,
            contactId: r.contactId,
            rule: `Name: "${r.preferred}", not "${form}"`,
            source: r.source ? src(r.source) : null,
            message: `"${m.text}": ${who} goes by "${r.preferred}".`,
            suggestedFix: fix,
          });
        }
      }
    }
    if (r.contactId && greeting && greeted && !checkedGreeting.has(r.contactId)) {
      checkedGreeting.add(r.contactId);
      const first = greeted.split(' ')[0] as string;
      const preferred = r.preferred.toLowerCase();
      const contact = context.contacts.find((c) => c.id === r.contactId);
      const nameTokens = words(contact?.name ?? '');
      const usesPreferred = findTerm(greeted, r.preferred).length > 0;
      const related = first.length >= 2 && (preferred.startsWith(first) || first.startsWith(preferred.split(' ')[0] as string) || nameTokens[0] === first);
      const alreadyFlagged = findings.some((f) => f.kind === 'name_form' && f.contactId === r.contactId && f.field === greetingField[0]);
      if (!usesPreferred && related && !alreadyFlagged && !TITLES.has(first)) {
        const start = (greeting.index ?? 0) + (greeting[0].length - (greeting[1] as string).length) + (greeting[1] as string).toLowerCase().indexOf(first);
        findings.push({
          kind: 'name_form',
          severity: 'error',
          field: greetingField[0],
          span: { start, end: start + first.length },
          text: greetingField[1].slice(start, start + first.length),
          contactId: r.contactId,
          rule: `Name: "${r.preferred}"`,
          source: r.source ? src(r.source) : null,
          message: `The greeting addresses ${who} as "${greetingField[1].slice(start, start + first.length)}"; they go by "${r.preferred}".`,
          suggestedFix: fix,
        });
      }
    }
  }

  for (const s of rules) {
    const rule = s.rule;
    if (rule.kind === 'channel') {
      const who = s.contactId ? contactName(s.contactId) : 'The client';
      if (input.channel && rule.unwanted.includes(input.channel)) {
        findings.push({
          kind: 'unwanted_channel',
          severity: 'error',
          field: 'channel',
          contactId: s.contactId,
          rule: `No ${input.channel.replace('_', ' ')}`,
          source: src(s),
          message: `${who} does not want to be reached by ${input.channel.replace('_', ' ')}.`,
          suggestedFix: rule.preferred.length > 0 ? `Use ${rule.preferred.map((c) => c.replace('_', ' ')).join(' or ')}.` : 'Choose another channel.',
        });
      } else if (input.channel && rule.preferred.length > 0 && !rule.preferred.includes(input.channel)) {
        findings.push({
          kind: 'unwanted_channel',
          severity: 'warning',
          field: 'channel',
          contactId: s.contactId,
          rule: `Prefers ${rule.preferred.join(', ')}`,
          source: src(s),
          message: `${who} prefers ${rule.preferred.map((c) => c.replace('_', ' ')).join(' or ')}.`,
          suggestedFix: `Use ${rule.preferred.map((c) => c.replace('_', ' ')).join(' or ')} if you can.`,
        });
      }
      if (rule.unwanted.includes('phone')) {
        for (const phrase of PHONE_PHRASES) {
          const m = findTerm(input.body ?? '', phrase, { inflections: false })[0];
          if (m) {
            findings.push({
              kind: 'unwanted_channel',
              severity: 'warning',
              field: 'body',
              span: { start: m.start, end: m.end },
              text: m.text,
              contactId: s.contactId,
              rule: 'No phone calls',
              source: src(s),
              message: `The message proposes a phone call; ${who === 'The client' ? 'the client' : who} does not want calls.`,
              suggestedFix:
                rule.preferred.length > 0 ? `Offer ${rule.preferred.map((c) => c.replace('_', ' ')).join(' or ')} instead.` : 'Offer another channel.',
            });
            break;
          }
        }
      }
    } else if (rule.kind === 'meeting_platform') {
      const avoided = rule.avoid.map(resolvePlatform);
      const preferred = rule.preferred.map(resolvePlatform);
      const fix = preferred.length > 0 ? `Use ${preferred.map((p) => p.name).join(' or ')}.` : 'Use another platform.';
      const problem = (p: Platform): string | null => {
        if (avoided.some((a) => a.name === p.name)) {
          return `the client avoids ${p.name}`;
        }
        if (preferred.length > 0 && !preferred.some((q) => q.name === p.name)) {
          return `the client uses ${preferred.map((q) => q.name).join(' or ')}, not ${p.name}`;
        }
        return null;
      };
      if (input.meetingPlatform?.trim()) {
        const p = resolvePlatform(input.meetingPlatform);
        const why = problem(p);
        if (why) {
          findings.push({
            kind: 'meeting_platform',
            severity: 'error',
            field: 'meetingPlatform',
            contactId: s.contactId,
            rule: 'Meeting platform',
            source: src(s),
            message: `${p.name}: ${why}.`,
            suggestedFix: fix,
          });
        }
      }
      const candidates = [...MEETING_PLATFORMS, ...avoided.filter((a) => !MEETING_PLATFORMS.some((k) => k.name === a.name))];
      for (const [field, text] of texts) {
        for (const p of candidates) {
          const why = problem(p);
          const m = why ? findPlatform(text, p)[0] : undefined;
          if (why && m) {
            findings.push({
              kind: 'meeting_platform',
              severity: 'error',
              field,
              span: { start: m.start, end: m.end },
              text: m.text,
              contactId: s.contactId,
              rule: 'Meeting platform',
              source: src(s),
              message: `"${m.text}" (${p.name}): ${why}.`,
              suggestedFix: fix,
            });
          }
        }
      }
    } else if (rule.kind === 'unwanted_report') {
      const hit = texts
        .filter(([f]) => f !== 'salutation')
        .flatMap(([field, text]) => rule.keywords.flatMap((k) => findTerm(text, k).map((m) => ({ field, m }))))[0];
      if (hit) {
        findings.push({
          kind: 'unwanted_report',
          severity: 'warning',
          field: hit.field,
          span: { start: hit.m.start, end: hit.m.end },
          text: hit.m.text,
          contactId: s.contactId,
          rule: `Unwanted report: ${rule.report}`,
          source: src(s),
          message: `This looks like the ${rule.report}, which the client did not ask for.`,
          suggestedFix: 'Do not send it unless the client asks; keep the information ready instead.',
        });
      }
    }
  }

  // Restricted recipients: the rule names the contact who must not see the work, wherever the preference sits.
  for (const s of context.rules) {
    if (s.rule.kind !== 'restricted_recipient' || !recipientIds.has(s.rule.contactId)) {
      continue;
    }
    const rule = s.rule;
    const hit = texts.flatMap(([field, text]) => rule.keywords.flatMap((k) => findTerm(text, k).map((m) => ({ field, m }))))[0];
    if (hit) {
      findings.push({
        kind: 'restricted_recipient',
        severity: 'error',
        field: hit.field,
        span: { start: hit.m.start, end: hit.m.end },
        text: hit.m.text,
        contactId: rule.contactId,
        rule: `${contactName(rule.contactId)} must not see this work`,
        source: src(s),
        message: `${contactName(rule.contactId)} is a recipient, and the message mentions "${hit.m.text}".`,
        suggestedFix: `Remove ${contactName(rule.contactId)} from the recipients, or send them a version without it.`,
      });
    }
  }

  for (const [field, text] of texts) {
    for (const m of findAvoidedBrands(text, rules)) {
      findings.push({
        kind: 'avoided_brand',
        severity: 'error',
        field,
        span: { start: m.start, end: m.end },
        text: m.text,
        contactId: m.contactId,
        rule: `Avoid ${m.brand}`,
        source: m.source,
        message: `"${m.text}": the client avoids ${m.brand}.`,
        suggestedFix: `Mention another brand or supplier than ${m.brand}.`,
      });
    }
  }

  return { findings, recipientContactIds: recipients.map((c) => c.id) };
}
