import { Anchor, Badge, Button, Group, Loader, Stack, Switch, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { formatDate } from '../clients/labels';
import { type CheckInSeed, checkInKeys } from './CheckInFormModal';

type DueItem = components['schemas']['DueItem'];

/** Dark shades keep the badge text at AA contrast on white. */
export const STATUS_BADGE: Record<DueItem['status'], { color: string; label: string }> = {
  green: { color: 'green.9', label: 'On track' },
  amber: { color: 'orange.9', label: 'Due' },
  red: { color: 'red.9', label: 'Overdue' },
};

const KIND_LABELS: Record<NonNullable<DueItem['last']>['kind'], string> = {
  check_in: 'Check-in',
  meeting: 'Meeting',
  session: 'Listening session',
  problem: 'Problem reported',
};

export function StatusBadge({ status }: { status: DueItem['status'] }) {
  const s = STATUS_BADGE[status];
  return (
    <Badge variant="dot" color={s.color} style={{ minWidth: 'max-content' }}>
      {s.label}
    </Badge>
  );
}

/**
 * Losing touch: the clients (and key contacts) past their ideal cadence, most overdue first,
 * with when and how the firm last spoke to them and who did. Programme leads and management may
 * widen it from their own clients to every client.
 */
export function LosingTouchList({
  all,
  onAllChange,
  mayWiden,
  onLog,
}: {
  all: boolean;
  onAllChange: (all: boolean) => void;
  mayWiden: boolean;
  onLog: (seed: CheckInSeed) => void;
}) {
  const due = useQuery({
    queryKey: [...checkInKeys.all, 'due', all],
    queryFn: () => unwrap(api.GET('/api/v1/check-ins/due', { params: { query: all ? { all: 'true' } : {} } })),
  });
  return (
    <Stack>
      {mayWiden && <Switch label="Every client, not only those on whose team I am" checked={all} onChange={(e) => onAllChange(e.currentTarget.checked)} />}
      {due.isLoading ? (
        <Group role="status" aria-label="Loading the losing-touch list">
          <Loader size="sm" />
        </Group>
      ) : due.isError ? (
        <QueryError error={due.error} onRetry={() => due.refetch()} />
      ) : (due.data?.items.length ?? 0) === 0 ? (
        <EmptyState title="Nobody is losing touch">Clients and key contacts you have not spoken to within their ideal cadence appear here.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Client</Table.Th>
                <Table.Th>Key contact</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Last interaction</Table.Th>
                <Table.Th>Cadence</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {due.data?.items.map((item) => (
                <Table.Tr key={`${item.client.id}-${item.contact?.id ?? 'client'}`}>
                  <Table.Td>
                    <Anchor component={Link} to={`/clients/${item.client.id}`}>
                      {item.client.name}
                    </Anchor>
                    {item.isKeyClient && (
                      <Text span size="xs" c="dimmed" ml={6}>
                        key client
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {item.contact?.name ?? (
                      <Text span c="dimmed" size="sm">
                        The client
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={item.status} />
                  </Table.Td>
                  <Table.Td>
                    {item.last ? (
                      <Text size="sm">
                        {formatDate(item.last.on)} · {KIND_LABELS[item.last.kind]}
                        {item.last.by ? ` · ${item.last.by.name}` : ''}
                        <Text span c="dimmed" size="sm">
                          {' '}
                          ({item.daysSince} days ago)
                        </Text>
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        Never
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      every {item.idealDays}–{item.maxDays} days
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Log check-in with ${item.contact?.name ?? item.client.name}`}
                      onClick={() => onLog({ client: item.client, contactId: item.contact?.id ?? null })}
                    >
                      Log check-in
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
