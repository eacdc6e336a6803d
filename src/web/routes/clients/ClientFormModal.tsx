import { Alert, Button, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Switch, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLock } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, type Schemas, unwrap } from '../../api/client';
import { notifySaved, showApiErrors } from '../../forms';
import { type ClientStatus, clientStatusOptions } from './labels';
import { ParentClientSelect } from './ParentClientSelect';
import { clientKeys } from './queries';

type ClientDetail = Schemas['ClientDetail'];

interface ClientFormValues {
  name: string;
  status: ClientStatus;
  industry: string;
  /** NumberInput gives '' while the box is empty. */
  annualFees: number | string;
  isKeyClient: boolean;
  parentId: string | null;
  competitors: string[];
  notes: string;
  walled: boolean;
}

interface ClientFormModalProps {
  opened: boolean;
  onClose: () => void;
  /** The client to edit; without it the form creates a new client. */
  client?: ClientDetail;
}

/** Creates a client (then opens its page) or edits one, in a modal over the current page. */
export function ClientFormModal({ opened, onClose, client }: ClientFormModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={client ? `Edit ${client.name}` : 'New client'} size="lg">
      {/* Mounted only while open, so every opening starts from the client's current values. */}
      {opened && <ClientForm client={client} onDone={onClose} />}
    </Modal>
  );
}

/** The current parent, named even when it is walled off from the editor (the API then gives only its id). */
function parentShown(client: ClientDetail | undefined): { id: string; name: string } | null {
  if (!client?.parentId) {
    return null;
  }
  return client.parent ?? { id: client.parentId, name: 'A client you do not have access to' };
}

function ClientForm({ client, onDone }: { client: ClientDetail | undefined; onDone: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useForm<ClientFormValues>({
    initialValues: {
      name: client?.name ?? '',
      status: client?.status ?? 'active',
      industry: client?.industry ?? '',
      annualFees: client?.annualFees ?? '',
      isKeyClient: client?.isKeyClient ?? false,
      parentId: client?.parentId ?? null,
      competitors: client?.competitors ?? [],
      notes: client?.notes ?? '',
      walled: false,
    },
    validate: {
      name: (v) => (!v.trim() ? 'Enter the client’s name' : v.trim().length > 200 ? 'Use at most 200 characters' : null),
      industry: (v) => (v.trim().length > 120 ? 'Use at most 120 characters' : null),
      annualFees: (v) => (typeof v === 'number' && v < 0 ? 'Fees cannot be negative' : null),
      competitors: (v) =>
        v.some((c) => c.length > 200) ? 'Each name can have at most 200 characters' : v.length > 100 ? 'List at most 100 competitors' : null,
      notes: (v) => (v.length > 5000 ? 'Use at most 5,000 characters' : null),
    },
  });

  // A mutation (not a bare call) so that the app-wide handler sees a 401 and signs the user out.
  const saveClient = useMutation({
    mutationFn: (values: ClientFormValues) => {
      const fields = {
        name: values.name.trim(),
        status: values.status,
        industry: values.industry.trim() || null,
        annualFees: typeof values.annualFees === 'number' ? values.annualFees : null,
        isKeyClient: values.isKeyClient,
        competitors: values.competitors,
        notes: values.notes.trim() || null,
      };
      if (!client) {
        return unwrap(api.POST('/api/v1/clients', { body: { ...fields, parentId: values.parentId, walled: values.walled } }));
      }
      // The parent is sent only when changed: it may be a client behind a wall the editor cannot see.
      const parent = values.parentId === client.parentId ? {} : { parentId: values.parentId };
      return unwrap(api.PATCH('/api/v1/clients/{id}', { params: { path: { id: client.id } }, body: { ...fields, ...parent } }));
    },
  });

  const save = async (values: ClientFormValues) => {
    try {
      const saved = await saveClient.mutateAsync(values);
      queryClient.setQueryData(clientKeys.detail(saved.id), saved);
      if (client) {
        // Every list, and the pages of its parent and subsidiaries, may show what changed.
        await queryClient.invalidateQueries({ queryKey: clientKeys.all });
        notifySaved('Client saved');
        onDone();
      } else {
        await queryClient.invalidateQueries({ queryKey: clientKeys.lists() });
        notifySaved(`${saved.name} created`);
        onDone();
        await navigate(`/clients/${saved.id}`);
      }
    } catch (err) {
      showApiErrors(form, err);
    }
  };

  return (
    <form onSubmit={form.onSubmit(save)} noValidate>
      <Stack>
        <TextInput label="Name" withAsterisk data-autofocus autoComplete="off" {...form.getInputProps('name')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label="Status" data={clientStatusOptions} allowDeselect={false} {...form.getInputProps('status')} />
          <TextInput label="Industry" placeholder="e.g. Financial services" {...form.getInputProps('industry')} />
          <NumberInput
            label="Annual fees"
            description="Billed per year, in the firm’s currency"
            min={0}
            allowNegative={false}
            decimalScale={2}
            thousandSeparator=","
            {...form.getInputProps('annualFees')}
          />
          <ParentClientSelect
            value={form.values.parentId}
            initialParent={parentShown(client)}
            excludeId={client?.id}
            onChange={(id) => form.setFieldValue('parentId', id)}
            error={form.errors.parentId}
          />
        </SimpleGrid>
        <Switch label="Key client" description="One of the firm’s most important relationships" {...form.getInputProps('isKeyClient', { type: 'checkbox' })} />
        <TagsInput
          label="Competitors"
          description="Brands to avoid in documents and hospitality; press Enter after each"
          clearable
          clearButtonProps={{ 'aria-label': 'Remove all competitors' }}
          {...form.getInputProps('competitors')}
        />
        <Textarea label="Notes" autosize minRows={3} maxRows={10} {...form.getInputProps('notes')} />
        {!client && (
          <Alert variant="light" color="gray" icon={<IconLock size={18} aria-hidden />} p="sm">
            <Switch
              label="Behind an ethical wall"
              description="Only people listed on the wall will see this client, its contacts and its matters. You are listed automatically; an administrator can list others under Ethical walls."
              {...form.getInputProps('walled', { type: 'checkbox' })}
            />
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            {client ? 'Save changes' : 'Create client'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
