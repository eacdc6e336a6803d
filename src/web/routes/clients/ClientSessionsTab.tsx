import { Button, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Schemas } from '../../api/client';
import { api, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { sessionKeys } from '../sessions/queries';
import { SessionRow } from '../sessions/SessionsPage';

type ClientDetail = Schemas['ClientDetail'];

const SHOWN = 50;

/** The client's listening sessions, newest first: what the firm has heard from this client, and what is coming. */
export function ClientSessionsTab({ client, canPlan }: { client: ClientDetail; canPlan: boolean }) {
  const filters = { clientId: client.id, order: 'desc' as const };
  const list = useQuery({
    queryKey: [...sessionKeys.lists(), filters],
    queryFn: () => unwrap(api.GET('/api/v1/sessions', { params: { query: { ...filters, limit: SHOWN, total: 'true' } } })),
  });
  const plan = canPlan && (
    <Button component={Link} to={`/sessions/new?clientId=${client.id}`} leftSection={<IconPlus size={16} aria-hidden />} variant="light">
      Plan a session
    </Button>
  );
  if (list.isPending) {
    return (
      <Stack gap="sm" role="status" aria-label="Loading sessions">
        <Skeleton height={40} />
        <Skeleton height={40} />
      </Stack>
    );
  }
  if (list.isError) {
    return <QueryError error={list.error} onRetry={() => list.refetch()} />;
  }
  const sessions = list.data.items;
  if (sessions.length === 0) {
    return (
      <EmptyState title="No listening sessions yet" action={plan || undefined}>
        A listening session is a focused, non-billable conversation about the relationship itself, run by someone independent of the client’s team.
      </EmptyState>
    );
  }
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {sessions.length < (list.data.total ?? 0) ? `The latest ${sessions.length} of ${list.data.total}` : `${sessions.length} in all`}
          {' · '}
          <Link to={`/sessions?clientId=${client.id}`}>Open in the sessions list</Link>
        </Text>
        {plan}
      </Group>
      <Table.ScrollContainer minWidth={900}>
        <Table highlightOnHover verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={170}>Date</Table.Th>
              <Table.Th>Client</Table.Th>
              <Table.Th>Interviewer</Table.Th>
              <Table.Th w={110}>Format</Table.Th>
              <Table.Th w={190}>Status</Table.Th>
              <Table.Th>Programme</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sessions.map((s) => (
              <SessionRow key={s.id} session={s} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
