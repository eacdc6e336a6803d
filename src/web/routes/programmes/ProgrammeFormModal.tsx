import { Button, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { useUserSearch } from '../../components/UserPicker';
import { notifySaved, showApiErrors } from '../../forms';
import { DATE_INPUT_FORMAT } from '../clients/labels';
import { CALENDAR_LABELS, type ProgrammeDetail, type ProgrammeStatus, programmeStatusOptions } from './labels';
import { programmeKeys } from './queries';

interface ProgrammeFormValues {
  name: string;
  description: string;
  startsOn: string | null;
  endsOn: string | null;
  status: ProgrammeStatus;
  ownerId: string | null;
  /** NumberInput gives '' while the box is empty. */
  targetSessions: number | string;
  /** Shares are typed as percentages (0–100) and sent as 0–1. */
  targetKeyClientShare: number | string;
  targetAtRiskShare: number | string;
}

interface ProgrammeFormModalProps {
  opened: boolean;
  onClose: () => void;
  /** The programme to edit; without it the form opens a new programme. */
  programme?: ProgrammeDetail;
}

/** Opens a programme (then shows its page) or edits one, in a modal. */
export function ProgrammeFormModal({ opened, onClose, programme }: ProgrammeFormModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={programme ? `Edit ${programme.name}` : 'New listening programme'} size="lg">
      {opened && <ProgrammeForm programme={programme} onDone={onClose} />}
    </Modal>
  );
}

const toPercent = (share: number | null | undefined) => (share === null || share === undefined ? '' : Math.round(share * 1000) / 10);
const toShare = (percent: number | string) => (typeof percent === 'number' ? percent / 100 : null);
const percentRule = (v: number | string) => (typeof v === 'number' && (v < 0 || v > 100) ? 'Enter a percentage from 0 to 100' : null);

