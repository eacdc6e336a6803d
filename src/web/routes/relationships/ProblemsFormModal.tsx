import { Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { ClientPicker, ContactPicker, OwnerPicker } from '../../components/Pickers';
import { notifySaved, showApiErrors } from '../../forms';
import { DATE_INPUT_FORMAT } from '../clients/labels';
import { CALENDAR_LABELS } from '../programmes/labels';
import { problemKeys, todayIso } from './ProblemsLabels';

interface Values {
  clientId: string | null;
  title: string;
  description: string;
  reportedOn: string | null;
  reportedByContactId: string | null;
  ownerId: string | null;
}

/** "Report a problem": what went wrong, when, who reported it and who owns it. */
export function ProblemFormModal({
  opened,
  client,
  onClose,
  onCreated,
}: {
  opened: boolean;
  client?: { id: string; name: string } | null;
  onClose: () => void;
  onCreated?: (id: string) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Report a problem" size="lg">
      {opened && <ProblemForm client={client ?? null} onDone={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function ProblemForm({ client, onDone, onCreated }: { client: { id: string; name: string } | null; onDone: () => void; onCreated?: (id: string) => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: { clientId: client?.id ?? null, title: '', description: '', reportedOn: todayIso(), reportedByContactId: null, ownerId: null },
    validate: {
      clientId: (v) => (v ? null : 'Choose the client'),
      title: (v) => (v.trim() ? null : 'Say what went wrong'),
      reportedOn: (v) => (!v ? 'Say when it was reported' : v > todayIso() ? 'Must not be in the future' : null),
    },
  });
  const create = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.POST('/api/v1/problems', {
          body: {
            clientId: v.clientId ?? '',
            title: v.title.trim(),
            description: v.description.trim() || null,
            reportedOn: v.reportedOn ?? '',
            reportedByContactId: v.reportedByContactId,
            ownerId: v.ownerId,
          },
        }),
      ),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: problemKeys.all });
      notifySaved('Problem reported');
      onDone();
      onCreated?.(created.id);
    },
    onError: (err) => showApiErrors(form, err),
  });
  const clientId = form.getValues().clientId;
  return (
    <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
      <Stack>
        <ClientPicker
          initial={client}
          {...form.getInputProps('clientId')}
          onChange={(id) => {
            form.setFieldValue('clientId', id);
            form.setFieldValue('reportedByContactId', null);
          }}
        />
        <TextInput label="What went wrong" withAsterisk maxLength={300} data-autofocus {...form.getInputProps('title')} />
        <Textarea label="Details" autosize minRows={2} maxRows={8} maxLength={5000} {...form.getInputProps('description')} />
        <Group grow align="flex-start">
          <DatePickerInput
            label="Reported on"
            withAsterisk
            valueFormat={DATE_INPUT_FORMAT}
            maxDate={todayIso()}
            ariaLabels={CALENDAR_LABELS}
            {...form.getInputProps('reportedOn')}
          />
          {clientId ? <ContactPicker clientId={clientId} label="Reported by" {...form.getInputProps('reportedByContactId')} /> : <div />}
        </Group>
        <OwnerPicker initial={null} {...form.getInputProps('ownerId')} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Report problem
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
