import { Button, Group, Modal, Select, Stack, Textarea } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
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
        <ClientSelect
          initial={seed.client ?? null}
          {...form.getInputProps('clientId')}
          onChange={(id) => {
            form.setFieldValue('clientId', id);
            form.setFieldValue('contactId', null);
          }}
        />
        {clientId && <ContactSelect clientId={clientId} {...form.getInputProps('contactId')} />}
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

interface PickerProps {
  value?: string | null;
  onChange: (id: string | null) => void;
  error?: React.ReactNode;
}

/** Picks a client among those one may see, searching the server by name. */
function ClientSelect({ value, onChange, error, initial }: PickerProps & { initial: { id: string; name: string } | null }) {
  const [chosen, setChosen] = useState(initial);
  const [search, setSearch] = useState(initial?.name ?? '');
  const query = chosen && search === chosen.name ? '' : search.trim();
  const [debounced] = useDebouncedValue(query, 250);
  const candidates = useQuery({
    queryKey: ['clients', 'list', 'check-in-options', debounced],
    queryFn: async () => (await unwrap(api.GET('/api/v1/clients', { params: { query: { q: debounced || undefined, limit: 20 } } }))).items,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const options = (candidates.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  if (chosen && value === chosen.id && !options.some((o) => o.value === chosen.id)) {
    options.unshift({ value: chosen.id, label: chosen.name });
  }
  return (
    <Select
      label="Client"
      withAsterisk
      placeholder="Search clients"
      searchable
      data-autofocus
      value={value ?? null}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      data={options}
      nothingFoundMessage={candidates.isFetching ? 'Searching…' : 'No client by that name'}
      error={error}
      onChange={(id, option) => {
        setChosen(id && option ? { id, name: option.label } : null);
        onChange(id);
      }}
    />
  );
}

/** The client's contacts (optional: a check-in may be with the client at large). */
function ContactSelect({ clientId, value, onChange, error }: PickerProps & { clientId: string }) {
  const contacts = useQuery({
    queryKey: ['clients', 'detail', clientId, 'contacts'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/clients/{id}/contacts', { params: { path: { id: clientId } } }))).items,
  });
  return (
    <Select
      label="With"
      placeholder={contacts.isLoading ? 'Loading contacts…' : 'Nobody in particular'}
      clearable
      searchable
      value={value ?? null}
      data={(contacts.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
      nothingFoundMessage="No contact by that name"
      error={error}
      onChange={onChange}
    />
  );
}
