import { Button, Group, Modal, MultiSelect, Radio, Select, SimpleGrid, Stack, Textarea } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import { notifySaved, showApiErrors } from '../../forms';
import { DATE_INPUT_FORMAT } from '../clients/labels';
import { useContacts, useMatters } from '../clients/queries';
import { CONFIDENTIALITIES, CONFIDENTIALITY_HELP, CONFIDENTIALITY_LABELS } from '../sessions/labels';
import { sessionKeys } from '../sessions/queries';
import { type Insight, type InsightSource, type InsightType, type Severity, severityOptions, sourceOptions, themeGroups, typeOptions } from './labels';
import { insightKeys, useThemes } from './queries';

type Confidentiality = Insight['confidentiality'];

interface Values {
  type: InsightType | null;
  severity: Severity;
  summary: string;
  quote: string;
  confidentiality: Confidentiality;
  contactId: string | null;
  matterId: string | null;
  source: InsightSource | null;
  sessionId: string | null;
  heardOn: string | null;
  themeIds: string[];
}

/** Records an insight on a client, or edits one: what was heard, from whom, where, and under which themes. */
export function InsightFormModal({
  opened,
  onClose,
  clientId,
  insight,
  canReadMatters = true,
}: {
  opened: boolean;
  onClose: () => void;
  clientId: string;
  insight?: Insight | undefined;
  canReadMatters?: boolean;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={insight ? 'Edit insight' : 'Record insight'} size="xl">
      {opened && <InsightForm clientId={clientId} insight={insight} onDone={onClose} canReadMatters={canReadMatters} />}
    </Modal>
  );
}

