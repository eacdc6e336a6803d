import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Center,
  Group,
  Loader,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { IconKey, IconLock, IconPencil, IconPlus, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, type Schemas, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import { DIGEST_LABELS } from '../notifications/labels';
import { AdminQueryError, AdminsOnly } from './AdminsOnly';
import { ROLES, type Role, roleDescription, roleLabel } from './labels';
import { OneTimeSecretModal } from './OneTimeSecretModal';
import { StatusBadge } from './StatusBadge';

type User = Schemas['User'];

const PAGE_SIZE = 25;
const MIN_PASSWORD_LENGTH = 12;
const roleOptions = ROLES.map(({ value, label }) => ({ value, label }));

/** The role picker: each option carries its one-line meaning, and so does the field once chosen. */
function RoleSelect(props: { value: Role; onChange: (role: Role) => void; error?: React.ReactNode }) {
  return (
    <Select
      label="Role"
      data={roleOptions}
      value={props.value}
      onChange={(v) => v && props.onChange(v as Role)}
      allowDeselect={false}
      description={roleDescription(props.value)}
      error={props.error}
      renderOption={({ option }) => (
        <Stack gap={0}>
          <Text size="sm">{option.label}</Text>
          <Text size="xs" c="dimmed">
            {roleDescription(option.value as Role)}
          </Text>
        </Stack>
      )}
    />
  );
}

const isEmail = (v: string) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter an email address');
const isRequired = (what: string) => (v: string) => (v.trim() ? null : `Enter ${what}`);

interface OneTimePassword {
  user: User;
  password: string;
  reason: 'created' | 'reset';
}

function NewUserModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (shown: OneTimePassword | undefined) => void }) {
  const form = useForm({
    initialValues: { email: '', name: '', title: '', office: '', role: 'member' as Role, password: '' },
    validate: {
      email: isEmail,
      name: isRequired('a name'),
      password: (v) => (v && v.length < MIN_PASSWORD_LENGTH ? `At least ${MIN_PASSWORD_LENGTH} characters, or leave empty to generate one` : null),
    },
  });
  const close = () => {
    form.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="New user" size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit(async (values) => {
          try {
            const created = await unwrap(
              api.POST('/api/v1/users', {
                body: {
                  email: values.email,
                  name: values.name,
                  title: values.title || null,
                  office: values.office || null,
                  role: values.role,
                  ...(values.password ? { password: values.password } : {}),
                },
              }),
            );
            form.reset();
            onCreated(created.password ? { user: created.user, password: created.password, reason: 'created' } : undefined);
            notifySaved(`${created.user.name} can now sign in.`);
          } catch (err) {
            showApiErrors(form, err);
          }
        })}
      >
        <Stack>
          <Group grow align="flex-start">
            <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
            <TextInput label="Email" type="email" required autoComplete="off" {...form.getInputProps('email')} />
          </Group>
          <Group grow align="flex-start">
            <TextInput label="Title" placeholder="e.g. Partner" {...form.getInputProps('title')} />
            <TextInput label="Office" placeholder="e.g. London" {...form.getInputProps('office')} />
          </Group>
          <RoleSelect value={form.values.role} onChange={(role) => form.setFieldValue('role', role)} error={form.errors.role} />
          <PasswordInput
            label="Initial password"
            description={`Optional, at least ${MIN_PASSWORD_LENGTH} characters. Leave empty and Hearken generates one and shows it once.`}
            autoComplete="new-password"
            {...form.getInputProps('password')}
            // Mantine marks an invalid password field only with a data attribute.
            aria-invalid={!!form.errors.password}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Create user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EditUserForm({ user, onDone }: { user: User; onDone: () => void }) {
  const queryClient = useQueryClient();
  const { user: me } = useAuth();
  const [unlocking, setUnlocking] = useState(false);
  const form = useForm({
    initialValues: { email: user.email, name: user.name, title: user.title ?? '', office: user.office ?? '', role: user.role, active: user.active },
    validate: { email: isEmail, name: isRequired('a name') },
  });
  const isSelf = me?.id === user.id;

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        try {
          await unwrap(
            api.PATCH('/api/v1/users/{id}', {
              params: { path: { id: user.id } },
              body: { ...values, title: values.title || null, office: values.office || null },
            }),
          );
          await queryClient.invalidateQueries({ queryKey: ['users'] });
          notifySaved(`Saved ${values.name}.`);
          onDone();
        } catch (err) {
          showApiErrors(form, err);
        }
      })}
    >
      <Stack>
        {user.locked && (
          <Alert color="red" icon={<IconLock aria-hidden />} title="Sign-in is locked">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">Too many wrong passwords. The lock lifts by itself after a while, or unlock it now.</Text>
              <Button
                size="xs"
                variant="default"
                loading={unlocking}
                onClick={async () => {
                  setUnlocking(true);
                  try {
                    await unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: { unlock: true } }));
                    await queryClient.invalidateQueries({ queryKey: ['users'] });
                    notifySaved(`${user.name} can sign in again.`);
                  } catch (err) {
                    showApiErrors(form, err);
                  } finally {
                    setUnlocking(false);
                  }
                }}
              >
                Unlock
              </Button>
            </Stack>
          </Alert>
        )}
        <Group grow align="flex-start">
          <TextInput label="Name" required {...form.getInputProps('name')} />
          <TextInput label="Email" type="email" required autoComplete="off" {...form.getInputProps('email')} />
        </Group>
        <Group grow align="flex-start">
          <TextInput label="Title" {...form.getInputProps('title')} />
          <TextInput label="Office" {...form.getInputProps('office')} />
        </Group>
        <RoleSelect value={form.values.role} onChange={(role) => form.setFieldValue('role', role)} error={form.errors.role} />
        <Switch
          label="Active"
          description={isSelf ? 'You cannot deactivate yourself.' : 'Inactive users cannot sign in, and their sessions and tokens stop working at once.'}
          disabled={isSelf}
          {...form.getInputProps('active', { type: 'checkbox' })}
        />
        <Group justify="space-between">
          <Anchor component={Link} to={`/admin/audit?entity=user&entityId=${user.id}`} size="sm">
            Audit history
          </Anchor>
          <Group>
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Save
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

