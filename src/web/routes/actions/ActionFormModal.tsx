import { Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { ClientPicker, OwnerPicker, type PickerProps } from '../../components/Pickers';
import { notifySaved, showApiErrors } from '../../forms';
import { DATE_INPUT_FORMAT } from '../clients/labels';
import { CALENDAR_LABELS } from '../programmes/labels';
import { type Action, type ActionPriority, formatDate, priorityOptions } from './labels';
import { actionKeys } from './queries';

/** What a new action may start from: a client, and the insight it answers (from "feedback unactioned"). */
export interface ActionSeed {
  client?: { id: string; name: string };
  insight?: { id: string; summary: string };
}

interface Values {
  clientId: string | null;
  title: string;
  description: string;
  ownerId: string | null;
  dueOn: string | null;
  priority: ActionPriority;
  sessionId: string | null;
}

/** "New action": client, what to do, who does it and by when, optionally linked to a session or insight. */
export function ActionFormModal({ seed, onClose, onCreated }: { seed: ActionSeed | null; onClose: () => void; onCreated?: (action: Action) => void }) {
  return (
    <Modal opened={seed !== null} onClose={onClose} title="New action" size="lg">
      {seed && <ActionForm seed={seed} onDone={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function ActionForm({ seed, onDone, onCreated }: { seed: ActionSeed; onDone: () => void; onCreated?: ((action: Action) => void) | undefined }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: {
      clientId: seed.client?.id ?? null,
      title: '',
      description: '',
      ownerId: user?.id ?? null,
      dueOn: null,
      priority: 'normal',
      sessionId: null,
    },
    validate: {
      clientId: (v) => (v ? null : 'Choose the client'),
      title: (v) => (v.trim() ? null : 'Say what is to be done'),
      ownerId: (v) => (v ? null : 'Choose who does it'),
    },
  });
  const create = useMutation({
    mutationFn: (values: Values) =>
      unwrap(
        api.POST('/api/v1/actions', {
          body: {
            clientId: values.clientId ?? '',
            title: values.title.trim(),
            description: values.description.trim() || null,
            ownerId: values.ownerId ?? '',
            dueOn: values.dueOn || null,
            priority: values.priority,
            sessionId: values.sessionId,
            insightId: seed.insight?.id ?? null,
          },
        }),
      ),
    onSuccess: async (action) => {
      await queryClient.invalidateQueries({ queryKey: actionKeys.all });
      notifySaved('Action created');
      onCreated?.(action);
      onDone();
    },
    onError: (err) => showApiErrors(form, err),
  });
  const clientId = form.getValues().clientId;

  return (
    <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
      <Stack>
        {seed.insight && (
          <Text size="sm">
            Answers the feedback: <em>{seed.insight.summary}</em>
          </Text>
        )}
        <ClientPicker
          initial={seed.client ?? null}
          disabled={Boolean(seed.insight)}
          {...form.getInputProps('clientId')}
          onChange={(id) => {
            form.setFieldValue('clientId', id);
            form.setFieldValue('sessionId', null);
          }}
        />
        <TextInput label="What is to be done" withAsterisk data-autofocus maxLength={300} {...form.getInputProps('title')} />
        <Textarea label="Details" autosize minRows={2} maxRows={8} {...form.getInputProps('description')} />
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
        {clientId && !seed.insight && <SessionSelect clientId={clientId} {...form.getInputProps('sessionId')} />}
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

/** Optionally links a listening session of the client (one the user may read). */
function SessionSelect({ clientId, value, onChange, error }: PickerProps & { clientId: string }) {
  const sessions = useQuery({
    queryKey: ['sessions', 'list', 'action-options', clientId],
    queryFn: async () => (await unwrap(api.GET('/api/v1/sessions', { params: { query: { clientId, order: 'desc', limit: 50 } } }))).items,
  });
  const options = (sessions.data ?? [])
    .filter((s) => s.status !== 'cancelled')
    .map((s) => ({ value: s.id, label: `${s.startsAt ? formatDate(s.startsAt) : 'Not scheduled'} — ${s.objective}` }));
  return (
    <Select
      label="Listening session"
      description="Link the session this follows up, if any"
      placeholder={sessions.isLoading ? 'Loading…' : options.length ? 'None' : 'No sessions with this client'}
      clearable
      clearButtonProps={{ 'aria-label': 'No session' }}
      data={options}
      value={value ?? null}
      onChange={onChange}
      error={error}
    />
  );
}
