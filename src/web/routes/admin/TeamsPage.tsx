import { ActionIcon, Button, Center, Group, Loader, Modal, Select, Stack, Table, Text, Textarea, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { type PickedUser, UserMultiSelect } from '../../components/UserPicker';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import { AdminQueryError, AdminsOnly } from './AdminsOnly';
import { TEAM_KINDS, type TeamKind, teamKindLabel } from './labels';
import { StatusBadge } from './StatusBadge';

type Team = Schemas['Team'];

const KIND_COLORS: Record<TeamKind, string> = { practice_group: 'indigo', team: 'teal', office: 'grape' };

interface TeamFormProps {
  team?: Team;
  members: PickedUser[];
  onDone: () => void;
}

/** Create or edit one team; the member list is sent whole and replaces the old one. */
function TeamForm({ team, members, onDone }: TeamFormProps) {
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: {
      name: team?.name ?? '',
      kind: (team?.kind ?? 'practice_group') as TeamKind,
      description: team?.description ?? '',
      memberIds: members.map((m) => m.id),
    },
    validate: { name: (v) => (v.trim() ? null : 'Enter a name') },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        const body = { ...values, description: values.description || null };
        try {
          const saved = team
            ? await unwrap(api.PATCH('/api/v1/teams/{id}', { params: { path: { id: team.id } }, body }))
            : await unwrap(api.POST('/api/v1/teams', { body }));
          // Users show their teams, so both lists change.
          await Promise.all([queryClient.invalidateQueries({ queryKey: ['teams'] }), queryClient.invalidateQueries({ queryKey: ['users'] })]);
          notifySaved(team ? `Saved ${saved.name}.` : `Created ${saved.name}.`);
          onDone();
        } catch (err) {
          // The API names a bad member as memberIds.N; the whole picker is the field to mark.
          const fieldMap = Object.fromEntries(values.memberIds.map((_, i) => [`memberIds.${i}`, 'memberIds']));
          showApiErrors(form, err, fieldMap);
        }
      })}
    >
      <Stack>
        <TextInput label="Name" required data-autofocus placeholder="e.g. Corporate M&A" {...form.getInputProps('name')} />
        <Select
          label="Kind"
          data={TEAM_KINDS}
          allowDeselect={false}
          value={form.values.kind}
          onChange={(v) => v && form.setFieldValue('kind', v as TeamKind)}
        />
        <Textarea label="Description" autosize minRows={2} maxRows={6} {...form.getInputProps('description')} />
        <UserMultiSelect
          label="Members"
          description="Search by name or email."
          value={form.values.memberIds}
          onChange={(ids) => form.setFieldValue('memberIds', ids)}
          initialUsers={members}
          error={form.errors.memberIds}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            {team ? 'Save' : 'Create team'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Loads the team's members (the list view has only a count) before showing the form. */
function EditTeam({ team, onDone }: { team: Team; onDone: () => void }) {
  const detail = useQuery({
    queryKey: ['teams', 'detail', team.id],
    queryFn: () => unwrap(api.GET('/api/v1/teams/{id}', { params: { path: { id: team.id } } })),
  });
  if (detail.isPending) {
    return (
      <Center py="lg">
        <Loader aria-label="Loading members" />
      </Center>
    );
  }
  if (detail.isError) {
    return <QueryError error={detail.error} onRetry={() => detail.refetch()} />;
  }
  return <TeamForm team={detail.data} members={detail.data.members ?? []} onDone={onDone} />;
}

function TeamsAdmin() {
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Team>();
  const [deleting, setDeleting] = useState<Team>();
  const teams = useQuery({ queryKey: ['teams', 'list'], queryFn: () => unwrap(api.GET('/api/v1/teams')) });

  const newTeamButton = (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
      New team
    </Button>
  );

  return (
    <>
      <PageHeader title="Teams and practice groups" description="Practice groups, teams and offices, and who belongs to each." actions={newTeamButton} />
      {teams.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading teams" />
        </Center>
      ) : teams.isError ? (
        <AdminQueryError error={teams.error} onRetry={() => teams.refetch()} />
      ) : teams.data.items.length === 0 ? (
        <EmptyState
          title="No teams yet"
          action={
            <Button variant="light" onClick={() => setCreating(true)}>
              Create the first team
            </Button>
          }
        >
          Add your firm’s practice groups, teams and offices, so that reports can be read by group and people can be found by where they work.
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th ta="right">Members</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {teams.data.items.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td fw={500}>{t.name}</Table.Td>
                  <Table.Td>
                    <StatusBadge color={KIND_COLORS[t.kind]}>{teamKindLabel(t.kind)}</StatusBadge>
                  </Table.Td>
                  <Table.Td maw={420}>
                    <Text size="sm" lineClamp={2}>
                      {t.description ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{t.memberCount}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <Tooltip label="Edit">
                        <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${t.name}`} onClick={() => setEditing(t)}>
                          <IconPencil size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Delete">
                        <ActionIcon variant="subtle" color="red" aria-label={`Delete ${t.name}`} onClick={() => setDeleting(t)}>
                          <IconTrash size={16} aria-hidden />
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

      <Modal opened={creating} onClose={() => setCreating(false)} title="New team" size="lg">
        {creating && <TeamForm members={[]} onDone={() => setCreating(false)} />}
      </Modal>
      <Modal opened={!!editing} onClose={() => setEditing(undefined)} title={editing ? `Edit ${editing.name}` : 'Edit team'} size="lg">
        {editing && <EditTeam key={editing.id} team={editing} onDone={() => setEditing(undefined)} />}
      </Modal>
      <ConfirmDialog
        opened={!!deleting}
        title="Delete team?"
        confirmLabel="Delete team"
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          if (!deleting) {
            return;
          }
          try {
            await unwrap(api.DELETE('/api/v1/teams/{id}', { params: { path: { id: deleting.id } } }));
            await Promise.all([queryClient.invalidateQueries({ queryKey: ['teams'] }), queryClient.invalidateQueries({ queryKey: ['users'] })]);
            notifySaved(`Deleted ${deleting.name}.`);
            setDeleting(undefined);
          } catch (err) {
            notifyFailed('Team not deleted', err);
          }
        }}
      >
        <Text size="sm">
          <strong>{deleting?.name}</strong> will be deleted. Its {deleting?.memberCount ?? 0} members keep their accounts; only the grouping goes.
        </Text>
      </ConfirmDialog>
    </>
  );
}

export function TeamsPage() {
  return (
    <AdminsOnly title="Teams and practice groups" ability="manageTeams">
      <TeamsAdmin />
    </AdminsOnly>
  );
}