function InsightForm({
  clientId,
  insight,
  onDone,
  canReadMatters,
}: {
  clientId: string;
  insight: Insight | undefined;
  onDone: () => void;
  canReadMatters: boolean;
}) {
  const queryClient = useQueryClient();
  const themes = useThemes(true);
  const contacts = useContacts(clientId);
  const matters = useMatters(clientId);
  const sessions = useQuery({
    queryKey: [...sessionKeys.lists(), { clientId, order: 'desc', picker: true }],
    queryFn: () => unwrap(api.GET('/api/v1/sessions', { params: { query: { clientId, order: 'desc', limit: 100 } } })),
  });
  const form = useForm<Values>({
    initialValues: {
      type: insight?.type ?? null,
      severity: insight?.severity ?? 'medium',
      summary: insight?.summary ?? '',
      quote: insight?.quote ?? '',
      confidentiality: insight?.confidentiality ?? 'attributable',
      contactId: insight?.contactId ?? null,
      matterId: insight?.matter?.id ?? null,
      source: insight?.source ?? null,
      sessionId: insight?.session?.id ?? null,
      heardOn: insight?.heardOn ?? dayjs().format('YYYY-MM-DD'),
      themeIds: insight?.themes.map((t) => t.id) ?? [],
    },
    validate: {
      type: (v) => (v ? null : 'Choose what kind of insight it is'),
      summary: (v) => (!v.trim() ? 'Say in a sentence what was heard' : v.trim().length > 2000 ? 'Use at most 2000 characters' : null),
      quote: (v) => (v.trim().length > 5000 ? 'Use at most 5000 characters' : null),
      source: (v) => (v ? null : 'Choose where it was heard'),
      sessionId: (v, values) => (values.source === 'session' && !v ? 'Choose the listening session' : null),
      heardOn: (v) => (!v ? 'Enter the date it was heard' : dayjs(v).isAfter(dayjs(), 'day') ? 'Must not be in the future' : null),
      themeIds: (v) => (v.length === 0 ? 'Choose at least one theme' : null),
    },
  });

  const save = useMutation({
    mutationFn: (values: Values) => {
      const body = {
        type: values.type as InsightType,
        severity: values.severity,
        summary: values.summary.trim(),
        quote: values.quote.trim() || null,
        confidentiality: values.confidentiality,
        matterId: values.matterId,
        source: values.source as InsightSource,
        sessionId: values.source === 'session' ? values.sessionId : null,
        heardOn: values.heardOn ?? '',
        themeIds: values.themeIds,
        // A hidden contact (non-attributable, not ours to know) is left as it is.
        ...(insight && insight.confidentiality === 'non_attributable' && insight.contactId === null && values.contactId === null
          ? {}
          : { contactId: values.contactId }),
      };
      return insight
        ? unwrap(api.PATCH('/api/v1/insights/{id}', { params: { path: { id: insight.id } }, body }))
        : unwrap(api.POST('/api/v1/insights', { body: { ...body, clientId } }));
    },
  });

  const submit = async (values: Values) => {
    try {
      await save.mutateAsync(values);
      await queryClient.invalidateQueries({ queryKey: insightKeys.all });
      notifySaved(insight ? 'Insight saved' : 'Insight recorded');
      onDone();
    } catch (err) {
      showApiErrors(form, err);
    }
  };

  // Archived themes an insight is already filed under stay choosable on edit.
  const themeData = themeGroups(themes.data ?? []);
  for (const t of insight?.themes ?? []) {
    if (!themeData.some((g) => g.items.some((i) => i.value === t.id))) {
      themeData.push({ group: 'Archived', items: [{ value: t.id, label: t.parentName ? `${t.parentName} › ${t.name}` : t.name }] });
    }
  }
  const sessionOptions = (sessions.data?.items ?? []).map((s) => ({
    value: s.id,
    label: `${s.startsAt ? dayjs(s.startsAt).format('D MMM YYYY') : 'Not scheduled'} · ${s.interviewer.name}`,
  }));
  if (insight?.session && !sessionOptions.some((o) => o.value === insight.session?.id)) {
    sessionOptions.push({ value: insight.session.id, label: 'The session it came from' });
  }

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label="Type" withAsterisk data={typeOptions} placeholder="Praise, concern, risk…" data-autofocus {...form.getInputProps('type')} />
          <Select label="Severity" withAsterisk data={severityOptions} allowDeselect={false} {...form.getInputProps('severity')} />
        </SimpleGrid>
        <Textarea label="Summary" withAsterisk description="What was heard, in a sentence or two" autosize minRows={2} {...form.getInputProps('summary')} />
        <Textarea label="Quote" description="The client’s own words, if you have them" autosize minRows={2} {...form.getInputProps('quote')} />
        <MultiSelect
          label="Themes"
          withAsterisk
          description="The themes or sub-themes it is about"
          data={themeData}
          searchable
          disabled={themes.isPending}
          placeholder={themes.isPending ? 'Loading themes…' : 'Choose themes'}
          {...form.getInputProps('themeIds')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label="Contact"
            description="Who said it"
            data={(contacts.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            clearable
            searchable
            placeholder={insight?.confidentiality === 'non_attributable' && insight.contactId === null ? 'Not shown to you' : 'Nobody in particular'}
            {...form.getInputProps('contactId')}
          />
          {canReadMatters && (
            <Select
              label="Matter"
              description="The matter it is about, if any"
              data={(matters.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
              clearable
              searchable
              {...form.getInputProps('matterId')}
            />
          )}
          <Select label="Source" withAsterisk description="Where it was heard" data={sourceOptions} {...form.getInputProps('source')} />
          {form.values.source === 'session' ? (
            <Select label="Listening session" withAsterisk data={sessionOptions} searchable {...form.getInputProps('sessionId')} />
          ) : (
            <div />
          )}
          <DateInput
            label="Heard on"
            withAsterisk
            valueFormat={DATE_INPUT_FORMAT}
            maxDate={dayjs().format('YYYY-MM-DD')}
            placeholder="e.g. 3 Mar 2026"
            {...form.getInputProps('heardOn')}
          />
        </SimpleGrid>
        <Radio.Group label="Confidentiality" description="Who may read it, and who may know who said it" {...form.getInputProps('confidentiality')}>
          <Stack gap="xs" mt="xs">
            {CONFIDENTIALITIES.map((c) => (
              <Radio key={c} value={c} label={CONFIDENTIALITY_LABELS[c]} description={INSIGHT_CONFIDENTIALITY_HELP[c] ?? CONFIDENTIALITY_HELP[c]} />
            ))}
          </Stack>
        </Radio.Group>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {insight ? 'Save insight' : 'Record insight'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const INSIGHT_CONFIDENTIALITY_HELP: Record<Confidentiality, string> = {
  attributable: 'The client’s team sees it with who said it',
  non_attributable: 'The client’s team sees it; only programme leads and you know who said it',
  programme_only: 'Only programme leads and you see it',
};
