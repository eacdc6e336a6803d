import { Button, Group, Modal, Select, Stack, Textarea } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { ClientPicker, ContactPicker } from '../../components/Pickers';
import { notifySaved, showApiErrors } from '../../forms';
import { DATE_INPUT_FORMAT } from '../clients/labels';
import { CALENDAR_LABELS } from '../programmes/labels';

type Channel = components['schemas']['CheckIn']['channel'];

export const CHANNEL_LABELS: Record<Channel, string> = {
  meeting: 'Meeting',
  call: 'Call',
  video: 'Video call',
  email: 'Email',
  event: 'Event',
  other: 'Other',
};

export const checkInKeys = { all: ['check-ins'] as const };

/** Where a new check-in may start from: a client (and one of its contacts), e.g. from the losing-touch list. */
export interface CheckInSeed {
  client?: { id: string; name: string };
  contactId?: string | null;
}

interface Values {
  clientId: string | null;
  contactId: string | null;
  heldOn: string | null;
  channel: Channel;
  likes: string;
  oneThingBetter: string;
  notes: string;
}

const today = () => new Date().toISOString().slice(0, 10);

/** "Log check-in": who, when, how, and the two questions that matter. */
export function CheckInFormModal({ seed, onClose }: { seed: CheckInSeed | null; onClose: () => void }) {
  return (
    <Modal opened={seed !== null} onClose={onClose} title="Log check-in" size="lg">
      {seed && <CheckInForm seed={seed} onDone={onClose} />}
    </Modal>
  );
}

function CheckInForm({ seed, onDone }: { seed: CheckInSeed; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: {
      clientId: seed.client?.id ?? null,
      contactId: seed.contactId ?? null,
      heldOn: today(),
      channel: 'call',
      likes: '',
      oneThingBetter: '',
      notes: '',
    },
    validate: {
      clientId: (v) => (v ? null : 'Choose the client'),
      heldOn: (v) => (!v ? 'Say when it happened' : v > today() ? 'Must not be in the future' : null),
    },
  });
  const create = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.POST('/api/v1/check-ins', {
          body: {
            clientId: v.clientId ?? '',
            contactId: v.contactId,
            heldOn: v.heldOn ?? '',
            channel: v.channel,
            likes: v.likes.trim() || null,
            oneThingBetter: v.oneThingBetter.trim() || null,
            notes: v.notes.trim() || null,
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: checkInKeys.all });
      notifySaved('Check-in logged');
      onDone();
    },
    onError: (err) => showApiErrors(form, err),
  });
  const clientId = form.getValues().clientId;

  return (
    <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
      <Stack>
        <ClientPicker
          autoFocus
          initial={seed.client ?? null}
          {...form.getInputProps('clientId')}
          onChange={(id) => {
            form.setFieldValue('clientId', id);
            form.setFieldValue('contactId', null);
          }}
        />
        {clientId && <ContactPicker label="With" clientId={clientId} {...form.getInputProps('contactId')} />}
        <Group grow align="flex-start">
          <DatePickerInput
            label="Held on"
            withAsterisk
            valueFormat={DATE_INPUT_FORMAT}
            maxDate={today()}
            ariaLabels={CALENDAR_LABELS}
            {...form.getInputProps('heldOn')}
          />
          <Select
            label="How"
            data={Object.entries(CHANNEL_LABELS).map(([value, label]) => ({ value, label }))}
            allowDeselect={false}
            {...form.getInputProps('channel')}
          />
        </Group>
        <Textarea label="What do they like?" autosize minRows={2} maxRows={6} maxLength={5000} {...form.getInputProps('likes')} />
        <Textarea
          label="If one thing could be better, what would it be?"
          autosize
          minRows={2}
          maxRows={6}
          maxLength={5000}
          {...form.getInputProps('oneThingBetter')}
        />
        <Textarea label="Notes" autosize minRows={2} maxRows={8} maxLength={5000} {...form.getInputProps('notes')} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Log check-in
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