function ProgrammeForm({ programme, onDone }: { programme: ProgrammeDetail | undefined; onDone: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { user } = useAuth();
  const form = useForm<ProgrammeFormValues>({
    initialValues: {
      name: programme?.name ?? '',
      description: programme?.description ?? '',
      startsOn: programme?.startsOn ?? null,
      endsOn: programme?.endsOn ?? null,
      status: programme?.status ?? 'draft',
      ownerId: programme?.owner.id ?? user?.id ?? null,
      targetSessions: programme?.targetSessions ?? '',
      targetKeyClientShare: toPercent(programme?.targetKeyClientShare),
      targetAtRiskShare: toPercent(programme?.targetAtRiskShare),
    },
    validate: {
      name: (v) => (!v.trim() ? 'Enter the programme’s name' : v.trim().length > 200 ? 'Use at most 200 characters' : null),
      startsOn: (v) => (v ? null : 'Choose the first day'),
      endsOn: (v, values) => (!v ? 'Choose the last day' : values.startsOn && v < values.startsOn ? 'The last day cannot be before the first' : null),
      ownerId: (v) => (v ? null : 'Choose who owns the programme'),
      targetSessions: (v) => (typeof v === 'number' && (v < 0 || !Number.isInteger(v)) ? 'Enter a whole number of sessions' : null),
      targetKeyClientShare: percentRule,
      targetAtRiskShare: percentRule,
      description: (v) => (v.length > 5000 ? 'Use at most 5,000 characters' : null),
    },
  });

  const saveProgramme = useMutation({
    mutationFn: (values: ProgrammeFormValues) => {
      const body = {
        name: values.name.trim(),
        description: values.description.trim() || null,
        startsOn: values.startsOn ?? '',
        endsOn: values.endsOn ?? '',
        status: values.status,
        // Sent only when changed: an owner who has since left would otherwise block every edit.
        ownerId: programme && values.ownerId === programme.owner.id ? undefined : (values.ownerId ?? undefined),
        targetSessions: typeof values.targetSessions === 'number' ? values.targetSessions : null,
        targetKeyClientShare: toShare(values.targetKeyClientShare),
        targetAtRiskShare: toShare(values.targetAtRiskShare),
      };
      return programme
        ? unwrap(api.PATCH('/api/v1/programmes/{id}', { params: { path: { id: programme.id } }, body }))
        : unwrap(api.POST('/api/v1/programmes', { body }));
    },
  });

  const save = async (values: ProgrammeFormValues) => {
    try {
      const saved = await saveProgramme.mutateAsync(values);
      queryClient.setQueryData(programmeKeys.detail(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: programmeKeys.lists() });
      notifySaved(programme ? 'Programme saved' : `${saved.name} opened`);
      onDone();
      if (!programme) {
        await navigate(`/programmes/${saved.id}`);
      }
    } catch (err) {
      showApiErrors(form, err);
    }
  };

  return (
    <form onSubmit={form.onSubmit(save)} noValidate>
      <Stack>
        <TextInput label="Name" placeholder="e.g. Client listening 2026" withAsterisk data-autofocus autoComplete="off" {...form.getInputProps('name')} />
        <Textarea label="Description" autosize minRows={2} maxRows={8} {...form.getInputProps('description')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <DateInput
            label="First day"
            withAsterisk
            valueFormat={DATE_INPUT_FORMAT}
            placeholder="e.g. 1 Jan 2026"
            ariaLabels={CALENDAR_LABELS}
            {...form.getInputProps('startsOn')}
          />
          <DateInput
            label="Last day"
            withAsterisk
            valueFormat={DATE_INPUT_FORMAT}
            placeholder="e.g. 31 Dec 2026"
            minDate={form.values.startsOn ?? undefined}
            ariaLabels={CALENDAR_LABELS}
            {...form.getInputProps('endsOn')}
          />
          <OwnerSelect
            value={form.values.ownerId}
            initial={programme?.owner ?? (user ? { id: user.id, name: user.name } : null)}
            onChange={(id) => form.setFieldValue('ownerId', id)}
            error={form.errors.ownerId}
          />
          <Select label="Status" data={programmeStatusOptions} allowDeselect={false} {...form.getInputProps('status')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NumberInput
            label="Sessions to hold"
            description="Leave empty for no target"
            min={0}
            allowNegative={false}
            allowDecimal={false}
            {...form.getInputProps('targetSessions')}
          />
          <NumberInput
            label="Key clients to hear from"
            description="Share of key clients, %"
            min={0}
            max={100}
            allowNegative={false}
            suffix="%"
            {...form.getInputProps('targetKeyClientShare')}
          />
          <NumberInput
            label="At-risk sessions, at least"
            description="Unhappy, lapsed, lost or pitch-lost, %"
            min={0}
            max={100}
            allowNegative={false}
            suffix="%"
            {...form.getInputProps('targetAtRiskShare')}
          />
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            {programme ? 'Save changes' : 'Open programme'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface OwnerSelectProps {
  value: string | null;
  initial: { id: string; name: string } | null;
  onChange: (id: string | null) => void;
  error?: React.ReactNode;
}

/** Picks the programme's owner among active users, searching the server as one types. */
function OwnerSelect({ value, initial, onChange, error }: OwnerSelectProps) {
  const [chosen, setChosen] = useState(initial);
  const [search, setSearch] = useState(initial?.name ?? '');
  // While the box shows the chosen name, offer everyone rather than only that person.
  const users = useUserSearch(chosen && search === chosen.name ? '' : search, { activeOnly: true });
  const options = (users.data?.items ?? []).filter((u) => u.role !== 'external').map((u) => ({ value: u.id, label: u.name }));
  if (chosen && value === chosen.id && !options.some((o) => o.value === chosen.id)) {
    options.unshift({ value: chosen.id, label: chosen.name });
  }
  return (
    <Select
      label="Owner"
      description="The programme lead who runs it"
      withAsterisk
      searchable
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      data={options}
      nothingFoundMessage={users.isFetching ? 'Searching…' : 'Nobody found'}
      error={error}
      onChange={(id, option) => {
        setChosen(id && option ? { id, name: option.label } : null);
        onChange(id);
      }}
    />
  );
}
