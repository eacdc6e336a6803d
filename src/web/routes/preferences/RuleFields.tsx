import { Checkbox, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import {
  CHANNEL_LABELS,
  type Preference,
  type PreferenceCategory,
  RULE_KIND_LABELS,
  RULE_KINDS_BY_CATEGORY,
  type RuleInput,
  type RuleKind,
  WEEKDAYS,
} from './labels';

/** The form's view of a rule: plain fields, whichever kind is chosen. */
export interface RuleValues {
  kind: RuleKind | null;
  preferredName: string;
  avoid: string[];
  preferredChannels: string[];
  unwantedChannels: string[];
  platformsPreferred: string[];
  platformsAvoid: string[];
  /** One brand per line: "Chevrolet: Chevy, GM". */
  brands: string;
  disallowedPhrases: string[];
  noBlockBilling: boolean;
  lateEntryGraceDays: number | string;
  splitByProjectCode: boolean;
  descriptionDetail: string | null;
  requireUtbmsCodes: boolean;
  report: string;
  anchorType: string;
  day: number | string;
  nth: string;
  weekday: string;
  leadDays: number | string;
  keywords: string[];
  restrictedContactId: string | null;
}

export const EMPTY_RULE: RuleValues = {
  kind: null,
  preferredName: '',
  avoid: [],
  preferredChannels: [],
  unwantedChannels: [],
  platformsPreferred: [],
  platformsAvoid: [],
  brands: '',
  disallowedPhrases: [],
  noBlockBilling: false,
  lateEntryGraceDays: '',
  splitByProjectCode: false,
  descriptionDetail: null,
  requireUtbmsCodes: false,
  report: '',
  anchorType: 'day_of_month',
  day: 1,
  nth: '1',
  weekday: '1',
  leadDays: 5,
  keywords: [],
  restrictedContactId: null,
};

/** Where the API's rule field errors show on the form. */
export const RULE_FIELD_MAP: Record<string, string> = {
  'rule.kind': 'kind',
  'rule.preferredName': 'preferredName',
  'rule.brands': 'brands',
  'rule.contactId': 'restrictedContactId',
  'rule.keywords': 'keywords',
  'rule.report': 'report',
  'rule.leadDays': 'leadDays',
  'rule.anchor.day': 'day',
  'rule.lateEntryGraceDays': 'lateEntryGraceDays',
  'rule.disallowedPhrases': 'disallowedPhrases',
};

const num = (v: number | string) => (v === '' || v === null ? null : Number(v));

export function toRule(v: RuleValues): RuleInput | null {
  switch (v.kind) {
    case null:
      return null;
    case 'naming':
      return { kind: 'naming', preferredName: v.preferredName, avoid: v.avoid };
    case 'channel':
      return { kind: 'channel', preferred: v.preferredChannels as never, unwanted: v.unwantedChannels as never };
    case 'meeting_platform':
      return { kind: 'meeting_platform', preferred: v.platformsPreferred, avoid: v.platformsAvoid };
    case 'avoid_brands':
      return {
        kind: 'avoid_brands',
        brands: v.brands
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
          .map((line) => {
            const [name = '', aliases = ''] = line.split(':');
            return {
              name: name.trim(),
              aliases: aliases
                .split(',')
                .map((a) => a.trim())
                .filter(Boolean),
            };
          }),
      };
    case 'billing':
      return {
        kind: 'billing',
        disallowedPhrases: v.disallowedPhrases,
        noBlockBilling: v.noBlockBilling,
        lateEntryGraceDays: num(v.lateEntryGraceDays),
        splitByProjectCode: v.splitByProjectCode,
        descriptionDetail: (v.descriptionDetail as 'summary' | 'detailed' | null) ?? null,
        requireUtbmsCodes: v.requireUtbmsCodes,
      };
    case 'reporting_schedule':
      return {
        kind: 'reporting_schedule',
        report: v.report,
        anchor:
          v.anchorType === 'day_of_month'
            ? { type: 'day_of_month', day: Number(v.day) }
            : { type: 'nth_weekday', nth: Number(v.nth) as 1 | 2 | 3 | 4 | -1, weekday: Number(v.weekday) },
        leadDays: Number(v.leadDays),
      };
    case 'unwanted_report':
      return { kind: 'unwanted_report', report: v.report, keywords: v.keywords };
    case 'restricted_recipient':
      return { kind: 'restricted_recipient', contactId: v.restrictedContactId ?? '', keywords: v.keywords };
  }
}

export function fromRule(rule: Preference['rule'] | undefined): RuleValues {
  const v = { ...EMPTY_RULE };
  if (!rule) {
    return v;
  }
  v.kind = rule.kind;
  switch (rule.kind) {
    case 'naming':
      return { ...v, preferredName: rule.preferredName, avoid: rule.avoid };
    case 'channel':
      return { ...v, preferredChannels: rule.preferred, unwantedChannels: rule.unwanted };
    case 'meeting_platform':
      return { ...v, platformsPreferred: rule.preferred, platformsAvoid: rule.avoid };
    case 'avoid_brands':
      return { ...v, brands: rule.brands.map((b) => (b.aliases.length ? `${b.name}: ${b.aliases.join(', ')}` : b.name)).join('\n') };
    case 'billing':
      return {
        ...v,
        disallowedPhrases: rule.disallowedPhrases,
        noBlockBilling: rule.noBlockBilling,
        lateEntryGraceDays: rule.lateEntryGraceDays ?? '',
        splitByProjectCode: rule.splitByProjectCode,
        descriptionDetail: rule.descriptionDetail,
        requireUtbmsCodes: rule.requireUtbmsCodes,
      };
    case 'reporting_schedule':
      return {
        ...v,
        report: rule.report,
        anchorType: rule.anchor.type,
        day: rule.anchor.type === 'day_of_month' ? rule.anchor.day : 1,
        nth: rule.anchor.type === 'nth_weekday' ? String(rule.anchor.nth) : '1',
        weekday: rule.anchor.type === 'nth_weekday' ? String(rule.anchor.weekday) : '1',
        leadDays: rule.leadDays,
      };
    case 'unwanted_report':
      return { ...v, report: rule.report, keywords: rule.keywords };
    case 'restricted_recipient':
      return { ...v, restrictedContactId: rule.contactId, keywords: rule.keywords };
  }
}

const channelOptions = Object.entries(CHANNEL_LABELS).map(([value, label]) => ({ value, label }));

/** The structured rule's fields for the chosen kind; the kinds offered follow the category. */
export function RuleFields<T extends RuleValues & { category: PreferenceCategory }>({
  form,
  contacts,
}: {
  form: UseFormReturnType<T>;
  contacts: { value: string; label: string }[];
}) {
  const values = form.getValues();
  const kinds = RULE_KINDS_BY_CATEGORY[values.category];
  // biome-ignore lint/suspicious/noExplicitAny: the rule fields exist on every form that uses this
  const f = form as unknown as UseFormReturnType<any>;
  return (
    <Stack gap="xs">
      <Select
        label="Rule"
        description="Optional: a rule the invoice, message and plan checks apply"
        placeholder={kinds.length ? 'No rule: the statement only' : 'This category takes no rule'}
        data={kinds.map((k) => ({ value: k, label: RULE_KIND_LABELS[k] }))}
        disabled={kinds.length === 0}
        clearable
        {...f.getInputProps('kind')}
      />
      {values.kind === 'naming' && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Name to use" withAsterisk {...f.getInputProps('preferredName')} />
          <TagsInput label="Forms not to use" description="Press Enter after each" {...f.getInputProps('avoid')} />
        </SimpleGrid>
      )}
      {values.kind === 'channel' && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <MultiSelect label="Preferred channels" data={channelOptions} {...f.getInputProps('preferredChannels')} />
          <MultiSelect label="Unwanted channels" data={channelOptions} {...f.getInputProps('unwantedChannels')} />
        </SimpleGrid>
      )}
      {values.kind === 'meeting_platform' && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TagsInput label="Platforms they use" description="Press Enter after each" {...f.getInputProps('platformsPreferred')} />
          <TagsInput label="Platforms not to use" description="Press Enter after each" {...f.getInputProps('platformsAvoid')} />
        </SimpleGrid>
      )}
      {values.kind === 'avoid_brands' && (
        <Textarea
          label="Brands and companies to avoid"
          description="One per line, with other names after a colon: Chevrolet: Chevy, GM"
          autosize
          minRows={2}
          withAsterisk
          {...f.getInputProps('brands')}
        />
      )}
      {values.kind === 'billing' && (
        <Stack gap="xs">
          <TagsInput
            label="Phrases they will not pay for"
            description="Press Enter after each, e.g. review of file"
            {...f.getInputProps('disallowedPhrases')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label="No entries more than N days after a matter closes"
              description="Empty: no limit"
              min={0}
              max={3650}
              {...f.getInputProps('lateEntryGraceDays')}
            />
            <Select
              label="Time entry descriptions"
              data={[
                { value: 'summary', label: 'Summary only' },
                { value: 'detailed', label: 'Detailed' },
              ]}
              clearable
              placeholder="No preference"
              {...f.getInputProps('descriptionDetail')}
            />
          </SimpleGrid>
          <Group gap="lg">
            <Checkbox label="No block billing" {...f.getInputProps('noBlockBilling', { type: 'checkbox' })} />
            <Checkbox label="Split invoices by their project code" {...f.getInputProps('splitByProjectCode', { type: 'checkbox' })} />
            <Checkbox label="UTBMS codes on every fee line" {...f.getInputProps('requireUtbmsCodes', { type: 'checkbox' })} />
          </Group>
        </Stack>
      )}
      {values.kind === 'reporting_schedule' && (
        <Stack gap="xs">
          <TextInput label="Report" placeholder="Litigation status update" withAsterisk {...f.getInputProps('report')} />
          <SimpleGrid cols={{ base: 1, sm: 4 }}>
            <Select
              label="Meeting falls on"
              data={[
                { value: 'day_of_month', label: 'A day of the month' },
                { value: 'nth_weekday', label: 'A weekday of the month' },
              ]}
              allowDeselect={false}
              {...f.getInputProps('anchorType')}
            />
            {values.anchorType === 'day_of_month' ? (
              <NumberInput label="Day" min={1} max={31} {...f.getInputProps('day')} />
            ) : (
              <>
                <Select
                  label="Which"
                  data={[
                    { value: '1', label: 'First' },
                    { value: '2', label: 'Second' },
                    { value: '3', label: 'Third' },
                    { value: '4', label: 'Fourth' },
                    { value: '-1', label: 'Last' },
                  ]}
                  allowDeselect={false}
                  {...f.getInputProps('nth')}
                />
                <Select
                  label="Weekday"
                  data={WEEKDAYS.map((label, i) => ({ value: String(i + 1), label }))}
                  allowDeselect={false}
                  {...f.getInputProps('weekday')}
                />
              </>
            )}
            <NumberInput label="Days before the meeting" min={0} max={60} {...f.getInputProps('leadDays')} />
          </SimpleGrid>
        </Stack>
      )}
      {values.kind === 'unwanted_report' && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Report they do not want" withAsterisk {...f.getInputProps('report')} />
          <TagsInput label="Words that identify it" description="Press Enter after each" withAsterisk {...f.getInputProps('keywords')} />
        </SimpleGrid>
      )}
      {values.kind === 'restricted_recipient' && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label="Who must not receive it" data={contacts} withAsterisk searchable {...f.getInputProps('restrictedContactId')} />
          <TagsInput label="Words that mark that work" description="Press Enter after each" withAsterisk {...f.getInputProps('keywords')} />
        </SimpleGrid>
      )}
    </Stack>
  );
}
