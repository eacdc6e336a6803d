import { ActionIcon, Alert, Anchor, Badge, Button, Group, Modal, Paper, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPencil, IconUserMinus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { UserSelect } from '../../components/UserSelect';
import { notifySaved, showApiErrors } from '../../forms';
import { TEAM_ROLE_LABELS, type TeamRole, teamRoleOptions } from './labels';
import { Dash } from './parts';
import { clientKeys } from './queries';

type ClientDetail = Schemas['ClientDetail'];
type TeamMember = Schemas['ClientTeamMember'];

/** The client's relationship team: its relationship partners, who own it, and the other members. */
export function TeamTab({ client, can }: { client: ClientDetail; can: ClientDetail['abilities'] }) {
  const [editing, setEditing] = useState(false);
  const editButton = can.editTeam && (
    <Button variant={client.team.length ? 'default' : 'filled'} leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setEditing(true)}>
      Edit team
    </Button>
  );
  return (
    <Stack gap="md">
      {client.team.length === 0 ? (
        <EmptyState title="Nobody is on the relationship team yet" action={editButton}>
          The relationship partners own the client; the other members work with it. Both see its brief and may record contacts.
        </EmptyState>
      ) : (
        <>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              Relationship partners own the client; members work with it.
            </Text>
            {editButton}
          </Group>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Email</Table.Th>
                  <Table.Th>Title</Table.Th>
                  <Table.Th>Team role</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {client.team.map((m) => (
                  <Table.Tr key={m.userId}>
                    <Table.Td fw={500}>{m.name}</Table.Td>
                    <Table.Td>
                      <Anchor href={`mailto:${m.email}`} inherit>
                        {m.email}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{m.title ?? <Dash />}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={m.teamRole === 'relationship_partner' ? 'indigo' : 'gray'}>
                        {TEAM_ROLE_LABELS[m.teamRole]}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
      <Modal opened={editing} onClose={() => setEditing(false)} title={`Relationship team of ${client.name}`} size="lg">
        {editing && <TeamEditor client={client} onDone={() => setEditing(false)} />}
      </Modal>
    </Stack>
  );
}

type EditedMember = Pick<TeamMember, 'userId' | 'name' | 'email' | 'teamRole'>;

/** Edits the whole team at once, then replaces it on the server in one request. */
function TeamEditor({ client, onDone }: { client: ClientDetail; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<{ members: EditedMember[] }>({
    initialValues: { members: client.team.map(({ userId, name, email, teamRole }) => ({ userId, name, email, teamRole })) },
  });
  const members = form.values.members;

  const putTeam = useMutation({
    mutationFn: (members: EditedMember[]) =>
      unwrap(
        api.PUT('/api/v1/clients/{id}/team', {
          params: { path: { id: client.id } },
          body: { members: members.map(({ userId, teamRole }) => ({ userId, teamRole })) },
        }),
      ),
  });

  const save = async (values: { members: EditedMember[] }) => {
    try {
      await putTeam.mutateAsync(values.members);
      await queryClient.invalidateQueries({ queryKey: clientKeys.all });
      notifySaved('Relationship team saved');
      onDone();
    } catch (err) {
      showApiErrors(form, err);
    }
  };

  return (
    <form onSubmit={form.onSubmit(save)}>
      <Stack>
        {members.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nobody on the team. Add people below.
          </Text>
        ) : (
          <Paper withBorder>
            <Stack gap={0}>
              {members.map((m, i) => (
                <Group
                  key={m.userId}
                  justify="space-between"
                  wrap="nowrap"
                  px="md"
                  py="xs"
                  style={i > 0 ? { borderTop: '1px solid var(--mantine-color-default-border)' } : undefined}
                >
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={500} truncate>
                      {m.name}
                    </Text>
                    <Text size="xs" c="dimmed" truncate>
                      {m.email}
                    </Text>
                    {form.errors[`members.${i}.userId`] && (
                      <Text size="xs" c="var(--mantine-color-error)">
                        {form.errors[`members.${i}.userId`]}
                      </Text>
                    )}
                  </div>
                  <Group gap="xs" wrap="nowrap">
                    <Select
                      aria-label={`Team role of ${m.name}`}
                      data={teamRoleOptions}
                      allowDeselect={false}
                      w={200}
                      value={m.teamRole}
                      onChange={(role) => role && form.setFieldValue(`members.${i}.teamRole`, role as TeamRole)}
                    />
                    <Tooltip label="Remove from the team">
                      <ActionIcon variant="subtle" color="red" aria-label={`Remove ${m.name}`} onClick={() => form.removeListItem('members', i)}>
                        <IconUserMinus size={16} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Group>
              ))}
            </Stack>
          </Paper>
        )}
        {members.length > 0 && !members.some((m) => m.teamRole === 'relationship_partner') && (
          <Alert color="yellow" variant="light" p="sm">
            Nobody is a relationship partner: someone should own the client.
          </Alert>
        )}
        <UserSelect
          label="Add a person"
          description="Search by name or email; they join as a member"
          placeholder="Search people"
          excludeIds={members.map((m) => m.userId)}
          include={(u) => u.role !== 'external'}
          onPick={(u) => form.insertListItem('members', { userId: u.id, name: u.name, email: u.email, teamRole: 'member' } satisfies EditedMember)}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            Save team
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
