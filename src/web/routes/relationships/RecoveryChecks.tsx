import { Anchor, Badge, Button, Group, Loader, Stack, Switch, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { EmptyState } from '../../components/EmptyState';
import { LoadMore } from '../../components/LoadMore';
import { QueryError } from '../../components/QueryError';
import { formatDate } from '../clients/labels';
import { type CheckInSeed, checkInKeys } from './CheckInFormModal';

type RecoveryCheck = components['schemas']['RecoveryCheck'];
type Recovery = components['schemas']['InsightRecovery'];

const recoveryKeys = { list: (mine: boolean) => [...checkInKeys.all, 'recovery-checks', mine] as const };

/** The "Was it fixed?" check-in for one recovery check. */
export function recoverySeed(check: RecoveryCheck): CheckInSeed {
  return { client: check.client, recovery: { insightId: check.insight.id, summary: check.insight.summary, quote: check.insight.quote } };
}

function DueBadge({ check }: { check: RecoveryCheck }) {
  const today = new Date().toISOString().slice(0, 10);
  if (check.overdue) {
    return (
      <Badge variant="dot" color="red.9">
        Overdue
      </Badge>
    );
  }
  return check.dueOn <= today ? (
    <Badge variant="dot" color="orange.9">
      Due
    </Badge>
  ) : (
    <Badge variant="dot" color="gray.9">
      Upcoming
    </Badge>
  );
}

/**
 * "Recovery checks due": concerns whose actions are all closed, waiting for someone to ask the
 * client whether they are fixed, soonest due first; "Was it fixed?" logs the answering check-in.
 */
export function RecoveryChecksDue({ onAsk }: { onAsk: (seed: CheckInSeed) => void }) {
  const [mine, setMine] = useState(false);
  const list = useInfiniteQuery({
    queryKey: recoveryKeys.list(mine),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/recovery-checks', {
          params: { query: { limit: 20, cursor: pageParam, mine: mine ? 'true' : undefined, total: pageParam ? undefined : 'true' } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h4">
          Recovery checks due
        </Title>
        <Switch label="Only those I should ask" checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} />
      </Group>
      {list.isLoading ? (
        <Group role="status" aria-label="Loading recovery checks">
          <Loader size="sm" />
        </Group>
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No recovery checks waiting">
          When every action on a client’s concern is closed, a check to ask the client whether it is fixed appears here.
        </EmptyState>
      ) : (
        <Stack>
          <Table.ScrollContainer minWidth={720}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={140}>Due</Table.Th>
                  <Table.Th>Client</Table.Th>
                  <Table.Th>Concern</Table.Th>
                  <Table.Th>Who asks</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Stack gap={2}>
                        <Text size="sm">{formatDate(c.dueOn)}</Text>
                        <DueBadge check={c} />
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/clients/${c.client.id}`}>
                        {c.client.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{c.insight.summary}</Text>
                    </Table.Td>
                    <Table.Td>{c.owner?.name ?? '—'}</Table.Td>
                    <Table.Td>
                      {c.abilities.answer && (
                        <Button size="xs" variant="default" aria-label={`Was it fixed? Ask ${c.client.name}`} onClick={() => onAsk(recoverySeed(c))}>
                          Was it fixed?
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMore
            shown={items.length}
            total={list.data?.pages[0]?.total}
            hasMore={list.hasNextPage}
            loading={list.isFetchingNextPage}
            onLoadMore={() => list.fetchNextPage()}
          />
        </Stack>
      )}
    </Stack>
  );
}

/** Opens the "Was it fixed?" form for a recovery check named in the address (a notification's link). */
export function useRecoveryFromLink(id: string | null, onAsk: (seed: CheckInSeed) => void) {
  const check = useQuery({
    queryKey: [...checkInKeys.all, 'recovery-check', id],
    queryFn: () => unwrap(api.GET('/api/v1/recovery-checks/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: id !== null,
  });
  const opened = useRef<string | null>(null);
  useEffect(() => {
    if (check.data?.abilities.answer && opened.current !== check.data.id) {
      opened.current = check.data.id;
      onAsk(recoverySeed(check.data));
    }
  }, [check.data, onAsk]);
}

/** The recovery status shown with a concern: waiting to be asked, or what the client said. */
export function RecoveryStatus({ recovery }: { recovery: Recovery | null | undefined }) {
  if (!recovery) {
    return null;
  }
  if (recovery.status === 'scheduled') {
    return (
      <Group gap="xs">
        <Badge variant="dot" color="gray.9">
          Recovery check due {formatDate(recovery.dueOn)}
        </Badge>
      </Group>
    );
  }
  return (
    <Stack gap={2}>
      <Group gap="xs">
        <Badge variant="dot" color={recovery.fixed ? 'green.9' : 'red.9'}>
          {recovery.fixed ? 'Client says it is fixed' : 'Client says it is not fixed'}
        </Badge>
        {recovery.answeredOn && (
          <Text size="xs" c="dimmed">
            asked {formatDate(recovery.answeredOn)}
          </Text>
        )}
      </Group>
      {recovery.answer && (
        <Text size="sm" fs="italic">
          “{recovery.answer}”
        </Text>
      )}
    </Stack>
  );
}