function StatusBadges({ user }: { user: User }) {
  return (
    <Group gap={4} wrap="nowrap">
      {user.active ? <StatusBadge color="green">Active</StatusBadge> : <StatusBadge color="gray">Inactive</StatusBadge>}
      {user.locked && <StatusBadge color="red">Locked</StatusBadge>}
    </Group>
  );
}

function UsersTable({ users, onEdit, onReset }: { users: User[]; onEdit: (u: User) => void; onReset: (u: User) => void }) {
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table striped highlightOnHover verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Title</Table.Th>
            <Table.Th>Office</Table.Th>
            <Table.Th>Teams</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Digest</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td fw={500}>{u.name}</Table.Td>
              <Table.Td>{u.email}</Table.Td>
              <Table.Td>{roleLabel(u.role)}</Table.Td>
              <Table.Td>{u.title ?? ''}</Table.Td>
              <Table.Td>{u.office ?? ''}</Table.Td>
              <Table.Td maw={220}>
                <Text size="sm" lineClamp={2}>
                  {u.teams.map((t) => t.name).join(', ')}
                </Text>
              </Table.Td>
              <Table.Td>
                <StatusBadges user={u} />
              </Table.Td>
              <Table.Td>{DIGEST_LABELS[u.digestFrequency]}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap" justify="flex-end">
                  <Tooltip label="Edit">
                    <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${u.name}`} onClick={() => onEdit(u)}>
                      <IconPencil size={16} aria-hidden />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label="Reset password">
                    <ActionIcon variant="subtle" color="gray" aria-label={`Reset password for ${u.name}`} onClick={() => onReset(u)}>
                      <IconKey size={16} aria-hidden />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function UsersAdmin() {
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [role, setRole] = useState<Role | null>(null);
  const [status, setStatus] = useState<'true' | 'false' | null>('true');
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string>();
  const [resetTarget, setResetTarget] = useState<User>();
  const [oneTime, setOneTime] = useState<OneTimePassword>();

  const users = useInfiniteQuery({
    queryKey: ['users', 'list', { q, role, status }],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/users', {
          params: {
            query: {
              ...(q ? { q } : {}),
              ...(role ? { role } : {}),
              ...(status ? { active: status } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
              limit: PAGE_SIZE,
            },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];
  // Looked up in the fresh list, so that the edit dialog shows an unlock as soon as it happens.
  const editing = rows.find((u) => u.id === editingId);
  const filtered = !!(q || role || status);

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in to Hearken, their role and their teams."
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            New user
          </Button>
        }
      />
      <Group mb="md" align="flex-end">
        <TextInput
          label="Search"
          placeholder="Name or email"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={280}
        />
        <Select label="Role" placeholder="Any role" data={roleOptions} value={role} onChange={(v) => setRole(v as Role | null)} clearable w={200} />
        <Select
          label="Status"
          data={[
            { value: 'true', label: 'Active' },
            { value: 'false', label: 'Inactive' },
          ]}
          placeholder="Active and inactive"
          value={status}
          onChange={(v) => setStatus(v as 'true' | 'false' | null)}
          clearable
          w={200}
        />
      </Group>

      {users.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading users" />
        </Center>
      ) : users.isError ? (
        <AdminQueryError error={users.error} onRetry={() => users.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          title={filtered ? 'No users match these filters' : 'No users yet'}
          action={
            filtered ? (
              <Button
                variant="light"
                onClick={() => {
                  setSearch('');
                  setRole(null);
                  setStatus(null);
                }}
              >
                Clear filters
              </Button>
            ) : undefined
          }
        >
          {filtered ? 'Try another name, or clear the filters to see everyone.' : 'Add the people of your firm with “New user”.'}
        </EmptyState>
      ) : (
        <Stack gap="sm">
          <UsersTable users={rows} onEdit={(u) => setEditingId(u.id)} onReset={setResetTarget} />
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              Showing {rows.length} {rows.length === 1 ? 'user' : 'users'}
              {users.hasNextPage ? ' so far' : ''}
            </Text>
            {users.hasNextPage && (
              <Button variant="default" onClick={() => users.fetchNextPage()} loading={users.isFetchingNextPage}>
                Load more
              </Button>
            )}
          </Group>
        </Stack>
      )}

      <NewUserModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(shown) => {
          setCreating(false);
          setOneTime(shown);
          void queryClient.invalidateQueries({ queryKey: ['users'] });
        }}
      />

      <Modal opened={!!editing} onClose={() => setEditingId(undefined)} title={editing ? `Edit ${editing.name}` : 'Edit user'} size="lg">
        {editing && <EditUserForm key={editing.id} user={editing} onDone={() => setEditingId(undefined)} />}
      </Modal>

      <ConfirmDialog
        opened={!!resetTarget}
        title="Reset password?"
        confirmLabel="Reset password"
        onClose={() => setResetTarget(undefined)}
        onConfirm={async () => {
          if (!resetTarget) {
            return;
          }
          try {
            const { password } = await unwrap(api.POST('/api/v1/users/{id}/reset-password', { params: { path: { id: resetTarget.id } } }));
            setOneTime({ user: resetTarget, password, reason: 'reset' });
            setResetTarget(undefined);
            void queryClient.invalidateQueries({ queryKey: ['users'] });
          } catch (err) {
            notifyFailed('Password not reset', err);
          }
        }}
      >
        <Text size="sm">
          {resetTarget?.name}’s current password will stop working and they will be signed out everywhere. Hearken will show you a temporary password to give
          them.
        </Text>
      </ConfirmDialog>

      <OneTimeSecretModal
        opened={!!oneTime}
        title={oneTime?.reason === 'reset' ? 'Password reset' : 'User created'}
        label="Temporary password"
        secret={oneTime?.password ?? ''}
        onClose={() => setOneTime(undefined)}
      >
        <Text size="sm">
          Give this password to {oneTime?.user.name} ({oneTime?.user.email}) in person or by a channel you trust. They can change it on their Account page after
          signing in.
        </Text>
      </OneTimeSecretModal>
    </>
  );
}

export function UsersPage() {
  return (
    <AdminsOnly title="Users" ability="manageUsers">
      <UsersAdmin />
    </AdminsOnly>
  );
}
