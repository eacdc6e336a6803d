import type { PreferenceCategory, PreferenceRule } from './rules.js';

/** Plain-language "do" and "don't" lines for a rule, as the client brief shows them. Pure. */

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

const CHANNEL_LABELS: Record<string, string> = {
  email: 'email',
  phone: 'phone calls',
  video: 'video calls',
  in_person: 'meeting in person',
  text_message: 'text messages',
  letter: 'letters',
  chat: 'chat',
};

const quoted = (words: string[]) => words.map((w) => `“${w}”`).join(', ');
const list = (words: string[]) => (words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`);

export function ruleGuidance(
  rule: PreferenceRule,
  contactName: string | null,
  contactNames: Map<string, string> = new Map(),
): { do: string[]; dont: string[] } {
  const who = contactName ?? 'them';
  switch (rule.kind) {
    case 'naming':
      return {
        do: [`Call ${contactName ? `${contactName} ` : ''}“${rule.preferredName}”`],
        dont: rule.avoid.length > 0 ? [`Not ${quoted(rule.avoid)}`] : [],
      };
    case 'channel':
      return {
        do: rule.preferred.length > 0 ? [`Reach ${who} by ${list(rule.preferred.map((c) => CHANNEL_LABELS[c] ?? c))}`] : [],
        dont: rule.unwanted.length > 0 ? [`No ${list(rule.unwanted.map((c) => CHANNEL_LABELS[c] ?? c))}`] : [],
      };
    case 'meeting_platform':
      return {
        do: rule.preferred.length > 0 ? [`Meet on ${list(rule.preferred)}`] : [],
        dont: rule.avoid.length > 0 ? [`Never ${list(rule.avoid)}`] : [],
      };
    case 'avoid_brands':
      return {
        do: [],
        dont: rule.brands.map((b) => (b.aliases.length > 0 ? `No ${b.name} (also ${b.aliases.join(', ')})` : `No ${b.name}`)),
      };
    case 'billing': {
      const dos: string[] = [];
      const donts: string[] = [];
      if (rule.splitByProjectCode) {
        dos.push('Split invoices by the client’s project code');
      }
      if (rule.descriptionDetail === 'summary') {
        dos.push('Keep time entry descriptions to a summary');
      } else if (rule.descriptionDetail === 'detailed') {
        dos.push('Give detailed time entry descriptions');
      }
      if (rule.requireUtbmsCodes) {
        dos.push('Put UTBMS task and activity codes on every fee line');
      }
      if (rule.disallowedPhrases.length > 0) {
        donts.push(`No ${quoted(rule.disallowedPhrases)} on a bill`);
      }
      if (rule.noBlockBilling) {
        donts.push('No block billing');
      }
      if (rule.lateEntryGraceDays !== null) {
        donts.push(
          rule.lateEntryGraceDays === 0
            ? 'No entries or invoices after a matter closes'
            : `No entries or invoices more than ${rule.lateEntryGraceDays} days after a matter closes`,
        );
      }
      for (const cap of rule.rateCaps) {
        donts.push(`No ${cap.timekeeperClass} rate above ${cap.maxRate}`);
      }
      return { do: dos, dont: donts };
    }
    case 'reporting_schedule': {
      const when =
        rule.anchor.type === 'day_of_month'
          ? `the meeting on day ${rule.anchor.day} of each month`
          : `the meeting on the ${rule.anchor.nth === -1 ? 'last' : ['first', 'second', 'third', 'fourth'][rule.anchor.nth - 1]} ${['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][rule.anchor.weekday - 1]} of each month`;
      return { do: [`Send the ${rule.report} ${rule.leadDays} days before ${when}, unasked`], dont: [] };
    }
    case 'unwanted_report':
      return { do: [], dont: [`No ${rule.report} unless asked`] };
    case 'restricted_recipient': {
      const name = contactNames.get(rule.contactId) ?? 'the restricted contact';
      return { do: [], dont: [`Nothing about ${list(rule.keywords)} to ${name}`] };
    }
  }
}
