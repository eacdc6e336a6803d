import type { MantineColor } from '@mantine/core';
import type { Schemas } from '../../api/client';
import type { paths } from '../../api/schema';

export type Preference = Schemas['Preference'];
export type PreferenceCategory = Preference['category'];
export type PreferenceSource = Preference['source'];
export type RuleInput = NonNullable<paths['/api/v1/preferences']['post']['requestBody']['content']['application/json']['rule']>;
export type RuleKind = RuleInput['kind'];

export const preferenceKeys = {
  all: ['preferences'] as const,
  brief: (clientId: string) => ['client-brief', clientId] as const,
  reportsDue: ['reports-due'] as const,
  calendarToken: ['calendar-token'] as const,
};

export const CATEGORY_LABELS: Record<PreferenceCategory, string> = {
  naming: 'Names',
  channel: 'How to reach them',
  meetings_platforms: 'Meetings and platforms',
  reporting: 'Reporting',
  billing: 'Billing and invoices',
  documents: 'Documents',
  hospitality: 'Hospitality',
  vendors_brands: 'Vendors and competitor brands',
  other: 'Other',
};
export const CATEGORY_OPTIONS = (Object.keys(CATEGORY_LABELS) as PreferenceCategory[]).map((value) => ({ value, label: CATEGORY_LABELS[value] }));

/** The rule kinds each category takes (the server checks the same; this only chooses what to offer). */
export const RULE_KINDS_BY_CATEGORY: Record<PreferenceCategory, RuleKind[]> = {
  naming: ['naming'],
  channel: ['channel'],
  meetings_platforms: ['meeting_platform'],
  reporting: ['reporting_schedule', 'unwanted_report'],
  billing: ['billing'],
  documents: ['restricted_recipient'],
  hospitality: ['avoid_brands'],
  vendors_brands: ['avoid_brands', 'meeting_platform'],
  other: [],
};

export const RULE_KIND_LABELS: Record<RuleKind, string> = {
  naming: 'Name to use',
  channel: 'Channels to use and avoid',
  meeting_platform: 'Meeting platform',
  avoid_brands: 'Brands and companies to avoid',
  billing: 'Billing guidelines',
  reporting_schedule: 'Reporting schedule',
  unwanted_report: 'A report they do not want',
  restricted_recipient: 'Someone who must not receive certain work',
};

export const SOURCE_LABELS: Record<PreferenceSource, string> = {
  session: 'Listening session',
  check_in: 'Check-in',
  person: 'Told by someone',
  other: 'Other',
};

export const CHANNEL_LABELS: Record<string, string> = {
  email: 'Email',
  phone: 'Phone',
  video: 'Video call',
  in_person: 'In person',
  text_message: 'Text message',
  letter: 'Letter',
  chat: 'Chat',
};

export const CATEGORY_COLORS: Record<PreferenceCategory, MantineColor> = {
  naming: 'grape',
  channel: 'blue',
  meetings_platforms: 'cyan',
  reporting: 'indigo',
  billing: 'orange',
  documents: 'red',
  hospitality: 'teal',
  vendors_brands: 'pink',
  other: 'gray',
};

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** A one-line reading of a rule, for lists. */
export function ruleSummary(rule: Preference['rule']): string | null {
  if (!rule) {
    return null;
  }
  switch (rule.kind) {
    case 'naming':
      return `Use “${rule.preferredName}”${rule.avoid.length ? `, not ${rule.avoid.map((a) => `“${a}”`).join(', ')}` : ''}`;
    case 'channel':
      return [
        rule.preferred.length ? `Use ${rule.preferred.map((c) => CHANNEL_LABELS[c] ?? c).join(', ')}` : '',
        rule.unwanted.length ? `avoid ${rule.unwanted.map((c) => CHANNEL_LABELS[c] ?? c).join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
    case 'meeting_platform':
      return [rule.preferred.length ? `Meet on ${rule.preferred.join(', ')}` : '', rule.avoid.length ? `never ${rule.avoid.join(', ')}` : '']
        .filter(Boolean)
        .join('; ');
    case 'avoid_brands':
      return `Avoid ${rule.brands.map((b) => (b.aliases.length ? `${b.name} (${b.aliases.join(', ')})` : b.name)).join('; ')}`;
    case 'billing': {
      const parts: string[] = [];
      if (rule.disallowedPhrases.length) {
        parts.push(`no ${rule.disallowedPhrases.map((p) => `“${p}”`).join(', ')}`);
      }
      if (rule.noBlockBilling) {
        parts.push('no block billing');
      }
      if (rule.lateEntryGraceDays !== null) {
        parts.push(`nothing later than ${rule.lateEntryGraceDays} days after closing`);
      }
      if (rule.splitByProjectCode) {
        parts.push('split by project code');
      }
      if (rule.descriptionDetail) {
        parts.push(`${rule.descriptionDetail} descriptions`);
      }
      if (rule.requireUtbmsCodes) {
        parts.push('UTBMS codes');
      }
      for (const cap of rule.rateCaps) {
        parts.push(`${cap.timekeeperClass} rate at most ${cap.maxRate}`);
      }
      return parts.length ? `Billing: ${parts.join('; ')}` : 'Billing guidelines';
    }
    case 'reporting_schedule': {
      const a = rule.anchor;
      const when =
        a.type === 'day_of_month'
          ? `day ${a.day} of each month`
          : `the ${a.nth === -1 ? 'last' : ['first', 'second', 'third', 'fourth'][a.nth - 1]} ${WEEKDAYS[a.weekday - 1]} of each month`;
      return `${rule.report}: ${rule.leadDays} days before the meeting on ${when}`;
    }
    case 'unwanted_report':
      return `No ${rule.report} (${rule.keywords.join(', ')})`;
    case 'restricted_recipient':
      return `Restricted recipient: nothing about ${rule.keywords.join(', ')}`;
  }
}
