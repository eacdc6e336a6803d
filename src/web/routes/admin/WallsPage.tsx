import { ActionIcon, Alert, Button, Center, Group, Loader, Modal, Select, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { IconInfoCircle, IconLockOpen, IconPencil, IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { UserMultiSelect } from '../../components/UserPicker';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import { AdminQueryError, AdminsOnly } from './AdminsOnly';

type Wall = Schemas['Wall'];

const WHAT_A_WALL_DOES = 'A walled client and everything under it is visible only to its listed members, admins included.';
const MEMBERS_SHOWN = 6;

/** Clients matching what was typed. Walled clients the admin is not on do not come back: by design. */
function ClientSelect({ value, onChange, error }: { value: string | null; onChange: (id: string | null) => void; error?: React.ReactNode }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const clients = useQuery({
    queryKey: ['clients', 'wall-picker', q],
    queryFn: () => unwrap(api.GET('/api/v1/clients', { params: { query: { ...(q ? { q } : {}), limit: 20 } } })),
    placeholderData: keepPreviousData,
  });
  const data = (clients.data?.items ?? []).map((c) => ({ value: c.id, label: c.walled ? `${c.name} (already walled)` : c.name, disabled: c.walled }));
  return (
    <Select
      label="Client"
      required
      placeholder="Type part of the client’s name"
      data={data}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={clients.isFetching ? 'Searching…' : 'No clients match'}
      error={error}
    />
  );
}

/** The API names a bad member as memberIds.N; the whole picker is the field to mark. */
function memberFieldMap(memberIds: string[]) {
  return Object.fromEntries(memberIds.map((_, i) => [`memberIds.${i}`, 'memberIds']));
}

function WallForm({ wall, onDone }: { wall?: Wall; onDone: () => void }) {
  const queryClient = useQueryClient();
  const { user } = useAuth();
  const form = useForm({
    initialValues: { clientId: wall?.clientId ?? (null as string | null), memberIds: wall?.members.map((m) => m.id) ?? [] },
    validate: {
      clientId: (v) => (v ? null : 'Choose a client'),
      memberIds: (v) => (v.length > 0 ? null : 'List at least one member; to lift the wall, use “Lift wall”'),
    },
  });
  const leavesMeOut = !!user && !form.values.memberIds.includes(user.id);
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        try {
          const saved = await unwrap(
            api.PUT('/api/v1/walls/{id}', { params: { path: { id: values.clientId as string } }, body: { walled: true, memberIds: values.memberIds } }),
          );
          // Walling changes who sees the client, so every client list is stale.
          await Promise.all([queryClient.invalidateQueries({ queryKey: ['walls'] }), queryClient.invalidateQueries({ queryKey: ['clients'] })]);
          notifySaved(wall ? `Saved who is listed on ${saved.clientName}.` : `${saved.clientName} is now walled.`);
          onDone();
        } catch (err) {
          showApiErrors(form, err, memberFieldMap(values.memberIds));
        }
      })}
    >
      <Stack>
        {!wall && <ClientSelect value={form.values.clientId} onChange={(id) => form.setFieldValue('clientId', id)} error={form.errors.clientId} />}
        <UserMultiSelect
          label="Listed members"
          description="Only these people will see the client, its contacts, matters and everything recorded about it."
          value={form.values.memberIds}
          onChange={(ids) => form.setFieldValue('memberIds', ids)}
          initialUsers={wall?.members ?? []}
          error={form.errors.memberIds}
        />
        {leavesMeOut && (
          <Alert color="blue" icon={<IconInfoCircle aria-hidden />}>
            You are not listed, so once saved you will no longer see this client’s records. You can still change who is listed here.
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            {wall ? 'Save members' : 'Wall client'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function MemberNames({ members }: { members: Wall['members'] }) {
  const shown = members.slice(0, MEMBERS_SHOWN);
  const more = members.length - shown.length;
  return (
    <Text size="sm">
      {shown.map((m) => m.name).join(', ')}
      {more > 0 && (
        <Text span c="dimmed" size="sm">
          {' '}
          and {more} more
        </Text>
      )}
    </Text>
  );
}

function WallsAdmin() {
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Wall>();
  const [lifting, setLifting] = useState<Wall>();
  const walls = useQuery({ queryKey: ['walls'], queryFn: () => unwrap(api.GET('/api/v1/walls')) });

  return (
    <>
      <PageHeader
        title="Ethical walls"
        description={WHAT_A_WALL_DOES}
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            Wall a client
          </Button>
        }
      />
      {walls.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading walls" />
        </Center>
      ) : walls.isError ? (
        <AdminQueryError error={walls.error} onRetry={() => walls.refetch()} />
      ) : walls.data.items.length === 0 ? (
        <EmptyState title="No walled clients">
          Wall a client when a conflict of interest means only certain people may know about the work. You list who may see it; everyone else, admins included,
          will not find it anywhere in Hearken.
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Client</Table.Th>
                <Table.Th>Listed members</Table.Th>
                <Table.Th ta="right">Count</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {walls.data.items.map((w) => (
                <Table.Tr key={w.clientId}>
                  <Table.Td fw={500}>{w.clientName}</Table.Td>
                  <Table.Td maw={560}>
                    <MemberNames members={w.members} />
                  </Table.Td>
                  <Table.Td ta="right">{w.members.length}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <Tooltip label="Edit members">
                        <ActionIcon variant="subtle" color="gray" aria-label={`Edit members of ${w.clientName}`} onClick={() => setEditing(w)}>
                          <IconPencil size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Lift wall">
                        <ActionIcon variant="subtle" color="red" aria-label={`Lift wall around ${w.clientName}`} onClick={() => setLifting(w)}>
                          <IconLockOpen size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <Modal opened={creating} onClose={() => setCreating(false)} title="Wall a client" size="lg">
        {creating && <WallForm onDone={() => setCreating(false)} />}
      </Modal>
      <Modal opened={!!editing} onClose={() => setEditing(undefined)} title={editing ? `Who may see ${editing.clientName}` : 'Edit wall'} size="lg">
        {editing && <WallForm key={editing.clientId} wall={editing} onDone={() => setEditing(undefined)} />}
      </Modal>
      <ConfirmDialog
        opened={!!lifting}
        title="Lift the wall?"
        confirmLabel="Lift wall"
        onClose={() => setLifting(undefined)}
        onConfirm={async () => {
          if (!lifting) {
            return;
          }
          try {
            await unwrap(api.PUT('/api/v1/walls/{id}', { params: { path: { id: lifting.clientId } }, body: { walled: false, memberIds: [] } }));
            await Promise.all([queryClient.invalidateQueries({ queryKey: ['walls'] }), queryClient.invalidateQueries({ queryKey: ['clients'] })]);
            notifySaved(`The wall around ${lifting.clientName} is lifted.`);
            setLifting(undefined);
          } catch (err) {
            notifyFailed('Wall not lifted', err);
          }
        }}
      >
        <Text size="sm">
          <strong>{lifting?.clientName}</strong> and everything recorded about it will become visible to everyone in the firm who can see clients. The list of
          members is discarded.
        </Text>
      </ConfirmDialog>
    </>
  );
}

export function WallsPage() {
  return (
    <AdminsOnly title="Ethical walls" ability="manageWalls">
      <WallsAdmin />
    </AdminsOnly>
  );
}
