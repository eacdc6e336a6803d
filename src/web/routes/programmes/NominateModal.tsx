import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem, api, type Schemas, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { notifySaved, showApiErrors } from '../../forms';
import { ClientMultiSelect } from './ClientMultiSelect';
import { plural } from './labels';
import { programmeKeys } from './queries';

type Client = Schemas['Client'];

interface NominateModalProps {
  opened: boolean;
  onClose: () => void;
  /**
   * propose: a programme lead sends clients to their relationship partners;
   * volunteer: a partner puts forward their own clients.
   */
  mode: 'propose' | 'volunteer';
  /** The programme; without it (the inbox) the partner chooses among open programmes. */
  programme?: { id: string; name: string };
}

/** Puts clients forward for a programme: proposed by the lead, or volunteered by their partner. */
export function NominateModal({ opened, onClose, mode, programme }: NominateModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={mode === 'propose' ? 'Propose clients' : 'Volunteer clients'} size="lg">
      {opened && <NominateForm mode={mode} programme={programme} onDone={onClose} />}
    </Modal>
  );
}

interface Values {
  programmeId: string | null;
  clientIds: string[];
  note: string;
}

function NominateForm({ mode, programme, onDone }: { mode: NominateModalProps['mode']; programme: NominateModalProps['programme']; onDone: () => void }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const [clients, setClients] = useState<Client[]>([]);
  const form = useForm<Values>({
    initialValues: { programmeId: programme?.id ?? null, clientIds: [], note: '' },
    validate: {
      programmeId: (v) => (v ? null : 'Choose the programme'),
      clientIds: (v) => (v.length === 0 ? 'Choose at least one client' : v.length > 200 ? 'Choose at most 200 clients at a time' : null),
      note: (v) => (v.length > 2000 ? 'Use at most 2,000 characters' : null),
    },
  });
  const programmes = useQuery({
    queryKey: [...programmeKeys.lists(), 'open'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/programmes', { params: { query: { status: 'active,draft', limit: 200 } } }))).items,
    enabled: !programme,
  });

  const submit = useMutation({
    mutationFn: (values: Values) =>
      unwrap(
        api.POST('/api/v1/programmes/{id}/nominations', {
          params: { path: { id: values.programmeId ?? '' } },
          body: { clientIds: values.clientIds, note: values.note.trim() || null, volunteer: mode === 'volunteer' },
        }),
      ),
  });

  const save = async (values: Values) => {
    try {
      const { items } = await submit.mutateAsync(values);
      await queryClient.invalidateQueries({ queryKey: programmeKeys.detail(values.programmeId ?? '') });
      await queryClient.invalidateQueries({ queryKey: ['nominations'] });
      notifySaved(
        mode === 'propose'
          ? `${plural(items.length, 'nomination')} sent to ${plural(new Set(items.map((n) => n.partner.id)).size, 'partner')}`
          : `${plural(items.length, 'client')} put forward — thank you`,
      );
      onDone();
    } catch (err) {
      // The API names the client by its place in the list (clientIds.2): say which client it is.
      if (err instanceof ApiProblem) {
        const entry = Object.entries(err.fieldErrors).find(([field]) => field.startsWith('clientIds.'));
        if (entry) {
          const name = clients.find((c) => c.id === values.clientIds[Number(entry[0].split('.')[1])])?.name;
          form.setFieldError('clientIds', name && !entry[1].includes(name) ? `${name}: ${entry[1]}` : capitalise(entry[1]));
          return;
        }
      }
      showApiErrors(form, err);
    }
  };

  const withoutPartner = clients.filter((c) => c.relationshipPartners.length === 0);
  return (
    <form onSubmit={form.onSubmit(save)} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          {mode === 'propose'
            ? 'Each client goes to each of its relationship partners, who answer yes, not now or no from their inbox.'
            : 'Clients you volunteer count as accepted at once. Unhappy, lapsed and lost clients are the ones the firm learns most from.'}
        </Text>
        {programme ? (
          <Text size="sm">
            Programme: <strong>{programme.name}</strong>
          </Text>
        ) : (
          <Select
            label="Programme"
            withAsterisk
            data={(programmes.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            nothingFoundMessage={programmes.isPending ? 'Loading…' : 'No open programme'}
            {...form.getInputProps('programmeId')}
          />
        )}
        <ClientMultiSelect
          label="Clients"
          withAsterisk
          description={mode === 'volunteer' ? 'Clients for which you are a relationship partner' : 'Search by name; each shows who will be asked'}
          partnerId={mode === 'volunteer' ? user?.id : undefined}
          value={form.values.clientIds}
          onChange={(ids, picked) => {
            form.setFieldValue('clientIds', ids);
            form.clearFieldError('clientIds');
            setClients(picked);
          }}
          error={form.errors.clientIds}
        />
        {mode === 'propose' && withoutPartner.length > 0 && (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} p="sm">
            {withoutPartner.map((c) => c.name).join(', ')} {withoutPartner.length === 1 ? 'has' : 'have'} no relationship partner to answer. Add one to the
            client’s team first.
          </Alert>
        )}
        <Textarea
          label={mode === 'propose' ? 'Note to the partners' : 'Note'}
          description={mode === 'propose' ? 'Why these clients, and why now' : undefined}
          autosize
          minRows={2}
          maxRows={6}
          {...form.getInputProps('note')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            {mode === 'propose' ? 'Send to partners' : 'Volunteer'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function capitalise(message: string) {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
