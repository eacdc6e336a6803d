import { Button, Group, Modal, MultiSelect, Select, Stack, Text, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { useAuth } from '../../auth';
import { OwnerPicker } from '../../components/Pickers';
import { notifySaved, showApiErrors } from '../../forms';
import { type ActionPriority, priorityOptions } from '../actions/labels';
import { actionKeys } from '../actions/queries';
import { DATE_INPUT_FORMAT } from '../clients/labels';
import { type InsightType, type Severity, severityOptions, themeGroups, typeOptions } from '../insights/labels';
import { insightKeys, useThemes } from '../insights/queries';
import { CALENDAR_LABELS } from '../programmes/labels';
import { checkInKeys } from './CheckInFormModal';

export type CheckIn = components['schemas']['CheckIn'];
type Field = 'likes' | 'oneThingBetter' | 'notes';

const FIELD_LABELS: Record<Field, string> = {
  likes: 'What do they like?',
  oneThingBetter: 'If one thing could be better, what would it be?',
  notes: 'Notes',
};

/** The answers of a check-in that have something to turn into an insight. */
export function answered(c: CheckIn): Field[] {
  return (['likes', 'oneThingBetter', 'notes'] as const).filter((f) => Boolean(c[f]));
}

/** "Make an insight" from one answer of a check-in: which answer, what kind, which themes. */
export function CheckInInsightModal({ checkIn, onClose }: { checkIn: CheckIn | null; onClose: () => void }) {
  return (
    <Modal opened={checkIn !== null} onClose={onClose} title="Make an insight" size="lg">
      {checkIn && <InsightForm checkIn={checkIn} onDone={onClose} />}
    </Modal>
  );
}

function InsightForm({ checkIn, onDone }: { checkIn: CheckIn; onDone: () => void }) {
  const queryClient = useQueryClient();
  const fields = answered(checkIn);
  const themes = useThemes(true);
  const form = useForm<{ field: Field; type: InsightType; severity: Severity; themeIds: string[] }>({
    initialValues: { field: fields[0] ?? 'likes', type: fields[0] === 'likes' ? 'praise' : 'concern', severity: 'medium', themeIds: [] },
    validate: { themeIds: (v) => (v.length > 0 ? null : 'Choose at least one theme') },
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) => unwrap(api.POST('/api/v1/check-ins/{id}/insight', { params: { path: { id: checkIn.id } }, body: v })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: insightKeys.all });
      await queryClient.invalidateQueries({ queryKey: checkInKeys.all });
      notifySaved('Insight recorded');
      onDone();
    },
    onError: (err) => showApiErrors(form, err),
  });
  const chosen = checkIn[form.getValues().field];
  return (
    <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
      <Stack>
        <Select
          label="From the answer to"
          data={fields.map((f) => ({ value: f, label: FIELD_LABELS[f] }))}
          allowDeselect={false}
          data-autofocus
          {...form.getInputProps('field')}
        />
        {chosen && (
          <Text size="sm" fs="italic">
            “{chosen}”
          </Text>
        )}
        <Group grow align="flex-start">
          <Select label="Type" data={typeOptions} allowDeselect={false} {...form.getInputProps('type')} />
          <Select label="Severity" data={severityOptions} allowDeselect={false} {...form.getInputProps('severity')} />
        </Group>
        <MultiSelect
          label="Themes"
          withAsterisk
          searchable
          placeholder={themes.isLoading ? 'Loading themes…' : 'Choose themes'}
          data={themeGroups(themes.data ?? [])}
          {...form.getInputProps('themeIds')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Record insight
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** "Follow-up action" from a check-in: what, who, by when. */
export function CheckInActionModal({ checkIn, onClose }: { checkIn: CheckIn | null; onClose: () => void }) {
  return (
    <Modal opened={checkIn !== null} onClose={onClose} title="Follow-up action" size="lg">
      {checkIn && <ActionForm checkIn={checkIn} onDone={onClose} />}
    </Modal>
  );
}

interface ActionValues {
  title: string;
  ownerId: string | null;
  dueOn: string | null;
  priority: ActionPriority;
}

function ActionForm({ checkIn, onDone }: { checkIn: CheckIn; onDone: () => void }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const form = useForm<ActionValues>({
    initialValues: { title: '', ownerId: user?.id ?? null, dueOn: null, priority: 'normal' },
    validate: {
      title: (v) => (v.trim() ? null : 'Say what is to be done'),
      ownerId: (v) => (v ? null : 'Choose who does it'),
    },
  });
  const create = useMutation({
    mutationFn: (v: ActionValues) =>
      unwrap(
        api.POST('/api/v1/check-ins/{id}/action', {
          params: { path: { id: checkIn.id } },
          body: { title: v.title.trim(), ownerId: v.ownerId ?? '', dueOn: v.dueOn || null, priority: v.priority },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: actionKeys.all });
      await queryClient.invalidateQueries({ queryKey: insightKeys.all });
      notifySaved('Action created');
      onDone();
    },
    onError: (err) => showApiErrors(form, err),
  });
  return (
    <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
      <Stack>
        <Text size="sm">
          Follows up the check-in with {checkIn.contact?.name ?? checkIn.client.name}
          {checkIn.oneThingBetter ? (
            <>
              : <em>{checkIn.oneThingBetter}</em>
            </>
          ) : null}
        </Text>
        {checkIn.recovery && !checkIn.recovery.fixed && (
          <Text size="sm">
            The client says the concern is not fixed yet. This action is born from that concern, so closing it schedules another recovery check.
          </Text>
        )}
        <TextInput label="What is to be done" withAsterisk data-autofocus maxLength={300} {...form.getInputProps('title')} />
        <OwnerPicker
          required
          description="Who does it; they must be able to see the client"
          initial={user ? { id: user.id, name: user.name } : null}
          {...form.getInputProps('ownerId')}
        />
        <Group grow align="flex-start">
          <DatePickerInput
            label="Due on"
            clearable
            valueFormat={DATE_INPUT_FORMAT}
            placeholder="No due date"
            ariaLabels={CALENDAR_LABELS}
            clearButtonProps={{ 'aria-label': 'No due date' }}
            {...form.getInputProps('dueOn')}
          />
          <Select label="Priority" data={priorityOptions} allowDeselect={false} {...form.getInputProps('priority')} />
        </Group>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create action
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
