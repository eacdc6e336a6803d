import type { SendingFrequency } from './digest-period.js';

/**
 * The digest email, as a pure function: what the user should know in → subject, plain text and
 * HTML out. Everything in `DigestData` has already been filtered by what the recipient may see.
 */

export interface DigestAction {
  id: string;
  title: string;
  clientName: string;
  /** YYYY-MM-DD, or null for an undated action (never listed as due). */
  dueOn: string | null;
  overdue: boolean;
}

export interface DigestCheckIn {
  clientId: string;
  clientName: string;
  /** A key contact, or null for the client as a whole. */
  contactName: string | null;
  /** Days since the last interaction, or null when there has never been one. */
  daysSince: number | null;
  maxDays: number;
}

export interface DigestNomination {
  clientName: string;
  programmeName: string;
}

/**
 * Seam for client reporting schedules (issue 5): reports coming due for clients the recipient
 * looks after. Not filled yet; when it is, the section appears and counts as something to say.
 */
export interface DigestReportDue {
  clientName: string;
  title: string;
  /** YYYY-MM-DD */
  dueOn: string;
  /** Web app path, e.g. /clients/…/you-said-we-did */
  link: string;
}

export interface DigestData {
  /** Absolute base of the web app (config.baseUrl), without a trailing slash. */
  baseUrl: string;
  recipientName: string;
  frequency: SendingFrequency;
  /** 2026-11-23 (daily) or 2026-W48 (weekly). */
  periodKey: string;
  actions: DigestAction[];
  checkIns: DigestCheckIn[];
  nominations: DigestNomination[];
  unreadNotifications: number;
  reportsDue?: DigestReportDue[];
}

export interface DigestEmail {
  subject: string;
  text: string;
  html: string;
}

/** Nothing to say: no email. Unread notifications alone do not make a digest (the bell shows them). */
export function digestIsEmpty(d: DigestData): boolean {
  return d.actions.length === 0 && d.checkIns.length === 0 && d.nominations.length === 0 && (d.reportsDue ?? []).length === 0;
}

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

interface Section {
  heading: string;
  items: { text: string; link: string }[];
  more?: { text: string; link: string };
}

function sections(d: DigestData): Section[] {
  const url = (path: string) => `${d.baseUrl}${path}`;
  const out: Section[] = [];
  const overdue = d.actions.filter((a) => a.overdue);
  const due = d.actions.filter((a) => !a.overdue);
  const actionItem = (a: DigestAction) => ({
    text: `${a.title} (${a.clientName}; ${a.overdue ? 'was due' : 'due'} ${a.dueOn ?? 'no date'})`,
    link: url(`/actions?action=${encodeURIComponent(a.id)}`),
  });
  if (overdue.length > 0) {
    out.push({
      heading: `Overdue actions (${overdue.length})`,
      items: overdue.map(actionItem),
      more: { text: 'Open my actions', link: url('/actions?tab=overdue') },
    });
  }
  if (due.length > 0) {
    out.push({
      heading: `Actions coming due ${d.frequency === 'daily' ? 'today' : 'this week'} (${due.length})`,
      items: due.map(actionItem),
      more: { text: 'Open my actions', link: url('/actions') },
    });
  }
  if (d.checkIns.length > 0) {
    out.push({
      heading: `Overdue check-ins (${d.checkIns.length})`,
      items: d.checkIns.map((c) => ({
        text: `${c.contactName ? `${c.contactName} at ${c.clientName}` : c.clientName}: ${
          c.daysSince === null ? 'no interaction recorded yet' : `last contact ${plural(c.daysSince, 'day')} ago`
        } (at most ${c.maxDays} days)`,
        link: url(`/clients/${encodeURIComponent(c.clientId)}`),
      })),
      more: { text: 'Open check-ins', link: url('/check-ins') },
    });
  }
  if (d.nominations.length > 0) {
    out.push({
      heading: `Nominations awaiting your answer (${d.nominations.length})`,
      items: d.nominations.map((n) => ({ text: `${n.clientName} (${n.programmeName})`, link: url('/nominations') })),
    });
  }
  const reports = d.reportsDue ?? [];
  if (reports.length > 0) {
    out.push({
      heading: `Reports coming due (${reports.length})`,
      items: reports.map((r) => ({ text: `${r.title} for ${r.clientName} (due ${r.dueOn})`, link: url(r.link) })),
    });
  }
  return out;
}

/** Builds the one digest email of the period. Call only when `digestIsEmpty` is false. */
export function buildDigestEmail(d: DigestData): DigestEmail {
  const counts = [
    d.actions.length > 0 ? plural(d.actions.length, 'action') : null,
    d.checkIns.length > 0 ? plural(d.checkIns.length, 'overdue check-in') : null,
    d.nominations.length > 0 ? plural(d.nominations.length, 'nomination') : null,
    (d.reportsDue ?? []).length > 0 ? plural((d.reportsDue ?? []).length, 'report') : null,
  ].filter((c): c is string => c !== null);
  const when = d.frequency === 'daily' ? `daily digest for ${d.periodKey}` : `weekly digest (${d.periodKey})`;
  const subject = `Hearken ${when}: ${counts.join(', ')}`;
  const secs = sections(d);
  const notificationsUrl = `${d.baseUrl}/notifications`;
  const accountUrl = `${d.baseUrl}/account`;
  const unread = d.unreadNotifications > 0 ? `You have ${plural(d.unreadNotifications, 'unread notification')}: ${notificationsUrl}` : null;

  const text = [
    `Hello ${d.recipientName},`,
    '',
    `Your Hearken ${when}.`,
    ...secs.flatMap((s) => ['', s.heading, ...s.items.map((i) => `- ${i.text}\n  ${i.link}`), ...(s.more ? [`${s.more.text}: ${s.more.link}`] : [])]),
    ...(unread ? ['', unread] : []),
    '',
    '--',
    `You receive this ${d.frequency} digest because of your Hearken settings. Change or turn it off: ${accountUrl}`,
    '',
  ].join('\n');

  const e = escapeHtml;
  const link = (href: string, label: string) => `<a href="${e(href)}">${e(label)}</a>`;
  const html = [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>',
    e(subject),
    '</title></head><body style="font-family: sans-serif; color: #1a1a1a; line-height: 1.5">',
    `<p>Hello ${e(d.recipientName)},</p>`,
    `<p>Your Hearken ${e(when)}.</p>`,
    ...secs.map(
      (s) =>
        `<h2 style="font-size: 1.1em">${e(s.heading)}</h2><ul>${s.items.map((i) => `<li>${link(i.link, i.text)}</li>`).join('')}</ul>${
          s.more ? `<p>${link(s.more.link, s.more.text)}</p>` : ''
        }`,
    ),
    unread ? `<p>${link(notificationsUrl, `You have ${plural(d.unreadNotifications, 'unread notification')}`)}</p>` : '',
    `<hr><p style="font-size: 0.9em; color: #444">You receive this ${e(d.frequency)} digest because of your Hearken settings. ${link(accountUrl, 'Change or turn it off')}.</p>`,
    '</body></html>',
  ].join('');
  return { subject, text, html };
}
