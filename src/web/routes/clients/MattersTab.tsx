import { ActionIcon, Button, Group, Modal, Select, SimpleGrid, Skeleton, Stack, Table, Text, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import { DATE_INPUT_FORMAT, formatDate, type MatterStatus, matterStatusOptions } from './labels';
import { Dash, MatterStatusBadge } from './parts';
import { clientKeys, useMatters } from './queries';

type ClientDetail = Schemas['ClientDetail'];
type Matter = Schemas['Matter'];
/** A whole matter as the form sends it; fits both create and update. */
type MatterBody = paths['/api/v1/clients/{id}/matters']['post']['requestBody']['content']['application/json'];

/** The work the firm does for the client: open matters first, newest first. */
export function MattersTab({ client, can }: { client: ClientDetail; can: ClientDetail['abilities'] }) {
  const matters = useMatters(client.id);
  const [editing, setEditing] = useState<Matter | 'new' | undefined>();
  const [deleting, setDeleting] = useState<Matter | undefined>();
  const queryClient = useQueryClient();

  const deleteMatter = useMutation({
    mutationFn: (matter: Matter) => unwrap(api.DELETE('/api/v1/clients/{id}/matters/{matterId}', { params: { path: { id: client.id, matterId: matter.id } } })),
  });
  const remove = async (matter: Matter) => {
    try {
      await deleteMatter.mutateAsync(matter);
      await queryClient.invalidateQueries({ queryKey: clientKeys.detail(client.id) });
      notifySaved(`${matter.name} deleted`);
    } catch (err) {
      notifyFailed('Not deleted', err);
    }
    setDeleting(undefined);
  };

  const addButton = can.editMatters && (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
      Add matter
    </Button>
  );

  let content: React.ReactNode;
  if (matters.isPending) {
    content = <Skeleton height={160} />;
  } else if (matters.isError) {
    content = <QueryError error={matters.error} onRetry={() => matters.refetch()} />;
  } else if (matters.data.length === 0) {
    content = (
      <EmptyState title="No matters yet" action={addButton}>
        Record the matters the firm works on for {client.name}, with the client’s own project code where invoices must be split by it.
      </EmptyState>
    );
  } else {
    content = (
      <Table.ScrollContainer minWidth={960}>
        <Table verticalSpacing="sm" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Reference</Table.Th>
              <Table.Th>Practice area</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Opened</Table.Th>
              <Table.Th>Closed</Table.Th>
              <Table.Th>Client project code</Table.Th>
              {can.editMatters && (
                <Table.Th w={90}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {matters.data.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td fw={500}>{m.name}</Table.Td>
                <Table.Td>{m.reference ?? <Dash />}</Table.Td>
                <Table.Td>{m.practiceArea ?? <Dash />}</Table.Td>
                <Table.Td>
                  <MatterStatusBadge status={m.status} />
                </Table.Td>
                <Table.Td>{m.openedOn ? formatDate(m.openedOn) : <Dash />}</Table.Td>
                <Table.Td>{m.closedOn ? formatDate(m.closedOn) : <Dash />}</Table.Td>
                <Table.Td>{m.clientProjectCode ?? <Dash />}</Table.Td>
                {can.editMatters && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label="Edit">
                        <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${m.name}`} onClick={() => setEditing(m)}>
                          <IconPencil size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Delete">
                        <ActionIcon variant="subtle" color="red" aria-label={`Delete ${m.name}`} onClick={() => setDeleting(m)}>
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <Stack gap="md">
      {matters.data?.length ? (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {openCount(matters.data)} of {matters.data.length} not closed.
          </Text>
          {addButton}
        </Group>
      ) : null}
      {content}
      <Modal opened={editing !== undefined} onClose={() => setEditing(undefined)} title={editing === 'new' ? 'Add matter' : 'Edit matter'} size="lg">
        {editing !== undefined && <MatterForm clientId={client.id} matter={editing === 'new' ? undefined : editing} onDone={() => setEditing(undefined)} />}
      </Modal>
      <ConfirmDialog
        opened={deleting !== undefined}
        onClose={() => setDeleting(undefined)}
        title={`Delete ${deleting?.name ?? 'matter'}?`}
        confirmLabel="Delete matter"
        onConfirm={() => deleting && remove(deleting)}
      >
        The matter will be deleted. If the work is over, edit it and set the closing date instead, so that its history stays.
      </ConfirmDialog>
    </Stack>
  );
}

function openCount(matters: Matter[]) {
  return matters.filter((m) => m.status !== 'closed').length;
}

interface MatterFormValues {
  name: string;
  reference: string;
  practiceArea: string;
  status: MatterStatus;
  openedOn: string | null;
  closedOn: string | null;
  clientProjectCode: string;
}

const maxLength = (max: number) => (v: string) => (v.trim().length > max ? `Use at most ${max} characters` : null);

function MatterForm({ clientId, matter, onDone }: { clientId: string; matter: Matter | undefined; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<MatterFormValues>({
    validateInputOnChange: ['closedOn'],
    initialValues: {
      name: matter?.name ?? '',
      reference: matter?.reference ?? '',
      practiceArea: matter?.practiceArea ?? '',
      status: matter?.status ?? 'open',
      openedOn: matter?.openedOn ?? null,
      closedOn: matter?.closedOn ?? null,
      clientProjectCode: matter?.clientProjectCode ?? '',
    },
    validate: {
      name: (v) => (!v.trim() ? 'Enter the matter’s name' : maxLength(300)(v)),
      reference: maxLength(100),
      practiceArea: maxLength(120),
      // Dates are YYYY-MM-DD, so comparing the strings compares the dates.
      closedOn: (v, values) => (v && values.openedOn && v < values.openedOn ? 'The closing date cannot be before the opening date' : null),
      clientProjectCode: maxLength(100),
    },
  });

  const saveMatter = useMutation({
    mutationFn: (body: MatterBody) =>
      matter
        ? unwrap(api.PATCH('/api/v1/clients/{id}/matters/{matterId}', { params: { path: { id: clientId, matterId: matter.id } }, body }))
        : unwrap(api.POST('/api/v1/clients/{id}/matters', { params: { path: { id: clientId } }, body })),
  });

  const save = async (values: MatterFormValues) => {
    const body = {
      name: values.name.trim(),
      reference: values.reference.trim() || null,
      practiceArea: values.practiceArea.trim() || null,
      status: values.status,
      openedOn: values.openedOn || null,
      closedOn: values.closedOn || null,
      clientProjectCode: values.clientProjectCode.trim() || null,
    };
    try {
      await saveMatter.mutateAsync(body);
      await queryClient.invalidateQueries({ queryKey: clientKeys.detail(clientId) });
      notifySaved(matter ? 'Matter saved' : `${body.name} added`);
      onDone();
    } catch (err) {
      showApiErrors(form, err);
    }
  };

  return (
    <form onSubmit={form.onSubmit(save)} noValidate>
      <Stack>
        <TextInput label="Name" withAsterisk data-autofocus autoComplete="off" {...form.getInputProps('name')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Reference" description="The firm’s matter number" autoComplete="off" {...form.getInputProps('reference')} />
          <TextInput label="Practice area" placeholder="e.g. Employment" {...form.getInputProps('practiceArea')} />
          <Select label="Status" data={matterStatusOptions} allowDeselect={false} {...form.getInputProps('status')} />
          <TextInput
            label="Client project code"
            description="The client’s own project or cost-centre code, for split invoices"
            autoComplete="off"
            {...form.getInputProps('clientProjectCode')}
          />
          <DateInput
            label="Opened on"
            valueFormat={DATE_INPUT_FORMAT}
            placeholder="e.g. 3 Feb 2025"
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the opening date' }}
            {...form.getInputProps('openedOn')}
          />
          <DateInput
            label="Closed on"
            valueFormat={DATE_INPUT_FORMAT}
            placeholder="Still open"
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the closing date' }}
            {...form.getInputProps('closedOn')}
          />
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            {matter ? 'Save changes' : 'Add matter'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
